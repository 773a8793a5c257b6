<?php
/**
 * The plugin's settings and the comment meta keys it keeps.
 *
 * @package Moderato
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Option names, meta keys and reading the settings.
 */
class Moderato_Options {
	const URL            = 'moderato_url';
	const SITE_KEY       = 'moderato_site_key';
	const WEBHOOK_SECRET = 'moderato_webhook_secret';
	const POLL_SECONDS   = 'moderato_poll_seconds';
	const FEED_CURSOR    = 'moderato_feed_cursor';
	const LAST_FEED      = 'moderato_last_feed';

	// Comment meta.
	const META_ID          = '_moderato_id';           // Moderato's id of the comment.
	const META_STATUS      = '_moderato_status';       // pending, approved, held or rejected.
	const META_DECISION    = '_moderato_decision_id';  // The newest decision applied (older ones are ignored).
	const META_REASONS     = '_moderato_reasons';      // Moderato's reasons, as it sent them.
	const META_SCORES      = '_moderato_scores';       // Head name => probability.
	const META_ERROR       = '_moderato_error';        // Why Moderato could not take the comment.
	const META_RETRY       = '_moderato_retry';        // Sending failed: the feed's cron run retries it.
	const META_FEEDBACK    = '_moderato_feedback';     // A click whose report failed: retried the same way.
	const META_NOTIFIED    = '_moderato_notified';     // The moderators were told about it being held.

	const DEFAULT_POLL_SECONDS = 60;
	const MIN_POLL_SECONDS     = 5;

	/**
	 * The Moderato base URL without a trailing slash.
	 *
	 * @return string
	 */
	public static function url() {
		return untrailingslashit( (string) get_option( self::URL, '' ) );
	}

	/**
	 * The site's full Moderato API key.
	 *
	 * @return string
	 */
	public static function site_key() {
		return (string) get_option( self::SITE_KEY, '' );
	}

	/**
	 * The webhook signing secret Moderato showed for this site.
	 *
	 * @return string
	 */
	public static function webhook_secret() {
		return (string) get_option( self::WEBHOOK_SECRET, '' );
	}

	/**
	 * Seconds between two polls of the decisions feed.
	 *
	 * @return int
	 */
	public static function poll_seconds() {
		$seconds = (int) get_option( self::POLL_SECONDS, self::DEFAULT_POLL_SECONDS );
		return max( self::MIN_POLL_SECONDS, $seconds ? $seconds : self::DEFAULT_POLL_SECONDS );
	}

	/**
	 * Whether Moderato can be called at all.
	 *
	 * @return bool
	 */
	public static function configured() {
		return '' !== self::url() && '' !== self::site_key();
	}
}
