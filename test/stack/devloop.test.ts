// The developer loop's scripts, without the platform: logs (stack:logs, npm run logs), the change
// test behind `npm run up`, what `stack:up` installs, `restart`'s checks and `npm run dev`'s watch
// mode. Each runs against a folder of its own (STACK_HOME, a stub STACK_DIR, a fake service), so
// no server or service of the machine is touched.
import assert from 'node:assert/strict'
import { execFile, spawn } from 'node:child_process'
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { promisify } from 'node:util'
import { createPrettifier } from '../../scripts/pretty-log.ts'

const root = new URL('../..', import.meta.url).pathname
const execFileAsync = promisify(execFile)

// This Node.js first on PATH, so stack/node.sh finds it and never fetches one into STACK_HOME.
const PATH = `${dirname(process.execPath)}:${process.env.PATH ?? ''}`

function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'devloop-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

interface Run {
  code: number
  stdout: string
  stderr: string
}

async function bash(args: string[], env: Record<string, string>, cwd = root): Promise<Run> {
  try {
    const { stdout, stderr } = await execFileAsync('bash', args, {
      cwd,
      env: { ...process.env, PATH, NO_COLOR: '1', ...env },
      timeout: 60_000
    })
    return { code: 0, stdout, stderr }
  } catch (err) {
    const { code, stdout, stderr } = err as { code?: number; stdout?: string; stderr?: string }
    return { code: typeof code === 'number' ? code : 1, stdout: stdout ?? '', stderr: stderr ?? '' }
  }
}

const PINO_LINE = JSON.stringify({
  level: 30,
  time: Date.UTC(2026, 0, 2, 3, 4, 5, 678),
  pid: 4242,
  hostname: 'devbox',
  service: 'gateway',
  correlation_id: 'c0ffee',
  msg: 'server listening'
})
const BANNER = '=== 2026-01-02T03:04:05Z starting gateway'
const ES_LINE = '{"@timestamp":"2026-01-02T03:04:05.678Z","log.level":"INFO","message":"started"}'

/** A STACK_HOME holding a gateway log (pino JSON and a banner) and two servers' logs. */
function logsHome(t: TestContext): string {
  const home = tempDir(t)
  mkdirSync(join(home, 'logs'))
  writeFileSync(join(home, 'logs', 'gateway.log'), `\n${BANNER}\n${PINO_LINE}\n`)
  writeFileSync(join(home, 'logs', 'elasticsearch.log'), `${ES_LINE}\n`)
  writeFileSync(join(home, 'logs', 'kafka.log'), '[2026-01-02 03:04:05,678] INFO started\n')
  return home
}

test('stack:logs takes service names as well as servers, and prints lines as they are', async (t) => {
  const home = logsHome(t)
  const gateway = await bash(['stack/stack.sh', 'logs', 'gateway'], { STACK_HOME: home })
  assert.equal(gateway.code, 0, gateway.stderr)
  assert.ok(gateway.stdout.includes(PINO_LINE), gateway.stdout)

  const kafka = await bash(['stack/stack.sh', 'logs', 'kafka'], { STACK_HOME: home })
  assert.equal(kafka.code, 0, kafka.stderr)
  assert.match(kafka.stdout, /INFO started/)

  const unknown = await bash(['stack/stack.sh', 'logs', 'nosuch'], { STACK_HOME: home })
  assert.notEqual(unknown.code, 0)
  assert.match(unknown.stderr, /unknown server or service 'nosuch'.*services: .*gateway/)
})

