<?php
/**
 * The decisions feed, polled from WP-cron: the fallback for decisions whose webhook cannot reach WordPress
 * (a firewall, an outage), and the retry of comments and clicks that could not be sent.
 *
 * @package Moderato
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * WP-cron event `moderato_poll`, every Moderato_Options::poll_seconds().
 */
class Moderato_Feed {
	const HOOK      = 'moderato_poll';
	const SCHEDULE  = 'moderato_poll_interval';
	const MAX_PAGES = 10;
	const MAX_RETRY = 50;

	/**
	 * Register the schedule and the event's handler.
	 */
	public static function init() {
		add_filter( 'cron_schedules', array( __CLASS__, 'schedules' ) );
		add_action( self::HOOK, array( __CLASS__, 'run' ) );
		// Re-arm after the interval setting changes, or if the event went missing.
		add_action( 'update_option_' . Moderato_Options::POLL_SECONDS, array( __CLASS__, 'reschedule' ) );
		add_action( 'init', array( __CLASS__, 'ensure_scheduled' ) );
	}

	/**
	 * Add the plugin's interval to WP-cron's schedules.
	 *
	 * @param array $schedules WP-cron's schedules.
	 * @return array
	 */
	public static function schedules( $schedules ) {
		$schedules[ self::SCHEDULE ] = array(
			'interval' => Moderato_Options::poll_seconds(),
			'display'  => 'Moderato decisions feed',
		);
		return $schedules;
	}

	/**
	 * Schedule the poll when the plugin is activated.
	 */
	public static function activate() {
		self::reschedule();
	}

	/**
	 * Stop polling when the plugin is deactivated.
	 */
	public static function deactivate() {
		wp_clear_scheduled_hook( self::HOOK );
	}

	/**
	 * Schedule the poll if it is not.
	 */
	public static function ensure_scheduled() {
		if ( ! wp_next_scheduled( self::HOOK ) ) {
			wp_schedule_event( time(), self::SCHEDULE, self::HOOK );
		}
	}

	/**
	 * Schedule the poll afresh with the current interval.
	 */
	public static function reschedule() {
		wp_clear_scheduled_hook( self::HOOK );
		wp_schedule_event( time(), self::SCHEDULE, self::HOOK );
	}

	/**
	 * One run: resend what failed, then apply every new decision of the feed.
	 */
	public static function run() {
		if ( ! Moderato_Options::configured() ) {
			return;
		}
		self::retry_sends();
		self::retry_reports();
		$cursor = (string) get_option( Moderato_Options::FEED_CURSOR, '' );
		for ( $page = 0; $page < self::MAX_PAGES; $page++ ) {
			$response = Moderato_Client::decisions( $cursor );
			if ( 200 !== $response['status'] || ! isset( $response['body']['decisions'] ) ) {
				update_option( Moderato_Options::LAST_FEED, array( time(), (string) $response['error'] ), false );
				return;
			}
			foreach ( $response['body']['decisions'] as $item ) {
				if ( ! is_array( $item ) || ! isset( $item['id'], $item['comment_id'], $item['status'] ) ) {
					continue;
				}
				Moderato_Decisions::apply(
					array(
						'comment_id'  => (int) $item['comment_id'],
						'decision_id' => (int) $item['id'],
						'status'      => (string) $item['status'],
						'reason_code' => isset( $item['reason_code'] ) ? $item['reason_code'] : null,
						'reasons'     => isset( $item['reasons'] ) && is_array( $item['reasons'] ) ? $item['reasons'] : array(),
					)
				);
			}
			$next = isset( $response['body']['next_cursor'] ) ? (string) $response['body']['next_cursor'] : '';
			if ( '' !== $next ) {
				$cursor = $next;
				update_option( Moderato_Options::FEED_CURSOR, $cursor, false );
			}
			update_option( Moderato_Options::LAST_FEED, array( time(), '' ), false );
			if ( count( $response['body']['decisions'] ) < 100 ) {
				return;
			}
		}
	}

	/**
	 * Send again the comments Moderato could not be reached for.
	 */
	private static function retry_sends() {
		foreach ( self::comments_with( Moderato_Options::META_RETRY ) as $comment_id ) {
			if ( ! Moderato_Comments::send( $comment_id ) ) {
				return; // Still unreachable: no point trying the rest now.
			}
		}
	}

	/**
	 * Report again the clicks Moderato could not be reached for.
	 */
	private static function retry_reports() {
		foreach ( self::comments_with( Moderato_Options::META_FEEDBACK ) as $comment_id ) {
			$pending     = get_comment_meta( $comment_id, Moderato_Options::META_FEEDBACK, true );
			$moderato_id = (int) get_comment_meta( $comment_id, Moderato_Options::META_ID, true );
			if ( ! is_array( $pending ) || 2 !== count( $pending ) || ! $moderato_id ) {
				delete_comment_meta( $comment_id, Moderato_Options::META_FEEDBACK );
				continue;
			}
			if ( ! Moderato_Comments::report( $comment_id, $moderato_id, $pending[0], $pending[1] ) ) {
				return;
			}
		}
	}

	/**
	 * Comment ids carrying a meta key, oldest first.
	 *
	 * @param string $meta_key The key.
	 * @return int[]
	 */
	private static function comments_with( $meta_key ) {
		global $wpdb;
		return array_map(
			'intval',
			$wpdb->get_col(
				$wpdb->prepare(
					"SELECT comment_id FROM {$wpdb->commentmeta} WHERE meta_key = %s ORDER BY comment_id LIMIT %d",
					$meta_key,
					self::MAX_RETRY
				)
			)
		);
	}
}
