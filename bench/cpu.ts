// CPU time of every process of the platform, read from /proc: for each service and server, its
// process and every descendant (PostgreSQL's backends, a wrapper's child), user + system time.
// The bench samples it before and after a scenario; the difference, divided by the operations
// of the scenario, is the CPU budget per operation of each process. Linux only, like the stack.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

/** The processes the bench accounts for, by the pid file `npm run up` leaves in .stack/run. */
export const measuredProcesses = [
  'gateway',
  'processor',
  'monitor',
  'kafka',
  'elasticsearch',
  'postgres',
  'ferretdb',
  'redis'
] as const
export type MeasuredProcess = (typeof measuredProcesses)[number]

// The kernel counts in clock ticks; USER_HZ is 100 on every Linux this stack runs on.
const MS_PER_TICK = 10

interface ProcStat {
  ppid: number
  ticks: number
}

function readStat(pid: string): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The command name may hold spaces and parentheses: the fields start after the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ')
    return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) }
  } catch {
    return undefined // gone between the listing and the read
  }
}

/** CPU milliseconds of each root pid and its descendants, from one pass over /proc. */
function treeCpuMs(roots: Map<string, number>): Record<string, number> {
  const stats = new Map<number, ProcStat>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const stat = readStat(entry)
    if (stat) stats.set(Number(entry), stat)
  }
  const children = new Map<number, number[]>()
  for (const [pid, { ppid }] of stats) children.set(ppid, [...(children.get(ppid) ?? []), pid])
  const result: Record<string, number> = {}
  for (const [name, root] of roots) {
    let ticks = 0
    const pending = [root]
    while (pending.length > 0) {
      const pid = pending.pop() as number
      ticks += stats.get(pid)?.ticks ?? 0
      pending.push(...(children.get(pid) ?? []))
    }
    result[name] = ticks * MS_PER_TICK
  }
  return result
}

/** The pids of the measured processes that have a pid file and run. */
export function platformPids(root: string): Map<string, number> {
  const pids = new Map<string, number>()
  for (const name of measuredProcesses) {
    try {
      const pid = Number(readFileSync(join(root, '.stack', 'run', `${name}.pid`), 'utf8').trim())
      if (pid > 0 && readStat(String(pid))) pids.set(name, pid)
    } catch {
      // Not started by the native stack (compose, or another machine): not measured.
    }
  }
  return pids
}

export type CpuSample = Record<string, number>

export const sampleCpu = (pids: Map<string, number>): CpuSample => treeCpuMs(pids)

/**
 * CPU milliseconds per operation of each process between two samples, the load generator's
 * own (measured inside it) added as `load generator`, and their sum as `total`.
 */
export function cpuPerOperation(
  before: CpuSample,
  after: CpuSample,
  operations: number,
  loadGeneratorMs?: number
): Record<string, number> {
  const perOperation: Record<string, number> = {}
  let total = 0
  for (const [name, ms] of Object.entries(after)) {
    const used = ms - (before[name] ?? 0)
    perOperation[name] = Number((used / operations).toFixed(3))
    total += used
  }
  if (loadGeneratorMs !== undefined) {
    perOperation['load generator'] = Number((loadGeneratorMs / operations).toFixed(3))
    total += loadGeneratorMs
  }
  perOperation.total = Number((total / operations).toFixed(3))
  return perOperation
}
