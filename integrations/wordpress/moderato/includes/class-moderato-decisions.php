<?php
/**
 * Applying Moderato's decisions to WordPress comments (from the webhook or the decisions feed).
 *
 * @package Moderato
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Maps a decision to a comment status and applies it once: a decision no newer than the last one
 * applied to that comment is a duplicate (webhooks may arrive twice, and the feed repeats them).
 */
class Moderato_Decisions {
	// Moderato's reason codes that mean spam; any other rejection goes to the trash.
	const SPAM_CODES = array( 'spam', 'banned_author', 'honeypot' );

	/**
	 * True while the plugin itself changes a comment's status, so that change is not reported back.
	 *
	 * @var bool
	 */
	public static $applying = false;

	/**
	 * The WordPress comment Moderato knows by this id.
	 *
	 * @param int $moderato_id Moderato's comment id.
	 * @return int WordPress comment id, or 0.
	 */
	public static function find_comment( $moderato_id ) {
		global $wpdb;
		return (int) $wpdb->get_var(
			$wpdb->prepare(
				"SELECT comment_id FROM {$wpdb->commentmeta} WHERE meta_key = %s AND meta_value = %s LIMIT 1",
				Moderato_Options::META_ID,
				(string) absint( $moderato_id )
			)
		);
	}

	/**
	 * Apply one decision.
	 *
	 * @param array $decision comment_id, decision_id, status, reason_code, reasons (the webhook's fields).
	 * @return string 'applied', 'duplicate' or 'unknown' (no comment of ours has that Moderato id).
	 */
	public static function apply( array $decision ) {
		$comment_id = self::find_comment( $decision['comment_id'] );
		if ( ! $comment_id || ! get_comment( $comment_id ) ) {
			return 'unknown';
		}
		$decision_id = (int) $decision['decision_id'];
		if ( $decision_id <= (int) get_comment_meta( $comment_id, Moderato_Options::META_DECISION, true ) ) {
			return 'duplicate';
		}
		$reasons = isset( $decision['reasons'] ) && is_array( $decision['reasons'] ) ? $decision['reasons'] : array();
		$target  = self::target( (string) $decision['status'], isset( $decision['reason_code'] ) ? $decision['reason_code'] : null, $reasons );
		update_comment_meta( $comment_id, Moderato_Options::META_DECISION, $decision_id );
		update_comment_meta( $comment_id, Moderato_Options::META_STATUS, (string) $decision['status'] );
		update_comment_meta( $comment_id, Moderato_Options::META_REASONS, wp_slash( $reasons ) );
		delete_comment_meta( $comment_id, Moderato_Options::META_ERROR );
		if ( null !== $target ) {
			self::set_status( $comment_id, $target );
		}
		self::refresh_scores( $comment_id, (int) $decision['comment_id'] );
		if ( 'hold' === $target ) {
			self::notify_moderators_once( $comment_id );
		}
		return 'applied';
	}

	/**
	 * The WordPress status a Moderato decision asks for.
	 *
	 * @param string      $status      approved, held, pending or rejected.
	 * @param string|null $reason_code A human decision's reason code.
	 * @param array       $reasons     The decision's reasons.
	 * @return string|null approve, hold, spam, trash, or null for a status WordPress has no use for.
	 *                     Held for spam goes to Spam; held for anything else stays pending.
	 */
	public static function target( $status, $reason_code, array $reasons ) {
		$codes = array( $reason_code );
		foreach ( $reasons as $reason ) {
			if ( is_array( $reason ) && isset( $reason['code'] ) ) {
				$codes[] = $reason['code'];
			}
		}
		$spam = (bool) array_intersect( $codes, self::SPAM_CODES );
		switch ( $status ) {
			case 'approved':
				return 'approve';
			case 'held':
				// Held as (likely) spam: WordPress's Spam folder, where Akismet would have put it too.
				return $spam ? 'spam' : 'hold';
			case 'pending':
				return 'hold';
			case 'rejected':
				return $spam ? 'spam' : 'trash';
		}
		return null;
	}

	/**
	 * Move a comment to approve, hold, spam or trash, as the plugin (never reported back as a click).
	 *
	 * @param int    $comment_id WordPress comment id.
	 * @param string $target     approve, hold, spam or trash.
	 */
	public static function set_status( $comment_id, $target ) {
		$wanted = array(
			'approve' => 'approved',
			'hold'    => 'unapproved',
			'spam'    => 'spam',
			'trash'   => 'trash',
		);
		$current = wp_get_comment_status( $comment_id );
		if ( $current === $wanted[ $target ] ) {
			return;
		}
		self::$applying = true;
		try {
			if ( 'spam' === $target ) {
				wp_spam_comment( $comment_id );
			} elseif ( 'trash' === $target ) {
				wp_trash_comment( $comment_id );
			} else {
				// Out of the spam folder or the trash: forget the status WordPress would restore.
				delete_comment_meta( $comment_id, '_wp_trash_meta_status' );
				delete_comment_meta( $comment_id, '_wp_trash_meta_time' );
				wp_set_comment_status( $comment_id, $target );
			}
		} finally {
			self::$applying = false;
		}
	}

	/**
	 * Keep Moderato's scores and reasons beside the comment (shown in the comment list).
	 *
	 * @param int $comment_id  WordPress comment id.
	 * @param int $moderato_id Moderato comment id.
	 */
	public static function refresh_scores( $comment_id, $moderato_id ) {
		$response = Moderato_Client::comment( $moderato_id );
		if ( 200 !== $response['status'] || ! $response['body'] ) {
			return;
		}
		$body = $response['body'];
		if ( isset( $body['scores'] ) && is_array( $body['scores'] ) ) {
			update_comment_meta( $comment_id, Moderato_Options::META_SCORES, wp_slash( $body['scores'] ) );
		}
		if ( isset( $body['reasons'] ) && is_array( $body['reasons'] ) && $body['reasons'] ) {
			update_comment_meta( $comment_id, Moderato_Options::META_REASONS, wp_slash( $body['reasons'] ) );
		}
	}

	/**
	 * Tell WordPress's moderators (by WordPress's own e-mail, when that is on) about a held comment, once.
	 *
	 * @param int $comment_id WordPress comment id.
	 */
	private static function notify_moderators_once( $comment_id ) {
		if ( get_comment_meta( $comment_id, Moderato_Options::META_NOTIFIED, true ) ) {
			return;
		}
		update_comment_meta( $comment_id, Moderato_Options::META_NOTIFIED, 1 );
		if ( get_option( 'moderation_notify' ) ) {
			wp_notify_moderator( $comment_id );
		}
	}
}