test('npm run logs pretty-prints pino lines and leaves every other line alone', async (t) => {
  const home = logsHome(t)
  const gateway = await bash(['scripts/platform.sh', 'logs', 'gateway'], { STACK_HOME: home })
  assert.equal(gateway.code, 0, gateway.stderr)
  assert.ok(!gateway.stdout.includes('"level":30'), `raw JSON left:\n${gateway.stdout}`)
  // Local time, to the millisecond; one line, the extra fields behind the message.
  assert.match(
    gateway.stdout,
    /^\[2026-01-0[12] \d\d:\d\d:05\.678\] INFO: server listening \{"correlation_id":"c0ffee"\}$/m
  )
  assert.ok(gateway.stdout.includes(`${BANNER}\n`), 'the start banner as it is')
  assert.ok(!gateway.stdout.includes('devbox'), 'pid and hostname are left out')

  const servers = await bash(['scripts/platform.sh', 'logs', 'elasticsearch', 'kafka'], {
    STACK_HOME: home
  })
  assert.equal(servers.code, 0, servers.stderr)
  assert.ok(servers.stdout.includes(`${ES_LINE}\n`), 'a server JSON line as it is')
  assert.match(servers.stdout, /^\[2026-01-02 03:04:05,678\] INFO started$/m)

  const missing = await bash(['scripts/platform.sh', 'logs', 'monitor'], { STACK_HOME: home })
  assert.notEqual(missing.code, 0)
  assert.match(missing.stderr, /no log yet: .*monitor\.log/)
})

test('the prettifier: several lines for an error, other JSON untouched', () => {
  const prettify = createPrettifier({ colorize: false, timeFormat: 'SYS:HH:MM:ss' })
  const err = JSON.stringify({
    level: 50,
    time: Date.now(),
    err: { type: 'Error', message: 'boom', stack: 'Error: boom\n    at handler (x.ts:1:1)' },
    msg: 'request failed'
  })
  const lines = prettify(err)
  assert.match(lines[0] ?? '', /^\[\d\d:\d\d:\d\d\] ERROR: request failed$/)
  assert.ok(lines.some((line) => line.includes('at handler (x.ts:1:1)')))
  assert.deepEqual(prettify('{"level":"info","msg":"not pino"}'), [
    '{"level":"info","msg":"not pino"}'
  ])
  assert.deepEqual(prettify('{not json'), ['{not json'])
})

/** A pid file for `service` naming a live process (this test's), started at `startedAt`. */
function runningService(home: string, service: string, startedAt: Date, pid = process.pid) {
  mkdirSync(join(home, 'run'), { recursive: true })
  const file = join(home, 'run', `${service}.pid`)
  writeFileSync(file, `${pid}\n`)
  utimesSync(file, startedAt, startedAt)
}

test('npm run up notices code saved after a service started', async (t) => {
  const home = tempDir(t)
  // Started long before any file of the checkout was written: its sources all changed since.
  runningService(home, 'gateway', new Date('2001-01-01'))
  runningService(home, 'processor', new Date('2001-01-01'))
  // Started "tomorrow": nothing is newer.
  runningService(home, 'monitor', new Date(Date.now() + 86_400_000))
  const changed = await bash(['scripts/platform.sh', 'changed'], { STACK_HOME: home })
  assert.equal(changed.code, 0, changed.stderr)
  const lines = changed.stdout.trim().split('\n')
  assert.equal(lines.length, 2, changed.stdout)
  assert.match(
    lines[0] ?? '',
    /^processor (processor\/src\/|contracts\/|runtime\/|processor\/package\.json)/
  )
  assert.match(
    lines[1] ?? '',
    /^gateway (gateway\/src\/|contracts\/|runtime\/|gateway\/package\.json)/
  )

  // A pid file whose process is gone is no running service.
  const gone = spawn(process.execPath, ['-e', '0'])
  await new Promise((resolve) => gone.on('exit', resolve))
  runningService(home, 'gateway', new Date('2001-01-01'), gone.pid)
  const after = await bash(['scripts/platform.sh', 'changed', 'gateway'], { STACK_HOME: home })
  assert.equal(after.stdout, '')
})

