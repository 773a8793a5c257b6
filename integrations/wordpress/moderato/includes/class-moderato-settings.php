<?php
/**
 * Settings -> Moderato: the Moderato URL, the site key and the webhook secret.
 *
 * @package Moderato
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * The settings page.
 */
class Moderato_Settings {
	const PAGE  = 'moderato';
	const GROUP = 'moderato';

	/**
	 * Register the page and its settings.
	 */
	public static function init() {
		add_action( 'admin_menu', array( __CLASS__, 'menu' ) );
		add_action( 'admin_init', array( __CLASS__, 'register' ) );
		add_filter( 'plugin_action_links_' . plugin_basename( MODERATO_PLUGIN_FILE ), array( __CLASS__, 'action_links' ) );
	}

	/**
	 * Add Settings -> Moderato.
	 */
	public static function menu() {
		add_options_page( 'Moderato', 'Moderato', 'manage_options', self::PAGE, array( __CLASS__, 'render' ) );
	}

	/**
	 * A "Settings" link beside Deactivate on the Plugins page.
	 *
	 * @param array $links The plugin's links.
	 * @return array
	 */
	public static function action_links( $links ) {
		array_unshift( $links, '<a href="' . esc_url( admin_url( 'options-general.php?page=' . self::PAGE ) ) . '">Settings</a>' );
		return $links;
	}

	/**
	 * Register the options with their sanitising.
	 */
	public static function register() {
		register_setting( self::GROUP, Moderato_Options::URL, array( 'sanitize_callback' => array( __CLASS__, 'sanitize_url' ) ) );
		register_setting( self::GROUP, Moderato_Options::SITE_KEY, array( 'sanitize_callback' => array( __CLASS__, 'sanitize_secret' ) ) );
		register_setting( self::GROUP, Moderato_Options::WEBHOOK_SECRET, array( 'sanitize_callback' => array( __CLASS__, 'sanitize_secret' ) ) );
		register_setting( self::GROUP, Moderato_Options::POLL_SECONDS, array( 'sanitize_callback' => array( __CLASS__, 'sanitize_seconds' ) ) );
	}

	/**
	 * An http(s) URL without a trailing slash, or '' with an error shown.
	 *
	 * @param string $value What was typed.
	 * @return string
	 */
	public static function sanitize_url( $value ) {
		$value = trim( (string) $value );
		if ( '' === $value ) {
			return '';
		}
		if ( ! preg_match( '#^https?://[^\s/]+#i', $value ) ) {
			add_settings_error( Moderato_Options::URL, 'moderato_url', 'The Moderato URL must start with http:// or https://.' );
			return Moderato_Options::url();
		}
		return untrailingslashit( esc_url_raw( $value, array( 'http', 'https' ) ) );
	}

	/**
	 * A key or secret: printable characters, surrounding spaces dropped.
	 *
	 * @param string $value What was typed.
	 * @return string
	 */
	public static function sanitize_secret( $value ) {
		return preg_replace( '/[^\x21-\x7e]/', '', (string) $value );
	}

	/**
	 * Seconds between polls of the decisions feed.
	 *
	 * @param string $value What was typed.
	 * @return int
	 */
	public static function sanitize_seconds( $value ) {
		$seconds = (int) $value;
		return $seconds ? max( Moderato_Options::MIN_POLL_SECONDS, $seconds ) : Moderato_Options::DEFAULT_POLL_SECONDS;
	}

	/**
	 * The page.
	 */
	public static function render() {
		if ( ! current_user_can( 'manage_options' ) ) {
			return;
		}
		$last = get_option( Moderato_Options::LAST_FEED );
		?>
		<div class="wrap">
			<h1>Moderato</h1>
			<p>New comments are sent to Moderato and stay pending until it decides; its decisions (automatic, and your
				moderators' in Moderato) are applied here, and your own Approve, Spam, Not spam and Trash clicks go back
				to Moderato as training labels.</p>
			<form method="post" action="options.php" id="moderato-settings">
				<?php settings_fields( self::GROUP ); ?>
				<table class="form-table" role="presentation">
					<tr>
						<th scope="row"><label for="moderato_url">Moderato URL</label></th>
						<td><input name="<?php echo esc_attr( Moderato_Options::URL ); ?>" id="moderato_url" type="url" class="regular-text code"
							value="<?php echo esc_attr( Moderato_Options::url() ); ?>" placeholder="https://moderato.example.org">
							<p class="description">Where WordPress reaches your Moderato server.</p></td>
					</tr>
					<tr>
						<th scope="row"><label for="moderato_site_key">Site key</label></th>
						<td><input name="<?php echo esc_attr( Moderato_Options::SITE_KEY ); ?>" id="moderato_site_key" type="text" class="regular-text code" autocomplete="off"
							value="<?php echo esc_attr( Moderato_Options::site_key() ); ?>" placeholder="mod_key_...">
							<p class="description">The site's full API key (<code>moderato site create</code> or <code>moderato site key NAME</code>).</p></td>
					</tr>
					<tr>
						<th scope="row"><label for="moderato_webhook_secret">Webhook secret</label></th>
						<td><input name="<?php echo esc_attr( Moderato_Options::WEBHOOK_SECRET ); ?>" id="moderato_webhook_secret" type="text" class="regular-text code" autocomplete="off"
							value="<?php echo esc_attr( Moderato_Options::webhook_secret() ); ?>" placeholder="whsec_...">
							<p class="description">In Moderato, <strong>Sites</strong> &rarr; this site's webhook URL:
								<code id="moderato-webhook-url"><?php echo esc_html( Moderato_Webhook::url() ); ?></code>; paste the secret Moderato shows here.</p></td>
					</tr>
					<tr>
						<th scope="row"><label for="moderato_poll_seconds">Poll the decisions feed every</label></th>
						<td><input name="<?php echo esc_attr( Moderato_Options::POLL_SECONDS ); ?>" id="moderato_poll_seconds" type="number" min="<?php echo (int) Moderato_Options::MIN_POLL_SECONDS; ?>" class="small-text"
							value="<?php echo (int) Moderato_Options::poll_seconds(); ?>"> seconds
							<p class="description">The fallback for decisions whose webhook cannot reach this site (runs from WP-cron).
							<?php if ( is_array( $last ) && $last ) : ?>
								Last poll: <?php echo esc_html( gmdate( 'Y-m-d H:i:s', (int) $last[0] ) ); ?> UTC<?php echo $last[1] ? ', ' . esc_html( $last[1] ) : ', OK'; ?>.
							<?php endif; ?></p></td>
					</tr>
				</table>
				<?php submit_button(); ?>
			</form>
		</div>
		<?php
	}
}
