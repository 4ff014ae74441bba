// The gateway against its own OpenAPI document, judged by outside tools (pinned in
// test/contract/requirements.txt, installed by python-tools.ts): openapi-spec-validator checks the
// document served at /docs/json (by the gateway under test and by a default one), then
// schemathesis generates requests from it (every check, every phase, a fixed seed) against a real
// gateway and processor of this test's own. Any error of the validator, any failure or error of
// schemathesis, any 5xx and any change of the document during the run fails the test. Outputs
// and reports go to test-results/contract/.
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { join } from 'node:path'
import { test } from 'node:test'
import { RedisKey } from '@streaming/contracts'
import { idempotencyClient } from '../../gateway/src/idempotency/fingerprint.ts'
import { defer } from '../helpers/cleanup.ts'
import { startPlatform } from '../helpers/platform.ts'
import { ensurePythonTools, runCommand, type RunResult } from './python-tools.ts'

const root = new URL('../..', import.meta.url).pathname
const resultsDir = join(root, 'test-results/contract')
const configFile = join(root, 'test/contract/schemathesis.toml')
/** Teaches schemathesis the document's formats that no pattern carries (`cpf`). */
const hooksFile = join(root, 'test/contract/schemathesis_hooks.py')

/** Fixed, so a run generates the same requests as the one before it on the same code. */
const SEED = 1
/**
 * Test cases per operation and phase. 200 keeps a whole run (19 operations, four phases) near
 * one to two minutes on two cores; CONTRACT_MAX_EXAMPLES raises it for a deeper run by hand.
 */
const MAX_EXAMPLES = Number(process.env.CONTRACT_MAX_EXAMPLES ?? 200)
/** A hard bound on the schemathesis process: it is killed after this, whatever it is doing. */
const SCHEMATHESIS_TIMEOUT_MS = 240_000
/** `GET /status/{id}?wait=N` may hold a request up to 30 s by design. */
const REQUEST_TIMEOUT_S = 40

/** schemathesis's own account of what failed: its ERRORS, FAILURES, WARNINGS and SUMMARY. */
function failureSummary(output: string, file: string): string {
  const start = output.search(/^=+ (ERRORS|FAILURES|WARNINGS|SUMMARY) =+$/m)
  const tail = start >= 0 ? output.slice(start) : output.split('\n').slice(-80).join('\n')
  if (tail.length <= 120_000) return tail
  return `${tail.slice(0, 60_000)}\n… (cut: the whole output is in ${file}) …\n${tail.slice(-60_000)}`
}

