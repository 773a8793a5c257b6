<?php
/**
 * Plugin Name:       Moderato
 * Description:       Sends every new comment to your Moderato server, keeps it pending while Moderato decides, applies Moderato's decisions (automatic and your moderators') and reports your own approve / spam / not-spam clicks back as training labels.
 * Version:           1.0.0
 * Requires at least: 6.0
 * Requires PHP:      7.4
 * Author:            Moderato
 * License:           MIT
 * Text Domain:       moderato
 *
 * @package Moderato
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

define( 'MODERATO_VERSION', '1.0.0' );
define( 'MODERATO_PLUGIN_FILE', __FILE__ );

require_once __DIR__ . '/includes/class-moderato-options.php';
require_once __DIR__ . '/includes/class-moderato-client.php';
require_once __DIR__ . '/includes/class-moderato-decisions.php';
require_once __DIR__ . '/includes/class-moderato-comments.php';
require_once __DIR__ . '/includes/class-moderato-webhook.php';
require_once __DIR__ . '/includes/class-moderato-feed.php';
require_once __DIR__ . '/includes/class-moderato-settings.php';
require_once __DIR__ . '/includes/class-moderato-comment-list.php';

Moderato_Comments::init();
Moderato_Webhook::init();
Moderato_Feed::init();
Moderato_Settings::init();
Moderato_Comment_List::init();

register_activation_hook( __FILE__, array( 'Moderato_Feed', 'activate' ) );
register_deactivation_hook( __FILE__, array( 'Moderato_Feed', 'deactivate' ) );
