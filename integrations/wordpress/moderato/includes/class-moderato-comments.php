<?php
/**
 * New comments go to Moderato and wait, pending, for its decision; moderators' clicks go back as labels.
 *
 * @package Moderato
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Comment hooks.
 */
class Moderato_Comments {
	// The WordPress statuses a moderator's click moves a comment to, and what that tells Moderato.
	const CLICKS = array(
		'approved'   => 'approve',
		'spam'       => 'spam',
		'trash'      => 'trash',
		'unapproved' => 'hold',
	);

	/**
	 * Register the hooks.
	 */
	public static function init() {
		add_filter( 'pre_comment_approved', array( __CLASS__, 'hold_for_moderato' ), 99, 2 );
		// Before WordPress's own moderator notification (priority 10), so that filter sees our meta.
		add_action( 'comment_post', array( __CLASS__, 'send_new_comment' ), 5, 3 );
		add_filter( 'notify_moderator', array( __CLASS__, 'notify_moderator' ), 10, 2 );
		add_action( 'transition_comment_status', array( __CLASS__, 'report_click' ), 10, 3 );
	}

	/**
	 * Whether Moderato decides this comment: a visitor's comment (not a pingback, not by someone who
	 * may moderate comments here: their comments are approved as WordPress always does).
	 *
	 * @param array $commentdata The comment's fields.
	 * @return bool
	 */
	public static function moderated( array $commentdata ) {
		if ( ! Moderato_Options::configured() ) {
			return false;
		}
		$type = isset( $commentdata['comment_type'] ) ? $commentdata['comment_type'] : '';
		if ( '' !== $type && 'comment' !== $type ) {
			return false;
		}
		$user_id = isset( $commentdata['user_id'] ) ? (int) $commentdata['user_id'] : 0;
		return ! ( $user_id && user_can( $user_id, 'moderate_comments' ) );
	}

	/**
	 * Keep a comment pending until Moderato decides (WordPress's own spam and trash verdicts stand).
	 *
	 * @param int|string|WP_Error $approved    WordPress's verdict.
	 * @param array               $commentdata The comment's fields.
	 * @return int|string|WP_Error
	 */
	public static function hold_for_moderato( $approved, $commentdata ) {
		if ( is_wp_error( $approved ) || ! in_array( (string) $approved, array( '0', '1' ), true ) ) {
			return $approved;
		}
		return self::moderated( (array) $commentdata ) ? 0 : $approved;
	}

	/**
	 * Send a new pending comment to Moderato.
	 *
	 * @param int        $comment_id  WordPress comment id.
	 * @param int|string $approved    Its status.
	 * @param array      $commentdata Its fields.
	 */
	public static function send_new_comment( $comment_id, $approved, $commentdata ) {
		if ( '0' !== (string) $approved || ! self::moderated( (array) $commentdata ) ) {
			return;
		}
		self::send( $comment_id );
	}

	/**
	 * Send one comment (again, from cron, after a failure); keeps the outcome in the comment's meta.
	 *
	 * @param int $comment_id WordPress comment id.
	 * @return bool Whether Moderato took it (or refused it for good).
	 */
	public static function send( $comment_id ) {
		$comment = get_comment( $comment_id );
		if ( ! $comment || get_comment_meta( $comment_id, Moderato_Options::META_ID, true ) ) {
			return true;
		}
		$response = Moderato_Client::submit( self::submission( $comment ), self::idempotency_key( $comment_id ) );
		if ( 202 === $response['status'] && isset( $response['body']['id'] ) ) {
			update_comment_meta( $comment_id, Moderato_Options::META_ID, (int) $response['body']['id'] );
			update_comment_meta( $comment_id, Moderato_Options::META_STATUS, 'pending' );
			delete_comment_meta( $comment_id, Moderato_Options::META_RETRY );
			delete_comment_meta( $comment_id, Moderato_Options::META_ERROR );
			return true;
		}
		update_comment_meta( $comment_id, Moderato_Options::META_ERROR, wp_slash( (string) $response['error'] ) );
		$retry = 0 === $response['status'] || 429 === $response['status'] || $response['status'] >= 500;
		if ( $retry ) {
			// Unreachable or busy: the comment stays pending and the next feed run sends it again.
			update_comment_meta( $comment_id, Moderato_Options::META_RETRY, 1 );
			return false;
		}
		// Refused for good (an invalid field, a wrong key): WordPress's moderators decide it themselves.
		delete_comment_meta( $comment_id, Moderato_Options::META_RETRY );
		if ( get_option( 'moderation_notify' ) ) {
			wp_notify_moderator( $comment_id );
		}
		return true;
	}

