// `npm run dev` (started by scripts/platform.sh dev once the stack is up): the node services in
// watch mode, in the foreground. Each runs under `node --watch`, which restarts it when a file
// under its src/, contracts/src or runtime/src changes; its output is shown pretty-printed behind
// its name and appended, raw, to its .stack/logs file, so `npm run logs` sees it too. Ctrl-C stops
// them all, each through its own graceful shutdown; a second Ctrl-C kills them.
//
//   node scripts/dev.ts NAME=ENTRY…      e.g. gateway=gateway/src/server.ts, from the repository
//
// Entries and watched paths are relative to the current directory; logs go to $STACK_LOGS.
import { spawn, type ChildProcess } from 'node:child_process'
import { createWriteStream, mkdirSync, readFileSync, rmSync, type WriteStream } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import type { Readable } from 'node:stream'
import { styleText } from 'node:util'
import { isColorSupported } from 'pino-pretty'
import { createPrettifier } from './pretty-log.ts'

const root = process.cwd()
const logDir = process.env.STACK_LOGS ?? join(root, '.stack', 'logs')
const pidFile = process.env.DEV_PID_FILE

const services = process.argv.slice(2).map((arg) => {
  const [name, entry] = arg.split('=')
  if (!name || !entry) throw new Error(`expected NAME=ENTRY, got '${arg}'`)
  return { name, entry }
})
if (services.length === 0) throw new Error('usage: node scripts/dev.ts NAME=ENTRY…')

const colorize = isColorSupported
const prettify = createPrettifier({ colorize, timeFormat: 'SYS:HH:MM:ss.l' })
const width = Math.max(...services.map((s) => s.name.length))
const colours = ['cyan', 'magenta', 'yellow', 'green', 'blue'] as const

const say = (text: string) =>
  console.log(colorize ? styleText('bold', `[dev] ${text}`) : `[dev] ${text}`)

interface Running {
  name: string
  child: ChildProcess
  log: WriteStream
}
const running = new Map<string, Running>()
let stopping = 0

function relay(stream: Readable, prefix: string, log: WriteStream) {
  const lines = createInterface({ input: stream, crlfDelay: Infinity })
  lines.on('line', (line) => {
    log.write(`${line}\n`)
    for (const shown of prettify(line)) process.stdout.write(`${prefix}${shown}\n`)
  })
}

function start(name: string, entry: string, colour: (typeof colours)[number]) {
  const log = createWriteStream(join(logDir, `${name}.log`), { flags: 'a' })
  log.write(`\n=== ${new Date().toISOString()} starting ${name} (npm run dev, watch mode)\n`)
  const label = `${name.padEnd(width)} │ `
  const prefix = colorize ? styleText(colour, label) : label
  const child = spawn(
    process.execPath,
    [
      '--watch',
      // Without it each restart clears the terminal, and with it the other services' lines.
      '--watch-preserve-output',
      // --watch alone follows only what the entry imports; these are exactly what `npm run up`
      // checks for changes, contracts and runtime included; a deleted or added file counts too.
      `--watch-path=${name}/src`,
      '--watch-path=contracts/src',
      '--watch-path=runtime/src',
      entry
    ],
    // A process group of its own: Ctrl-C reaches only this script, which then stops each watcher
    // once. (In the terminal's group the service would get SIGINT twice, from the terminal and from
    // its watcher, and the second would cut its graceful shutdown short.)
    { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: process.env }
  )
  relay(child.stdout, prefix, log)
  relay(child.stderr, prefix, log)
  running.set(name, { name, child, log })
  child.on('error', (err) => say(`${name}: ${err.message}`))
  child.on('close', (code, signal) => {
    running.delete(name)
    log.end()
    if (!stopping) say(`${name}'s watcher ended (${signal ?? `exit code ${code}`})`)
    if (running.size === 0) finish()
  })
}

function finish() {
  if (pidFile) {
    try {
      if (readFileSync(pidFile, 'utf8').trim() === String(process.pid)) rmSync(pidFile)
    } catch {}
  }
  if (stopping) say('stopped')
  process.exit(stopping ? 0 : 1)
}

let firstSignalAt = 0
function stop() {
  // One Ctrl-C can arrive twice: from the terminal and forwarded by npm to its script.
  if (stopping && Date.now() - firstSignalAt < 1_000) return
  stopping += 1
  if (stopping === 1) {
    firstSignalAt = Date.now()
    say(`stopping ${[...running.keys()].join(', ')}… (Ctrl-C again kills them)`)
    // The watcher passes SIGTERM on to its service and exits when the service has.
    for (const { child } of running.values()) child.kill('SIGTERM')
  } else {
    for (const { child } of running.values()) {
      if (child.pid) {
        try {
          process.kill(-child.pid, 'SIGKILL')
        } catch {}
      }
    }
  }
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, stop)

mkdirSync(logDir, { recursive: true })
services.forEach(({ name, entry }, i) => start(name, entry, colours[i % colours.length] ?? 'cyan'))
say(
  `watching ${services.map((s) => s.name).join(', ')}: a saved file under <service>/src or ` +
    'contracts/src or runtime/src restarts its service; Ctrl-C stops them all'
)
