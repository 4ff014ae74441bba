// The one reader of the configuration file that stack/stack.sh and scripts/platform.sh share
// (stack_load_env and stack_env_file of stack/lib.sh): .env, else .env.example; a variable of
// the environment, even an empty one, wins over the file; values as written. Each case runs in
// a folder of its own, with a STACK_HOME of its own: no server is touched.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { promisify } from 'node:util'

const root = new URL('../..', import.meta.url).pathname
const execFileAsync = promisify(execFile)
// This Node.js first on PATH, so stack/node.sh (sourced by lib.sh) never fetches one.
const PATH = `${dirname(process.execPath)}:${process.env.PATH ?? ''}`
const names = ['ENV_TEST_A', 'ENV_TEST_B', 'ENV_TEST_C', 'ENV_TEST_D']

function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'env-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** Loads DIR's file in a fresh shell; the variables' values afterwards, unset ones left out. */
async function load(t: TestContext, dir: string, env: Record<string, string> = {}) {
  const script = [
    '. stack/lib.sh',
    'stack_load_env "$1"',
    'stack_env_file "$1"',
    ...names.map((name) => `[ -z "\${${name}+set}" ] || printf '%s=%s\\n' ${name} "$${name}"`)
  ].join(' && ')
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !names.includes(name))
  )
  const { stdout } = await execFileAsync('bash', ['-c', script, 'bash', dir], {
    cwd: root,
    env: { ...inherited, PATH, STACK_HOME: tempDir(t), ...env }
  })
  const [file = '', ...lines] = stdout.trimEnd().split('\n')
  return { file, values: Object.fromEntries(lines.map((line) => line.split(/=(.*)/s, 2))) }
}

test('.env.example without a .env; the values as written, other lines skipped', async (t) => {
  const dir = tempDir(t)
  writeFileSync(
    join(dir, '.env.example'),
    [
      '# ENV_TEST_D=commented out',
      'ENV_TEST_A=plain',
      '   ENV_TEST_B="quoted" # and = kept',
      'env_test_c=lowercase is not a variable',
      'ENV_TEST_C=last line, no newline'
    ].join('\n')
  )
  assert.deepEqual(await load(t, dir), {
    file: join(dir, '.env.example'),
    values: {
      ENV_TEST_A: 'plain',
      ENV_TEST_B: '"quoted" # and = kept',
      ENV_TEST_C: 'last line, no newline'
    }
  })
})

test('a .env is read instead of .env.example, not merged with it', async (t) => {
  const dir = tempDir(t)
  writeFileSync(join(dir, '.env.example'), 'ENV_TEST_A=example\nENV_TEST_B=example\n')
  writeFileSync(join(dir, '.env'), 'ENV_TEST_A=local\n')
  assert.deepEqual(await load(t, dir), {
    file: join(dir, '.env'),
    values: { ENV_TEST_A: 'local' }
  })
})

test('the environment wins over the file, an empty value too', async (t) => {
  const dir = tempDir(t)
  writeFileSync(join(dir, '.env'), 'ENV_TEST_A=file\nENV_TEST_B=file\nENV_TEST_C=file\n')
  assert.deepEqual(await load(t, dir, { ENV_TEST_A: 'environment', ENV_TEST_B: '' }), {
    file: join(dir, '.env'),
    values: { ENV_TEST_A: 'environment', ENV_TEST_B: '', ENV_TEST_C: 'file' }
  })
})

test('neither file: nothing is set, and the file named is .env.example', async (t) => {
  const dir = tempDir(t)
  assert.deepEqual(await load(t, dir), { file: join(dir, '.env.example'), values: {} })
})
