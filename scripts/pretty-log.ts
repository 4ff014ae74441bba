// The services' pino lines in a readable form (pino-pretty), every other line exactly as it is:
// the servers' logs, the start banners, Node.js warnings, Elasticsearch's JSON. A filter from
// standard input to standard output (`npm run logs`), and a module for scripts/dev.ts.
//
//   tail -f .stack/logs/gateway.log | node scripts/pretty-log.ts
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { isColorSupported, prettyFactory } from 'pino-pretty'

export interface PrettyLogOptions {
  /** ANSI colours; by default where the terminal supports them (NO_COLOR and FORCE_COLOR apply). */
  colorize?: boolean
  /** pino-pretty's time format; by default the local date and time to the millisecond. */
  timeFormat?: string
}

/** A line pino wrote: a JSON object with a numeric level and a time. */
function parsePinoLine(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{')) return undefined
  try {
    const value: unknown = JSON.parse(line)
    if (typeof value !== 'object' || value === null) return undefined
    const record = value as Record<string, unknown>
    return typeof record.level === 'number' && 'time' in record ? record : undefined
  } catch {
    return undefined
  }
}

/** Turns one log line into its display lines (an error's stack spans several). */
export function createPrettifier(options: PrettyLogOptions = {}): (line: string) => string[] {
  const pretty = prettyFactory({
    colorize: options.colorize ?? isColorSupported,
    translateTime: options.timeFormat ?? 'SYS:yyyy-mm-dd HH:MM:ss.l',
    // One line per entry (an error's stack still spans several), so services' lines interleave
    // readably. One process per file and per prefix: pid, host and service name add nothing.
    singleLine: true,
    ignore: 'pid,hostname,service'
  })
  return (line) => {
    const record = parsePinoLine(line)
    if (!record) return [line]
    return pretty(record)
      .replace(/\n$/, '')
      .split('\n')
      .map((shown) => shown.trimEnd())
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const prettify = createPrettifier()
  // A reader that goes away (`| head`) ends the filter quietly.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0)
    throw err
  })
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    process.stdout.write(`${prettify(line).join('\n')}\n`)
  }
}
