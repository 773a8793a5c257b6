<?php
/**
 * Plugin Name: Moderato for Akismet
 * Description: Sends the bundled Akismet plugin's API calls to your Moderato server instead of Akismet's.
 *
 * A must-use plugin: copy it to wp-content/mu-plugins/ and define MODERATO_URL in wp-config.php, e.g.
 * define( 'MODERATO_URL', 'https://moderato.example.org' );
 *
 * @package Moderato
 */

if ( ! defined( 'ABSPATH' ) || ! defined( 'MODERATO_URL' ) ) {
	return;
}

// Akismet's host is fixed in the plugin: answer its requests (https or http, /1.1/ and /1.2/) from Moderato.
add_filter(
	'pre_http_request',
	function ( $pre, $args, $url ) {
		if ( ! preg_match( '#^https?://(?:[a-z0-9-]+\.)?rest\.akismet\.com/(1\.[12]/.*)$#i', $url, $m ) ) {
			return $pre;
		}
		// The plugin names Akismet's host in a Host header; Moderato (or its proxy) must see its own.
		unset( $args['headers']['Host'] );
		return wp_remote_request( rtrim( MODERATO_URL, '/' ) . '/' . $m[1], $args );
	},
	10,
	3
);

// The plugin re-checks comments Moderato holds for a moderator 20 minutes later, and every 20 minutes after
// that, until Moderato has decided; re-check sooner so a moderator's decision reaches WordPress sooner.
add_filter(
	'schedule_event',
	function ( $event ) {
		if ( $event && 'akismet_schedule_cron_recheck' === $event->hook ) {
			$seconds          = defined( 'MODERATO_AKISMET_RECHECK_SECONDS' ) ? (int) MODERATO_AKISMET_RECHECK_SECONDS : 120;
			$event->timestamp = min( $event->timestamp, time() + max( 1, $seconds ) );
		}
		return $event;
	}
);

// Once spam has been caught, Settings -> Akismet embeds a chart from Akismet's own servers with the API key
// in its address: keep the browser from loading it, so the key is never sent there.
add_action(
	'load-settings_page_akismet-key-config',
	function () {
		header( "Content-Security-Policy: frame-src 'none'" );
	}
);
