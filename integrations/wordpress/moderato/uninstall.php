<?php
/**
 * Removing the plugin removes its settings (comment meta stays: it records what Moderato decided).
 *
 * @package Moderato
 */

if ( ! defined( 'WP_UNINSTALL_PLUGIN' ) ) {
	exit;
}

foreach ( array( 'moderato_url', 'moderato_site_key', 'moderato_webhook_secret', 'moderato_poll_seconds', 'moderato_feed_cursor', 'moderato_last_feed' ) as $moderato_option ) {
	delete_option( $moderato_option );
}
wp_clear_scheduled_hook( 'moderato_poll' );
