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

// Moderato answers comment-check for a comment it holds for a moderator (not for spam) with
// "held for moderation": the plugin keeps such a comment pending and re-checks it from WP-cron. Its own
// re-check gives up on all the others at the first comment still held, so a comment held for days would
// hold up every later one; this one goes through every waiting comment and applies each answer as the
// plugin does: spam to Spam, not spam approved if WordPress's own Discussion rules allow, held waits on.
function moderato_akismet_recheck_seconds() {
	return max( 1, defined( 'MODERATO_AKISMET_RECHECK_SECONDS' ) ? (int) MODERATO_AKISMET_RECHECK_SECONDS : 120 );
}

function moderato_akismet_cron_recheck() {
	global $wpdb;
	$waiting = false;
	foreach ( $wpdb->get_col( "SELECT comment_id FROM {$wpdb->commentmeta} WHERE meta_key = 'akismet_error' LIMIT 100" ) as $id ) {
		$comment = get_comment( $id );
		if ( ! $comment || '0' !== $comment->comment_approved ) {
			delete_comment_meta( $id, 'akismet_error' );
			continue;
		}
		$answer = Akismet::recheck_comment( $id, 'retry' );
		if ( 'false' === $answer ) {
			if ( check_comment( $comment->comment_author, $comment->comment_author_email, $comment->comment_author_url, $comment->comment_content, $comment->comment_author_IP, $comment->comment_agent, $comment->comment_type ) ) {
				wp_set_comment_status( $id, 1 );
			}
		} elseif ( 'true' !== $answer ) {
			$waiting = true;
			if ( ! is_string( $answer ) || '' === $answer ) {
				break; // Moderato is unreachable: try again later.
			}
		}
	}
	if ( $waiting && ! wp_next_scheduled( 'akismet_schedule_cron_recheck' ) ) {
		wp_schedule_single_event( time() + moderato_akismet_recheck_seconds(), 'akismet_schedule_cron_recheck' );
	}
}

add_action(
	'init',
	function () {
		if ( class_exists( 'Akismet' ) && has_action( 'akismet_schedule_cron_recheck', array( 'Akismet', 'cron_recheck' ) ) ) {
			remove_action( 'akismet_schedule_cron_recheck', array( 'Akismet', 'cron_recheck' ) );
			add_action( 'akismet_schedule_cron_recheck', 'moderato_akismet_cron_recheck' );
		}
	},
	20
);

// The plugin first re-checks 20 minutes after a comment; re-check sooner, so a moderator's decision in
// Moderato reaches WordPress sooner (MODERATO_AKISMET_RECHECK_SECONDS, default 120).
add_filter(
	'schedule_event',
	function ( $event ) {
		if ( $event && 'akismet_schedule_cron_recheck' === $event->hook ) {
			$event->timestamp = min( $event->timestamp, time() + moderato_akismet_recheck_seconds() );
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