test('stack_newer_than: a file saved after the reference, then a directory a file left', async (t) => {
  const dir = tempDir(t)
  const reference = join(dir, 'started')
  mkdirSync(join(dir, 'src', 'routes'), { recursive: true })
  writeFileSync(join(dir, 'src', 'routes', 'a.ts'), '')
  writeFileSync(join(dir, 'package.json'), '{}')
  writeFileSync(reference, '')
  const past = new Date(Date.now() - 60_000)
  for (const path of ['src/routes/a.ts', 'src/routes', 'src', 'package.json']) {
    utimesSync(join(dir, path), past, past)
  }
  const newer = (...paths: string[]) =>
    bash(['-c', '. stack/lib.sh && stack_newer_than "$@"', 'newer', reference, ...paths], {
      STACK_HOME: join(dir, 'home')
    })

  assert.deepEqual(await newer(join(dir, 'src'), join(dir, 'package.json'), join(dir, 'nope')), {
    code: 1,
    stdout: '',
    stderr: ''
  })
  writeFileSync(join(dir, 'src', 'routes', 'a.ts'), 'export {}')
  assert.equal((await newer(join(dir, 'src'))).stdout, `${join(dir, 'src', 'routes', 'a.ts')}\n`)
  rmSync(join(dir, 'src', 'routes', 'a.ts'))
  utimesSync(reference, new Date(), new Date())
  utimesSync(join(dir, 'src', 'routes'), new Date(Date.now() + 5_000), new Date(Date.now() + 5_000))
  assert.equal((await newer(join(dir, 'src'))).stdout, `${join(dir, 'src', 'routes')}\n`)
})

/** A stack folder whose servers are stubs that only record being installed, and answer at once. */
function stubStack(t: TestContext): { stackDir: string; home: string; installed: () => string[] } {
  const dir = tempDir(t)
  const stackDir = join(dir, 'stack')
  mkdirSync(join(stackDir, 'servers'), { recursive: true })
  copyFileSync(join(root, '.nvmrc'), join(dir, '.nvmrc'))
  symlinkSync(join(root, 'stack', 'node.sh'), join(stackDir, 'node.sh'))
  symlinkSync(join(root, 'stack', 'versions.env'), join(stackDir, 'versions.env'))
  const names = ['postgres', 'redis', 'ferretdb', 'kafka', 'elasticsearch', 'nginx', 'chromium']
  for (const name of names) {
    writeFileSync(
      join(stackDir, 'servers', `${name}.sh`),
      `${name}_install() { echo ${name} >>"$STACK_HOME/installed"; }\n` +
        `${name}_ready() { return 0; }\n${name}_start() { return 1; }\n`
    )
  }
  const home = join(dir, 'home')
  const installed = () => {
    try {
      return readFileSync(join(home, 'installed'), 'utf8').trim().split('\n')
    } catch {
      return []
    }
  }
  return { stackDir, home, installed }
}

test('stack:up installs what runs the platform; Chromium only on request', async (t) => {
  const { stackDir, home, installed } = stubStack(t)
  const env = { STACK_DIR: stackDir, STACK_HOME: home }
  const up = await bash(['stack/stack.sh', 'up'], env)
  assert.equal(up.code, 0, up.stderr)
  assert.match(up.stderr, /stack up: postgres redis ferretdb kafka elasticsearch/)
  assert.deepEqual(installed(), [
    'postgres',
    'redis',
    'ferretdb',
    'kafka',
    'elasticsearch',
    'nginx'
  ])

  const chromium = await bash(['stack/stack.sh', 'chromium'], env)
  assert.equal(chromium.code, 0, chromium.stderr)
  assert.deepEqual(installed().slice(6), ['chromium'])
})

test('restart refuses unknown services and those npm run dev watches', async (t) => {
  const home = tempDir(t)
  const unknown = await bash(['scripts/platform.sh', 'restart', 'nosuch'], { STACK_HOME: home })
  assert.notEqual(unknown.code, 0)
  assert.match(
    unknown.stderr,
    /unknown service 'nosuch' \(services: processor gateway monitor dashboard; tools: adminer mongo-express redis-commander\)/
  )

  runningService(home, 'dev', new Date())
  const underDev = await bash(['scripts/platform.sh', 'restart'], { STACK_HOME: home })
  assert.notEqual(underDev.code, 0)
  assert.match(underDev.stderr, /processor runs under npm run dev \(pid \d+\)/)
})

