// The one test command: `npm test [-- files…]`.
// Brings the native server stack up first when the servers do not answer (set STACK_AUTO_UP=0 to
// test against servers started another way), then runs every *.test.ts with node:test
// (Node.js runs the TypeScript itself: npm test starts this file through stack/node.sh).
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const testRoots = ['contracts', 'gateway', 'processor', 'monitor', 'test']

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

loadDotEnv()

if (process.env.STACK_AUTO_UP !== '0') {
  const status = spawnSync('bash', ['stack/stack.sh', 'status'], { cwd: root, encoding: 'utf8' })
  if (status.status !== 0) {
    console.log('[test] some servers do not answer; bringing the native stack up')
    if (run('bash', ['stack/stack.sh', 'up']) !== 0) {
      console.error('[test] the native stack did not come up; see the lines above')
      process.exit(1)
    }
  }
}

const requested = process.argv.slice(2)
const files =
  requested.length > 0 ? requested : testRoots.flatMap((dir) => findTests(join(root, dir))).sort()
if (files.length === 0) {
  console.error('[test] no test files found')
  process.exit(1)
}

process.exit(
  run(process.execPath, [
    '--test',
    '--test-reporter=spec',
    // Files share the servers, and some stop one (outage tests): one file at a time.
    '--test-concurrency=1',
    // A bound on any one test, and no file left waiting on a handle a client forgot to close.
    '--test-timeout=600000',
    '--test-force-exit',
    ...files
  ])
)
