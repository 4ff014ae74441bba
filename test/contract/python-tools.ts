// The Python tools of the contract test (schemathesis, openapi-spec-validator), installed by the
// test itself, without a manual step, into a venv under the git-ignored .stack/ folder: versions
// pinned in test/contract/requirements.txt. A marker in the venv records what was installed (the
// requirements' hash and the interpreter), so a later run with the same ones installs nothing.
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const root = new URL('../..', import.meta.url).pathname
export const requirementsFile = join(root, 'test/contract/requirements.txt')
export const venvDir = join(root, '.stack/venv')
const markerFile = join(venvDir, '.contract-tools.json')
const INSTALL_TIMEOUT_MS = 480_000

export interface PythonTools {
  schemathesis: string
  openapiSpecValidator: string
  /** Versions the installed tools report, e.g. `{ schemathesis: '4.32.5', … }`. */
  versions: { schemathesis: string; openapiSpecValidator: string }
  /** Whether this call installed them (false: the marker matched, nothing was installed). */
  installed: boolean
}

export interface RunResult {
  /** Exit code, or the signal that ended it, or `timed out`. */
  code: number | string
  stdout: string
  stderr: string
}

/** Runs a command to its end (never throws): its exit, output and whether a timeout ended it. */
export function runCommand(
  command: string,
  args: string[],
  options: { timeoutMs: number; cwd?: string; env?: NodeJS.ProcessEnv }
): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      {
        cwd: options.cwd ?? root,
        env: options.env ?? process.env,
        timeout: options.timeoutMs,
        killSignal: 'SIGKILL',
        maxBuffer: 256 * 1024 * 1024,
        encoding: 'utf8'
      },
      (err, stdout, stderr) => {
        const failed = err as (Error & { code?: number | string; killed?: boolean }) | null
        const code = !failed
          ? 0
          : failed.killed
            ? 'timed out'
            : ((failed as { signal?: string }).signal ?? failed.code ?? failed.message)
        resolve({ code, stdout, stderr })
      }
    )
  })
}

function describe(what: string, result: RunResult): string {
  return `${what} failed (${result.code}):\n${result.stdout}\n${result.stderr}`.trimEnd()
}

/** Throws, naming the command and printing its output, unless it exited 0. */
async function mustRun(
  what: string,
  command: string,
  args: string[],
  timeoutMs = 60_000
): Promise<string> {
  const result = await runCommand(command, args, { timeoutMs })
  if (result.code !== 0) throw new Error(describe(what, result))
  return result.stdout
}

function pinOf(requirements: string, name: string): string {
  const match = new RegExp(`^${name}==(\\S+)\\s*$`, 'mi').exec(requirements)
  if (!match) throw new Error(`${requirementsFile} pins no ${name}==<version>`)
  return match[1]!
}

/** The pinned tools, installed into .stack/venv unless the marker says they already are. */
export async function ensurePythonTools(): Promise<PythonTools> {
  const requirements = readFileSync(requirementsFile, 'utf8')
  const pins = {
    schemathesis: pinOf(requirements, 'schemathesis'),
    openapiSpecValidator: pinOf(requirements, 'openapi-spec-validator')
  }
  // The interpreter the venv is built from: python3 from PATH. Another one means another venv.
  const python = (
    await mustRun('python3 from PATH (needed for the contract test)', 'python3', [
      '-c',
      'import sys; print(sys.executable, sys.version.split()[0])'
    ])
  ).trim()
  const marker = JSON.stringify({
    requirements: createHash('sha256').update(requirements).digest('hex'),
    python
  })
  const bin = (name: string) => join(venvDir, 'bin', name)
  const tools = {
    schemathesis: bin('schemathesis'),
    openapiSpecValidator: bin('openapi-spec-validator')
  }
  const upToDate =
    existsSync(markerFile) &&
    readFileSync(markerFile, 'utf8') === marker &&
    existsSync(tools.schemathesis) &&
    existsSync(tools.openapiSpecValidator)

  if (!upToDate) {
    mkdirSync(join(root, '.stack'), { recursive: true })
    await mustRun(
      `python3 -m venv --clear ${venvDir} (on Debian the venv module is the python3-venv package)`,
      'python3',
      ['-m', 'venv', '--clear', venvDir]
    )
    await mustRun(
      `pip install -r ${requirementsFile} into ${venvDir}`,
      bin('python'),
      [
        '-m',
        'pip',
        'install',
        '--disable-pip-version-check',
        '--no-input',
        '--require-virtualenv',
        '-r',
        requirementsFile
      ],
      INSTALL_TIMEOUT_MS
    )
  }

  // What runs is what is pinned, whether installed now or before.
  const versions = {
    schemathesis: (await mustRun('schemathesis --version', tools.schemathesis, ['--version']))
      .trim()
      .replace(/^schemathesis, version\s*/, ''),
    openapiSpecValidator: (
      await mustRun('openapi-spec-validator --version', tools.openapiSpecValidator, ['--version'])
    )
      .trim()
      .replace(/^openapi-spec-validator\s*/, '')
  }
  if (
    versions.schemathesis !== pins.schemathesis ||
    versions.openapiSpecValidator !== pins.openapiSpecValidator
  ) {
    throw new Error(
      `${venvDir} runs schemathesis ${versions.schemathesis} and openapi-spec-validator ` +
        `${versions.openapiSpecValidator}; ${requirementsFile} pins ${pins.schemathesis} and ` +
        `${pins.openapiSpecValidator}`
    )
  }
  if (!upToDate) writeFileSync(markerFile, marker)
  return { ...tools, versions, installed: !upToDate }
}
