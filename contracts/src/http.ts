// The HTTP vocabulary of every service; the plugin and handlers that answer with it are in
// @streaming/runtime (http-errors.ts).

/**
 * The longest request target (path and query string) a service answers; longer ones get 414.
 * 8 KiB is what HTTP/1.1 implementations are expected to take (RFC 9110 §4.1: at least 8000
 * octets), what nginx in front of the dashboard passes (`large_client_header_buffers 4 8k`) and
 * half of Node's limit on the whole request head, so the headers keep room of their own. No
 * legitimate URL comes close: the longest query-string input (a 2000-character synopsis) is
 * ~3 KiB encoded, and a larger input belongs in a JSON body.
 */
export const MAX_URL_LENGTH = 8192
