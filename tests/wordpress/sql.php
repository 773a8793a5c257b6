<?php
// Run one SQL statement against the test MariaDB and print its rows as JSON (tests/wordpress/wordpress.py).
// Usage: php sql.php DATABASE "SQL with ? placeholders" [PARAMETER ...]   (DATABASE "" for none)
mysqli_report( MYSQLI_REPORT_ERROR | MYSQLI_REPORT_STRICT );
$db     = new mysqli( '127.0.0.1', 'root', '', '' === $argv[1] ? null : $argv[1], 3306 );
$db->set_charset( 'utf8mb4' );
$result = $db->execute_query( $argv[2], array_slice( $argv, 3 ) );
$rows   = array();
if ( $result instanceof mysqli_result ) {
	while ( $row = $result->fetch_assoc() ) {
		$rows[] = $row;
	}
}
echo json_encode( $rows );