/** Nothing answers on port 9 here: the status lines of services and tools without touching any. */
const NOWHERE = {
  GATEWAY_PORT: '9',
  PROCESSOR_PORT: '9',
  MONITOR_PORT: '9',
  DASHBOARD_PORT: '9',
  ADMINER_PORT: '9',
  MONGO_EXPRESS_PORT: '9',
  REDIS_COMMANDER_PORT: '9'
}

test('PLATFORM_TOOLS: 1 or unset starts the admin UIs, 0 leaves them out, anything else stops up', async (t) => {
  const enabled = (value?: string) =>
    bash(
      [
        '-c',
        '. stack/lib.sh && . stack/tools.sh && if tools_enabled; then echo on; else echo off; fi'
      ],
      { STACK_HOME: tempDir(t), ...(value === undefined ? {} : { PLATFORM_TOOLS: value }) }
    )
  assert.equal((await enabled()).stdout, 'on\n')
  assert.equal((await enabled('1')).stdout, 'on\n')
  assert.equal((await enabled('0')).stdout, 'off\n')
  const wrong = await enabled('yes')
  assert.notEqual(wrong.code, 0)
  assert.match(wrong.stderr, /PLATFORM_TOOLS must be 1 .* or 0 .*, not 'yes'/)

  // `up` refuses a wrong value before it installs or starts anything.
  const { stackDir, home, installed } = stubStack(t)
  const up = await bash(['scripts/platform.sh', 'up'], {
    STACK_DIR: stackDir,
    STACK_HOME: home,
    PLATFORM_TOOLS: 'yes'
  })
  assert.notEqual(up.code, 0)
  assert.match(up.stderr, /PLATFORM_TOOLS must be/)
  assert.deepEqual(installed(), [])
})

test('status shows the admin UIs, or that PLATFORM_TOOLS=0 left them out; restart refuses them then', async (t) => {
  const { stackDir, home } = stubStack(t)
  const env = { STACK_DIR: stackDir, STACK_HOME: home, ...NOWHERE }
  const tools = (stdout: string) =>
    stdout
      .split('\n')
      .filter((line) => /^(adminer|mongo-express|redis-commander) /.test(line))
      .map((line) => line.replace(/\s+/g, ' '))

  const off = await bash(['scripts/platform.sh', 'status'], { ...env, PLATFORM_TOOLS: '0' })
  assert.deepEqual(tools(off.stdout), [
    'adminer http://127.0.0.1:9/ off (PLATFORM_TOOLS=0)',
    'mongo-express http://127.0.0.1:9/ off (PLATFORM_TOOLS=0)',
    'redis-commander http://127.0.0.1:9/ off (PLATFORM_TOOLS=0)'
  ])
  const on = await bash(['scripts/platform.sh', 'status'], env)
  assert.notEqual(on.code, 0, 'nothing answers')
  assert.deepEqual(tools(on.stdout), [
    'adminer http://127.0.0.1:9/ not healthy',
    'mongo-express http://127.0.0.1:9/ not healthy',
    'redis-commander http://127.0.0.1:9/ not healthy'
  ])

  const restart = await bash(['scripts/platform.sh', 'restart', 'adminer'], {
    STACK_HOME: home,
    PLATFORM_TOOLS: '0'
  })
  assert.notEqual(restart.code, 0)
  assert.match(restart.stderr, /adminer is left out by PLATFORM_TOOLS=0/)

  // Their logs are named like the services'.
  mkdirSync(join(home, 'logs'), { recursive: true })
  writeFileSync(join(home, 'logs', 'adminer.log'), 'PHP Development Server started\n')
  const logs = await bash(['stack/stack.sh', 'logs', 'adminer'], { STACK_HOME: home })
  assert.equal(logs.code, 0, logs.stderr)
  assert.match(logs.stdout, /PHP Development Server started/)
})

