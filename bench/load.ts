// Load generator, run by bench/run.ts in a process of its own so that it does not share an event
// loop with what it measures. Reads its task as JSON from BENCH_LOAD, drives autocannon, and
// prints one JSON result line on stdout.
//
//   mode "fixed":  one request (method, path, body) repeated for `durationSeconds`
//   mode "mixed":  the operations of bench/operations.ts in turn, `amount` requests in all,
//                  optionally at `overallRate` requests/s; the correlation ids of the 202s are kept
import { writeFileSync } from 'node:fs'
import autocannon from 'autocannon'
import { mixedOperations } from './operations.ts'

interface LoadTask {
  url: string
  mode: 'fixed' | 'mixed'
  connections: number
  durationSeconds?: number
  amount?: number
  overallRate?: number
  method?: 'GET' | 'POST'
  body?: string
  userIds?: number[]
  /** Where the mixed mode writes the accepted correlation ids, one per line. */
  acceptedFile?: string
}

const task = JSON.parse(process.env.BENCH_LOAD ?? '') as LoadTask
// The first of the gateway's API keys, when it has any (the same variable the gateway reads).
const apiKey = process.env.API_KEYS?.split(',')[0]?.trim()
const keyHeader: Record<string, string> = apiKey ? { 'x-api-key': apiKey } : {}
const headers = { 'content-type': 'application/json', ...keyHeader }
const accepted: string[] = []

function requests(): autocannon.Request[] {
  if (task.mode === 'fixed') {
    return [
      {
        method: task.method ?? 'GET',
        ...(task.body ? { body: task.body, headers } : { headers: keyHeader })
      }
    ]
  }
  return mixedOperations(task.userIds ?? []).map((next) => ({
    setupRequest: (request: autocannon.Request) => {
      const { method, path, body } = next()
      return body === undefined
        ? { ...request, method, path, headers: keyHeader, body: undefined }
        : { ...request, method, path, headers, body }
    },
    onResponse: (status: number, body: string) => {
      if (status !== 202) return
      const match = /"correlation_id":"([0-9a-f-]{36})"/.exec(body)
      if (match?.[1]) accepted.push(match[1])
    }
  }))
}

// The generator's own CPU, from here on (module loading excluded): part of each operation's cost.
const cpuAtStart = process.cpuUsage()
const result = await autocannon({
  url: task.url,
  connections: task.connections,
  ...(task.amount ? { amount: task.amount } : { duration: task.durationSeconds ?? 10 }),
  ...(task.overallRate ? { overallRate: task.overallRate } : {}),
  // A request the server never answers counts as a timeout instead of stalling the run.
  timeout: 10,
  requests: requests()
})

if (task.acceptedFile) writeFileSync(task.acceptedFile, accepted.join('\n'))
const statusCodes: Record<string, number> = {}
for (const [code, { count }] of Object.entries(result.statusCodeStats ?? {})) {
  statusCodes[code] = count ?? 0
}
console.log(
  JSON.stringify({
    durationSeconds: result.duration,
    requests: result.requests.total,
    requestsPerSecond: result.requests.average,
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
    accepted: accepted.length,
    cpuMs: Math.round(
      (process.cpuUsage(cpuAtStart).user + process.cpuUsage(cpuAtStart).system) / 1000
    )
  })
)