/** A command line a shell reads back as the same arguments. */
const shellLine = (words: string[]): string =>
  words
    .map((word) => (/^[\w./:=,-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`))
    .join(' ')

function outcome(result: RunResult): string {
  return result.code === 'timed out'
    ? `killed after ${SCHEMATHESIS_TIMEOUT_MS} ms`
    : `exit ${result.code}`
}

test(
  'the gateway keeps its OpenAPI document: openapi-spec-validator and schemathesis find nothing',
  { timeout: 540_000 },
  async (t) => {
    const tools = await ensurePythonTools()
    t.diagnostic(
      `schemathesis ${tools.versions.schemathesis}, openapi-spec-validator ` +
        `${tools.versions.openapiSpecValidator} (${tools.installed ? 'installed now' : 'already installed'})`
    )
    mkdirSync(resultsDir, { recursive: true })

    // The gateway under test. Rate limit off: every generated request comes from one address.
    // API keys on, with a key of this test's own: the gateway keeps Idempotency-Keys per client
    // (API key) in Redis for the status retention, and the keys schemathesis generates ("0", …)
    // would otherwise meet those of earlier runs and of every other keyless client.
    const apiKey = `contract-${randomUUID()}`
    const { app, redis } = await startPlatform(t, {
      gatewayEnv: { RATE_LIMIT_MAX: '0', API_KEYS: apiKey }
    })
    defer(t, async () => {
      const pattern = RedisKey.idempotency(idempotencyClient(apiKey), '*')
      for await (const keys of redis.scanStream({ match: pattern, count: 500 })) {
        if ((keys as string[]).length > 0) await redis.del(...(keys as string[]))
      }
    })
    // Every answer the gateway sends, counted where it leaves the server (not as a tool saw it).
    let answered = 0
    const serverErrors: string[] = []
    app.server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      res.once('finish', () => {
        answered++
        if (res.statusCode >= 500) serverErrors.push(`${req.method} ${req.url} → ${res.statusCode}`)
      })
    })
    const baseUrl = await app.listen({ host: '127.0.0.1', port: 0 })
    const documentUrl = `${baseUrl}/docs/json`

    const documentResponse = await fetch(documentUrl)
    assert.equal(documentResponse.status, 200, `GET /docs/json → ${documentResponse.status}`)
    const documentText = await documentResponse.text()
    const document = JSON.parse(documentText) as { openapi?: string }
    const documentFile = join(resultsDir, 'openapi.json')
    writeFileSync(documentFile, documentText)

    // The document as a default deployment serves it (.env.example: rate limit on, no API keys),
    // which differs in its security and rate-limit headers: validated too.
    const defaults = await startPlatform(t, { processors: 0 })
    const defaultResponse = await defaults.app.inject({ method: 'GET', url: '/docs/json' })
    assert.equal(defaultResponse.statusCode, 200, `GET /docs/json → ${defaultResponse.statusCode}`)
    const defaultFile = join(resultsDir, 'openapi-default.json')
    writeFileSync(defaultFile, defaultResponse.body)

    for (const [name, file] of [
      ['the gateway under test (API keys on, rate limit off)', documentFile],
      ['a default gateway (no API keys, rate limit on)', defaultFile]
    ] as const) {
      await t.test(`openapi-spec-validator: GET /docs/json of ${name} is valid`, async () => {
        const result = await runCommand(
          tools.openapiSpecValidator,
          ['--validation-errors', 'all', file],
          { timeoutMs: 60_000 }
        )
        const output = `${result.stdout}${result.stderr}`.trim()
        writeFileSync(file.replace(/\.json$/, '.validator.txt'), `${output}\n`)
        assert.equal(
          result.code,
          0,
          `openapi-spec-validator ${tools.versions.openapiSpecValidator} (${outcome(result)}) on ` +
            `the document of ${name} (saved in ${file}):\n${output}`
        )
      })
    }

    await t.test('schemathesis: every check, every phase, no failure and no error', async () => {
      const outputFile = join(resultsDir, 'schemathesis.txt')
      const args = [
        '--config-file',
        configFile,
        'run',
        documentUrl,
        '--url',
        baseUrl,
        '--header',
        `X-API-Key: ${apiKey}`,
        '--checks',
        'all',
        '--phases',
        'examples,coverage,fuzzing,stateful',
        '--mode',
        'all',
        '--seed',
        String(SEED),
        '--max-examples',
        String(MAX_EXAMPLES),
        // Every test case of an operation runs, so one failure does not hide the next.
        '--continue-on-failure',
        // One worker: the same seed gives the same requests in the same order.
        '--workers',
        '1',
        // No example database carried from an earlier run: the seed alone decides.
        '--generation-database',
        'none',
        '--request-timeout',
        String(REQUEST_TIMEOUT_S),
        // The reproducing curl lines show the headers as sent (no secret here).
        '--output-sanitize',
        'false',
        '--no-color',
        '--report',
        'junit,ndjson',
        '--report-dir',
        resultsDir,
        '--report-junit-path',
        join(resultsDir, 'schemathesis-junit.xml'),
        '--report-ndjson-path',
        join(resultsDir, 'schemathesis-events.ndjson')
      ]
      const started = Date.now()
      const result = await runCommand(tools.schemathesis, args, {
        timeoutMs: SCHEMATHESIS_TIMEOUT_MS,
        // Whatever it leaves in its working directory stays with the results.
        cwd: resultsDir,
        env: { ...process.env, SCHEMATHESIS_HOOKS: hooksFile, NO_COLOR: '1', PYTHONUNBUFFERED: '1' }
      })
      const seconds = ((Date.now() - started) / 1000).toFixed(1)
      const output = `${result.stdout}${result.stderr}`
      writeFileSync(outputFile, output)
      t.diagnostic(`schemathesis: ${outcome(result)} in ${seconds} s, ${answered} answers so far`)
      assert.equal(
        result.code,
        0,
        `schemathesis ${tools.versions.schemathesis} (${outcome(result)} in ${seconds} s; ` +
          `whole output in ${outputFile}):\n` +
          `(cd ${resultsDir} && SCHEMATHESIS_HOOKS=${hooksFile} ${shellLine([tools.schemathesis, ...args])})\n\n` +
          failureSummary(output, outputFile)
      )
      // A run that generated nothing would pass without having tested anything.
      const generated = Number(/^\s*(\d+) generated/m.exec(output)?.[1] ?? 0)
      assert.ok(generated > 0, `schemathesis generated no test case:\n${output}`)
    })

    await t.test('the gateway answered no 5xx and kept its document through the run', async () => {
      assert.ok(answered > 100, `the gateway answered only ${answered} requests`)
      assert.deepEqual(
        serverErrors.slice(0, 50),
        [],
        `${serverErrors.length} of ${answered} answers were 5xx (the first 50 listed)`
      )
      const after = await fetch(documentUrl)
      assert.equal(after.status, 200, `GET /docs/json after the run → ${after.status}`)
      assert.deepEqual(
        JSON.parse(await after.text()),
        document,
        'the document changed during the run'
      )
      const health = await fetch(`${baseUrl}/health`)
      assert.equal(
        health.status,
        200,
        `GET /health after the run → ${health.status} ${await health.text()}`
      )
    })
  }
)
