<?php
/**
 * A "Moderato" column in Comments: Moderato's status, scores and reasons for each comment.
 *
 * @package Moderato
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * The comment list column.
 */
class Moderato_Comment_List {
	const COLUMN = 'moderato';

	/**
	 * Register the column.
	 */
	public static function init() {
		add_filter( 'manage_edit-comments_columns', array( __CLASS__, 'columns' ) );
		add_action( 'manage_comments_custom_column', array( __CLASS__, 'render' ), 10, 2 );
	}

	/**
	 * Add the column after the comment.
	 *
	 * @param array $columns The list's columns.
	 * @return array
	 */
	public static function columns( $columns ) {
		$columns[ self::COLUMN ] = 'Moderato';
		return $columns;
	}

	/**
	 * Render one cell: everything Moderato sent is text, escaped.
	 *
	 * @param string $column     Column name.
	 * @param int    $comment_id WordPress comment id.
	 */
	public static function render( $column, $comment_id ) {
		if ( self::COLUMN !== $column ) {
			return;
		}
		$moderato_id = get_comment_meta( $comment_id, Moderato_Options::META_ID, true );
		$error       = get_comment_meta( $comment_id, Moderato_Options::META_ERROR, true );
		echo '<div class="moderato-cell">';
		if ( $moderato_id ) {
			$status = (string) get_comment_meta( $comment_id, Moderato_Options::META_STATUS, true );
			echo '<strong class="moderato-status">' . esc_html( $status ? $status : 'pending' ) . '</strong> ';
			echo '<span class="moderato-id">#' . esc_html( $moderato_id ) . '</span>';
			$scores = get_comment_meta( $comment_id, Moderato_Options::META_SCORES, true );
			if ( is_array( $scores ) && $scores ) {
				echo '<ul class="moderato-scores">';
				foreach ( array( 'spam', 'toxicity' ) as $head ) {
					if ( isset( $scores[ $head ] ) && is_numeric( $scores[ $head ] ) ) {
						echo '<li>' . esc_html( $head ) . ': ' . esc_html( number_format( 100 * (float) $scores[ $head ], 1 ) ) . '%</li>';
					}
				}
				echo '</ul>';
			}
			$reasons = get_comment_meta( $comment_id, Moderato_Options::META_REASONS, true );
			if ( is_array( $reasons ) && $reasons ) {
				echo '<ul class="moderato-reasons">';
				foreach ( $reasons as $reason ) {
					if ( ! is_array( $reason ) || ! isset( $reason['code'] ) ) {
						continue;
					}
					$text = (string) $reason['code'];
					if ( isset( $reason['detail'] ) && '' !== (string) $reason['detail'] ) {
						$text .= ': ' . $reason['detail'];
					}
					echo '<li>' . esc_html( $text ) . '</li>';
				}
				echo '</ul>';
			}
		} elseif ( get_comment_meta( $comment_id, Moderato_Options::META_RETRY, true ) ) {
			echo '<em>waiting to reach Moderato</em>';
		}
		if ( $error ) {
			echo '<p class="moderato-error">' . esc_html( $error ) . '</p>';
		}
		echo '</div>';
	}
}
