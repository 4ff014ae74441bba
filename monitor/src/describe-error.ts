/** The error of a failed request, shortened for a log line or a health answer. */
export const describeError = (err: unknown): string => {
  const meta = (err as { meta?: { statusCode?: number } } | null)?.meta
  const message = err instanceof Error ? err.message : String(err)
  return (meta?.statusCode ? `HTTP ${meta.statusCode}: ${message}` : message).slice(0, 500)
}
