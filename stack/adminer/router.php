<?php
// Adminer without Docker: Debian's package (/usr/share/adminer) behind PHP's built-in server,
// which stack/tools.sh starts as `php -S ADDRESS stack/adminer/router.php` with
//   ADMINER_DEFAULT_SERVER    host:port of the platform's PostgreSQL (from POSTGRES_URL)
//   ADMINER_DEFAULT_USERNAME  its user, ADMINER_DEFAULT_DB its database
// Every request is Adminer's (its compiled file serves its own scripts and styles). A bare `/`
// opens the login of that PostgreSQL, as the dashboard's link does; compose's image prefills its
// ADMINER_DEFAULT_SERVER (`postgres`) the same way.

$path = parse_url($_SERVER['REQUEST_URI'] ?? '/', PHP_URL_PATH);
if ($path !== '/') {
    http_response_code(404);
    header('Content-Type: text/plain; charset=utf-8');
    echo "Not found: Adminer answers on /\n";
    return true;
}

if (($_SERVER['REQUEST_METHOD'] ?? 'GET') === 'GET' && ($_SERVER['QUERY_STRING'] ?? '') === '') {
    $login = array_filter([
        'pgsql' => getenv('ADMINER_DEFAULT_SERVER') ?: '',
        'username' => getenv('ADMINER_DEFAULT_USERNAME') ?: '',
        'db' => getenv('ADMINER_DEFAULT_DB') ?: '',
    ], 'strlen');
    if ($login) {
        header('Location: /?' . http_build_query($login), true, 302);
        return true;
    }
}

/** Adminer's own customization hook: the plugin that stops it from checking for new versions online. */
function adminer_object()
{
    include_once '/usr/share/adminer/plugins/plugin.php';
    include_once '/usr/share/adminer/plugins/version-noverify.php';
    return new AdminerPlugin([new AdminerVersionNoverify()]);
}

include '/usr/share/adminer/adminer.php';
return true;
