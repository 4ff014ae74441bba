/**
 * Routes that stay open whatever the security settings: the service's identity, its probes, its
 * metrics scrape and its documentation. Neither the rate limit nor the API keys apply to them,
 * so orchestrators, Prometheus and people reading /docs never need a key or get a 429.
 * `url` is the route pattern (`request.routeOptions.url`), not the request's URL.
 */
export function isOpenRoute(url: string | undefined): boolean {
  if (url === undefined) return false
  return (
    url === '/' ||
    url === '/health' ||
    url === '/metrics' ||
    url === '/docs' ||
    url.startsWith('/docs/')
  )
}