	/**
	 * The submission API's fields for a comment, from what WordPress stored (so a retry sends the same
	 * body under the same Idempotency-Key; WordPress does not keep the referrer, so none is sent).
	 *
	 * @param WP_Comment $comment The comment.
	 * @return array
	 */
	public static function submission( $comment ) {
		$fields = array(
			'content'     => $comment->comment_content,
			'author_name' => self::cut( '' !== trim( $comment->comment_author ) ? $comment->comment_author : 'Anonymous', 100 ),
			'thread'      => self::cut( get_permalink( $comment->comment_post_ID ), 2000 ),
		);
		if ( '' !== $comment->comment_author_email ) {
			$fields['author_email'] = $comment->comment_author_email;
		}
		$url = $comment->comment_author_url;
		if ( '' !== $url && preg_match( '#^https?://#i', $url ) && strlen( $url ) <= 2000 ) {
			$fields['author_url'] = $url;
		}
		if ( '' !== $comment->comment_author_IP ) {
			$fields['user_ip'] = $comment->comment_author_IP;
		}
		if ( '' !== $comment->comment_agent ) {
			$fields['user_agent'] = self::cut( $comment->comment_agent, 1000 );
		}
		$fields['language'] = str_replace( '_', '-', get_locale() );
		$parent             = (int) $comment->comment_parent;
		if ( $parent ) {
			$parent_id = (int) get_comment_meta( $parent, Moderato_Options::META_ID, true );
			if ( $parent_id ) {
				$fields['parent_id'] = $parent_id;
			}
		}
		return $fields;
	}

	/**
	 * No moderation e-mail while Moderato is deciding; WordPress sends it if Moderato holds the comment.
	 *
	 * @param bool $maybe_notify WordPress's choice.
	 * @param int  $comment_id   WordPress comment id.
	 * @return bool
	 */
	public static function notify_moderator( $maybe_notify, $comment_id ) {
		$moderato_id = get_comment_meta( $comment_id, Moderato_Options::META_ID, true );
		$waiting     = get_comment_meta( $comment_id, Moderato_Options::META_RETRY, true )
			|| ( $moderato_id && 'pending' === get_comment_meta( $comment_id, Moderato_Options::META_STATUS, true ) );
		return $waiting ? false : $maybe_notify;
	}

	/**
	 * Report a moderator's approve / unapprove / spam / not-spam / trash click to Moderato as a label.
	 *
	 * @param string     $new_status New WordPress status.
	 * @param string     $old_status Old WordPress status.
	 * @param WP_Comment $comment    The comment.
	 */
	public static function report_click( $new_status, $old_status, $comment ) {
		if ( Moderato_Decisions::$applying || $new_status === $old_status || ! isset( self::CLICKS[ $new_status ] ) ) {
			return;
		}
		// Only people clicking in wp-admin (or the REST API) speak for the site; cron and imports do not.
		if ( ! current_user_can( 'moderate_comments' ) ) {
			return;
		}
		$moderato_id = (int) get_comment_meta( $comment->comment_ID, Moderato_Options::META_ID, true );
		if ( ! $moderato_id ) {
			return;
		}
		$action = 'spam' === $old_status && 'unapproved' === $new_status ? 'not_spam' : self::CLICKS[ $new_status ];
		self::report( (int) $comment->comment_ID, $moderato_id, $action, wp_get_current_user()->user_login );
	}

	/**
	 * Send one click's report; a failed one is kept and retried by the feed's cron run.
	 *
	 * @param int    $comment_id  WordPress comment id.
	 * @param int    $moderato_id Moderato comment id.
	 * @param string $action      approve, hold, spam, not_spam or trash.
	 * @param string $actor       Who clicked.
	 * @return bool Whether Moderato has it.
	 */
	public static function report( $comment_id, $moderato_id, $action, $actor ) {
		$response = Moderato_Client::feedback( $moderato_id, $action, (string) $actor );
		if ( 200 === $response['status'] && isset( $response['body']['decision_id'] ) ) {
			// Moderato sends its decision back by webhook too; having applied it already, skip that echo.
			$decision_id = (int) $response['body']['decision_id'];
			if ( $decision_id > (int) get_comment_meta( $comment_id, Moderato_Options::META_DECISION, true ) ) {
				update_comment_meta( $comment_id, Moderato_Options::META_DECISION, $decision_id );
			}
			update_comment_meta( $comment_id, Moderato_Options::META_STATUS, (string) $response['body']['status'] );
			delete_comment_meta( $comment_id, Moderato_Options::META_FEEDBACK );
			return true;
		}
		if ( 0 === $response['status'] || 429 === $response['status'] || $response['status'] >= 500 ) {
			update_comment_meta( $comment_id, Moderato_Options::META_FEEDBACK, wp_slash( array( $action, (string) $actor ) ) );
			return false;
		}
		delete_comment_meta( $comment_id, Moderato_Options::META_FEEDBACK );
		update_comment_meta( $comment_id, Moderato_Options::META_ERROR, wp_slash( (string) $response['error'] ) );
		return true;
	}

	/**
	 * The Idempotency-Key naming this comment of this site.
	 *
	 * @param int $comment_id WordPress comment id.
	 * @return string
	 */
	private static function idempotency_key( $comment_id ) {
		return 'wp-' . substr( md5( home_url() ), 0, 12 ) . '-' . (int) $comment_id;
	}

	/**
	 * Cut a string to at most `$length` characters.
	 *
	 * @param string $text   The text.
	 * @param int    $length Characters.
	 * @return string
	 */
	private static function cut( $text, $length ) {
		return function_exists( 'mb_substr' ) ? mb_substr( $text, 0, $length ) : substr( $text, 0, $length );
	}
}
