// The test command, in two layers:
//   npm run test:unit          the unit layer: no server needed, never brings the stack up,
//                              with a coverage report and floor (see `unitOptions` below)
//   npm run test:integration   the integration layer: tests against the real servers
//   npm test                   both, unit first (what CI runs)
//   npm test -- files…         the files given, as one run (the stack brought up if they need it)
// Which layer a file belongs to is decided by its path alone (`layerOf`):
//   - the root test/ folder (e2e, drills, stack, compose, contract) and any *.integration.test.ts
//     are the integration layer: they use Kafka, PostgreSQL, MongoDB, Redis, Elasticsearch or a
//     browser;
//   - every other *.test.ts, beside its service in <workspace>/test/, is the unit layer: it may
//     listen on a local port of its own, but connects to no server.
// Before the integration layer, the native server stack is brought up when the servers do not
// answer (set STACK_AUTO_UP=0 to test against servers started another way).
// Node.js runs the TypeScript itself: npm starts this file through stack/node.sh.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const testRoots = ['contracts', 'runtime', 'gateway', 'processor', 'monitor', 'test']
const layers = ['unit', 'integration']

/** 'integration' for a file that needs the servers, 'unit' for one that does not. */
function layerOf(file) {
  return file.startsWith('test/') || file.endsWith('.integration.test.ts') ? 'integration' : 'unit'
}

// The unit layer runs its files in one process (they share no server and change no process-wide
// state; each file in a process of its own took a minute more, loading the same modules again),
// with the coverage of the sources of the services, the contracts and the runtime, and a floor
// below which it fails: a little under what it measures (lines 97.4 %, branches 89.7 %, functions
// 95.8 %); raise it as tests are added. Node counts the source files the tests load.
const unitOptions = [
  '--test-isolation=none',
  '--experimental-test-coverage',
  ...['contracts', 'runtime', 'gateway', 'processor', 'monitor'].map(
    (dir) => `--test-coverage-include=${dir}/src/**`
  ),
  '--test-coverage-exclude=**/node_modules/**',
  '--test-coverage-exclude=**/*.test.ts',
  '--test-coverage-lines=95',
  '--test-coverage-branches=87',
  '--test-coverage-functions=93'
]

function loadDotEnv() {
  const file = join(root, '.env')
  if (!existsSync(file)) return
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^\s*([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line)
    if (match && process.env[match[1]] === undefined) process.env[match[1]] = match[2]
  }
}

function findTests(dir) {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name === 'dist') return []
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return findTests(path)
    return entry.name.endsWith('.test.ts') ? [relative(root, path)] : []
  })
}

function run(command, args) {
  return spawnSync(command, args, { cwd: root, stdio: 'inherit', env: process.env }).status ?? 1
}

let stackChecked = false
function ensureStack() {
  if (stackChecked || process.env.STACK_AUTO_UP === '0') return
  stackChecked = true
  const status = spawnSync('bash', ['stack/stack.sh', 'status'], { cwd: root, encoding: 'utf8' })
  if (status.status !== 0) {
    console.log('[test] some servers do not answer; bringing the native stack up')
    if (run('bash', ['stack/stack.sh', 'up']) !== 0) {
      console.error('[test] the native stack did not come up; see the lines above')
      process.exit(1)
    }
  }
}

function nodeTest(files, extra = []) {
  return run(process.execPath, [
    '--test',
    '--test-reporter=spec',
    // Files share the servers, and some stop one (outage tests): one file at a time.
    '--test-concurrency=1',
    // A bound on any one test, and no file left waiting on a handle a client forgot to close.
    '--test-timeout=600000',
    '--test-force-exit',
    ...extra,
    ...files
  ])
}

loadDotEnv()

const args = process.argv.slice(2)
const layer = layers.includes(args[0]) ? args.shift() : undefined
const requested = args.map((file) => relative(root, resolve(process.cwd(), file)))
const all = testRoots.flatMap((dir) => findTests(join(root, dir))).sort()

if (requested.length > 0) {
  const outside = layer ? requested.filter((file) => layerOf(file) !== layer) : []
  if (outside.length > 0) {
    console.error(`[test] not in the ${layer} layer: ${outside.join(', ')}`)
    process.exit(1)
  }
  if (requested.some((file) => layerOf(file) === 'integration')) ensureStack()
  process.exit(nodeTest(requested))
}

let failed = false
for (const current of layer ? [layer] : layers) {
  const files = all.filter((file) => layerOf(file) === current)
  if (files.length === 0) {
    console.error(`[test] no ${current} test files found`)
    process.exit(1)
  }
  console.log(`[test] ${current} layer: ${files.length} files`)
  if (current === 'integration') ensureStack()
  if (nodeTest(files, current === 'unit' ? unitOptions : []) !== 0) failed = true
}
process.exit(failed ? 1 : 0)