test('the developer scripts are npm scripts', () => {
  const { scripts } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>
  }
  assert.equal(scripts.dev, 'bash scripts/platform.sh dev')
  assert.equal(scripts.restart, 'bash scripts/platform.sh restart')
  assert.equal(scripts.logs, 'bash scripts/platform.sh logs')
})

test('dev: watch mode behind a prefix, restarts on a contracts change, Ctrl-C stops cleanly', async (t) => {
  const dir = tempDir(t)
  mkdirSync(join(dir, 'svc', 'src'), { recursive: true })
  mkdirSync(join(dir, 'contracts', 'src'), { recursive: true })
  mkdirSync(join(dir, 'runtime', 'src'), { recursive: true })
  // A service that logs like pino and shuts down gracefully on SIGTERM or SIGINT.
  writeFileSync(
    join(dir, 'svc', 'src', 'main.mjs'),
    `const log = (msg) => console.log(JSON.stringify({ level: 30, time: Date.now(), pid: process.pid, msg }))
log('started')
const stop = () => { log('shutting down'); setTimeout(() => { log('stopped'); process.exit(0) }, 200) }
process.once('SIGTERM', stop)
process.once('SIGINT', stop)
setInterval(() => {}, 1000)
`
  )
  const logs = join(dir, 'logs')
  const pidFile = join(dir, 'dev.pid')
  const dev = spawn(process.execPath, [join(root, 'scripts', 'dev.ts'), 'svc=svc/src/main.mjs'], {
    cwd: dir,
    env: { ...process.env, PATH, NO_COLOR: '1', STACK_LOGS: logs, DEV_PID_FILE: pidFile },
    stdio: ['ignore', 'pipe', 'pipe'],
    // A process group like a terminal's, so Ctrl-C can be sent the way a terminal sends it.
    detached: true
  })
  writeFileSync(pidFile, `${dev.pid}\n`)
  t.after(() => {
    if (dev.exitCode === null) dev.kill('SIGKILL')
  })
  let output = ''
  dev.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  dev.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise<number | null>((resolve) => dev.on('exit', (code) => resolve(code)))

  const waitFor = async (pattern: RegExp, count = 1) => {
    const deadline = Date.now() + 20_000
    while ((output.match(new RegExp(pattern, 'gm')) ?? []).length < count) {
      assert.ok(Date.now() < deadline, `no ${count}× ${pattern} in:\n${output}`)
      await sleep(50)
    }
  }

  await waitFor(/^svc │ \[\d\d:\d\d:\d\d\.\d{3}\] INFO: started$/)
  writeFileSync(join(dir, 'contracts', 'src', 'index.ts'), 'export {}\n')
  await waitFor(/^svc │ .*INFO: stopped$/)
  await waitFor(/^svc │ .*INFO: started$/, 2)

  // Ctrl-C: SIGINT to the whole foreground process group.
  process.kill(-(dev.pid ?? 0), 'SIGINT')
  assert.equal(await exited, 0, output)
  // The service shut down on its own terms, once: only its watcher passed a signal on.
  assert.equal((output.match(/INFO: shutting down/g) ?? []).length, 2, output)
  assert.equal((output.match(/INFO: stopped/g) ?? []).length, 2, output)
  assert.match(output, /\[dev\] stopped/)
  assert.throws(() => readFileSync(pidFile), /ENOENT/, 'dev removes its pid file')

  const log = readFileSync(join(logs, 'svc.log'), 'utf8')
  assert.match(log, /=== .* starting svc \(npm run dev, watch mode\)/)
  assert.match(log, /^\{"level":30,.*"msg":"started"\}$/m)
})
