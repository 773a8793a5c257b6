<?php
/**
 * The decision webhook: POST /wp-json/moderato/v1/decisions (or ?rest_route=/moderato/v1/decisions).
 *
 * @package Moderato
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Verifies Moderato's signature exactly as Moderato documents it and applies the decision.
 */
class Moderato_Webhook {
	const NAMESPACE_V1 = 'moderato/v1';
	const ROUTE        = '/decisions';
	const HEADER       = 'moderato-signature';
	// Signatures older (or newer) than this are refused: a captured delivery cannot be replayed later.
	const REPLAY_WINDOW = 300;
	// A decision about a comment this site does not know yet may be racing the comment's own submission
	// (Moderato decided before WordPress stored its id): answer 409 so Moderato retries it for a while.
	const UNKNOWN_RETRY_SECONDS = 600;

	/**
	 * Register the route.
	 */
	public static function init() {
		add_action( 'rest_api_init', array( __CLASS__, 'register' ) );
	}

	/**
	 * The URL to give Moderato as the site's webhook URL.
	 *
	 * @return string
	 */
	public static function url() {
		return rest_url( self::NAMESPACE_V1 . self::ROUTE );
	}

	/**
	 * Register POST moderato/v1/decisions.
	 */
	public static function register() {
		register_rest_route(
			self::NAMESPACE_V1,
			self::ROUTE,
			array(
				'methods'             => 'POST',
				'callback'            => array( __CLASS__, 'receive' ),
				// The signature is the authentication; it is checked on the raw body in the callback.
				'permission_callback' => '__return_true',
			)
		);
	}

	/**
	 * Check a `Moderato-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>` header.
	 *
	 * @param string $secret The webhook secret.
	 * @param string $header The header's value.
	 * @param string $body   The raw request body.
	 * @param int    $now    The current time.
	 * @return bool
	 */
	public static function verify( $secret, $header, $body, $now ) {
		$parts = array();
		foreach ( explode( ',', (string) $header ) as $item ) {
			$pair = explode( '=', trim( $item ), 2 );
			if ( 2 === count( $pair ) ) {
				$parts[ $pair[0] ] = $pair[1];
			}
		}
		if ( '' === $secret || ! isset( $parts['t'], $parts['v1'] ) || ! ctype_digit( $parts['t'] ) ) {
			return false;
		}
		if ( abs( $now - (int) $parts['t'] ) > self::REPLAY_WINDOW ) {
			return false;
		}
		$expected = hash_hmac( 'sha256', $parts['t'] . '.' . $body, $secret );
		return hash_equals( $expected, $parts['v1'] );
	}

	/**
	 * Receive one delivery.
	 *
	 * @param WP_REST_Request $request The request.
	 * @return WP_REST_Response
	 */
	public static function receive( $request ) {
		$body = $request->get_body();
		if ( ! self::verify( Moderato_Options::webhook_secret(), (string) $request->get_header( self::HEADER ), $body, time() ) ) {
			return new WP_REST_Response( array( 'error' => 'bad or stale Moderato-Signature' ), 401 );
		}
		$decision = json_decode( $body, true );
		if ( ! is_array( $decision ) || ! isset( $decision['comment_id'], $decision['decision_id'], $decision['status'] )
			|| ! is_int( $decision['comment_id'] ) || ! is_int( $decision['decision_id'] ) || ! is_string( $decision['status'] ) ) {
			return new WP_REST_Response( array( 'error' => 'not a Moderato decision' ), 400 );
		}
		$outcome = Moderato_Decisions::apply( $decision );
		if ( 'unknown' === $outcome ) {
			$decided = isset( $decision['decided_at'] ) ? strtotime( (string) $decision['decided_at'] ) : false;
			if ( $decided && time() - $decided < self::UNKNOWN_RETRY_SECONDS ) {
				return new WP_REST_Response( array( 'outcome' => 'unknown comment; retry later' ), 409 );
			}
			return new WP_REST_Response( array( 'outcome' => 'ignored: not a comment of this site' ), 200 );
		}
		return new WP_REST_Response( array( 'outcome' => $outcome ), 200 );
	}
}
