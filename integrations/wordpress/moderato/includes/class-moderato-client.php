<?php
/**
 * Calls to Moderato's API with the site key.
 *
 * @package Moderato
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * A thin HTTP client: JSON in and out, every failure reported, never thrown.
 */
class Moderato_Client {
	const TIMEOUT = 5;

	/**
	 * Send a new comment (POST /api/v1/comments).
	 *
	 * @param array  $fields          The submission's fields.
	 * @param string $idempotency_key Names this comment, so a retry never stores it twice.
	 * @return array{status:int,body:?array,error:?string}
	 */
	public static function submit( array $fields, $idempotency_key ) {
		return self::request( 'POST', '/api/v1/comments', $fields, array( 'Idempotency-Key' => $idempotency_key ) );
	}

	/**
	 * Read a comment's scores and reasons (GET /api/v1/comments/{id}).
	 *
	 * @param int $moderato_id Moderato's id of the comment.
	 * @return array{status:int,body:?array,error:?string}
	 */
	public static function comment( $moderato_id ) {
		return self::request( 'GET', '/api/v1/comments/' . absint( $moderato_id ) );
	}

	/**
	 * Report a moderator's click in wp-admin (POST /api/v1/comments/{id}/feedback).
	 *
	 * @param int    $moderato_id Moderato's id of the comment.
	 * @param string $action      approve, hold, spam, not_spam or trash.
	 * @param string $actor       Who clicked.
	 * @return array{status:int,body:?array,error:?string}
	 */
	public static function feedback( $moderato_id, $action, $actor ) {
		$body = array( 'action' => $action );
		if ( '' !== $actor ) {
			$body['actor'] = substr( $actor, 0, 100 );
		}
		return self::request( 'POST', '/api/v1/comments/' . absint( $moderato_id ) . '/feedback', $body );
	}

	/**
	 * One page of the decisions feed (GET /api/v1/decisions).
	 *
	 * @param string $since The cursor the previous page returned ('' for the first).
	 * @return array{status:int,body:?array,error:?string}
	 */
	public static function decisions( $since ) {
		$query = array( 'limit' => 100 );
		if ( '' !== $since ) {
			$query['since'] = $since;
		}
		return self::request( 'GET', '/api/v1/decisions?' . http_build_query( $query ) );
	}

	/**
	 * Make one request.
	 *
	 * @param string     $method  GET or POST.
	 * @param string     $path    Path and query under the Moderato URL.
	 * @param array|null $body    JSON body.
	 * @param array      $headers Extra headers.
	 * @return array{status:int,body:?array,error:?string}
	 */
	private static function request( $method, $path, $body = null, array $headers = array() ) {
		if ( ! Moderato_Options::configured() ) {
			return array( 'status' => 0, 'body' => null, 'error' => 'Moderato is not configured' );
		}
		$args = array(
			'method'      => $method,
			'timeout'     => self::TIMEOUT,
			'redirection' => 0,
			'headers'     => array_merge(
				array(
					'Authorization' => 'Bearer ' . Moderato_Options::site_key(),
					'Accept'        => 'application/json',
					'User-Agent'    => 'WordPress/' . get_bloginfo( 'version' ) . ' | Moderato/' . MODERATO_VERSION,
				),
				$headers
			),
		);
		if ( null !== $body ) {
			$args['headers']['Content-Type'] = 'application/json';
			$args['body']                    = wp_json_encode( $body );
		}
		$response = wp_remote_request( Moderato_Options::url() . $path, $args );
		if ( is_wp_error( $response ) ) {
			return array( 'status' => 0, 'body' => null, 'error' => $response->get_error_message() );
		}
		$status  = (int) wp_remote_retrieve_response_code( $response );
		$decoded = json_decode( wp_remote_retrieve_body( $response ), true );
		$decoded = is_array( $decoded ) ? $decoded : null;
		$error   = null;
		if ( $status < 200 || $status >= 300 ) {
			$error = 'HTTP ' . $status;
			if ( $decoded && isset( $decoded['detail'] ) ) {
				$error .= ': ' . $decoded['detail'];
				foreach ( isset( $decoded['errors'] ) && is_array( $decoded['errors'] ) ? $decoded['errors'] : array() as $problem ) {
					if ( is_array( $problem ) && isset( $problem['field'], $problem['message'] ) ) {
						$error .= ' ' . $problem['field'] . ': ' . $problem['message'] . '.';
					}
				}
			}
		}
		return array( 'status' => $status, 'body' => $decoded, 'error' => $error );
	}
}
