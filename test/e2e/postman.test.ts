// The Postman collection against the running platform (`npm run up`): newman runs every request
// and its test scripts, and the collection covers exactly the routes of the OpenAPI document.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import { before, test } from 'node:test'
import { startPlatform } from '../helpers/platform.ts'

const root = new URL('../..', import.meta.url).pathname
const collectionFile = new URL(
  '../../postman/streaming-platform.postman_collection.json',
  import.meta.url
)
const environmentFile = new URL('../../postman/local.postman_environment.json', import.meta.url)
const baseUrl = `http://${process.env.GATEWAY_HOST ?? '127.0.0.1'}:${process.env.GATEWAY_PORT ?? '8000'}`
const PLATFORM_UP_TIMEOUT_MS = 300_000

// ---- the collection as a file (Postman v2.1) ----

interface PostmanUrl {
  raw: string
  host?: string[]
  path?: string[]
  query?: Array<{ key: string; value: string }>
}

interface PostmanItem {
  name: string
  item?: PostmanItem[]
  request?: { method: string; url: PostmanUrl }
  event?: Array<{ listen: string; script: { exec: string[] } }>
}

interface PostmanCollection {
  info: { name: string; schema: string }
  item: PostmanItem[]
}

const collection = JSON.parse(readFileSync(collectionFile, 'utf8')) as PostmanCollection
const environment = JSON.parse(readFileSync(environmentFile, 'utf8')) as Record<string, unknown>

/** Every request of the collection, in run order, with the folder it is in. */
function requestsOf(items: PostmanItem[], folder = ''): Array<PostmanItem & { folder: string }> {
  return items.flatMap((item) =>
    item.item
      ? requestsOf(item.item, folder ? `${folder} / ${item.name}` : item.name)
      : [{ ...item, folder }]
  )
}

const requests = requestsOf(collection.item)

// ---- newman's Node API (the package ships no types: the part this test reads) ----

interface NewmanExecution {
  item: { name: string }
  request: {
    method: string
    url: { toString(): string }
    headers: { get(name: string): string | undefined }
  }
  response?: { code: number }
  requestError?: Error
  assertions?: Array<{ assertion: string; skipped: boolean; error?: Error }>
}

interface NewmanFailure {
  error: { name: string; message: string; test?: string }
  at?: string
  source?: { name?: string }
}

type Stat = { total: number; failed: number }

interface NewmanSummary {
  error?: Error
  environment: { toObject(): Record<string, unknown> }
  run: {
    stats: {
      requests: Stat
      assertions: Stat
      testScripts: Stat
      prerequestScripts: Stat
    }
    executions: NewmanExecution[]
    failures: NewmanFailure[]
  }
}

interface Newman {
  run(
    options: Record<string, unknown>,
    callback: (err: Error | null, summary: NewmanSummary) => void
  ): unknown
}

const newman = createRequire(import.meta.url)('newman') as Newman

/** Runs the collection against `target`; `apiKey` fills the environment's `api_key`. */
function runCollection(target = baseUrl, apiKey?: string): Promise<NewmanSummary> {
  return new Promise((resolve, reject) => {
    newman.run(
      {
        collection,
        environment,
        envVar: [
          { key: 'baseUrl', value: target },
          ...(apiKey === undefined ? [] : [{ key: 'api_key', value: apiKey }])
        ],
        reporters: [],
        // Status requests wait up to 10 s for the reply.
        timeoutRequest: 15_000,
        timeout: 180_000
      },
      (err, summary) => (err ? reject(err) : resolve(summary))
    )
  })
}

// ---- the platform ----

before(
  async () => {
    const { code, output } = await new Promise<{ code: number | string; output: string }>(
      (resolve) => {
        execFile(
          'bash',
          ['scripts/platform.sh', 'up'],
          { cwd: root, timeout: PLATFORM_UP_TIMEOUT_MS, maxBuffer: 10 * 1024 * 1024 },
          (err, stdout, stderr) => {
            const failed = err as (Error & { code?: number | string; killed?: boolean }) | null
            resolve({
              code: failed ? (failed.killed ? 'timed out' : (failed.code ?? 'failed')) : 0,
              output: `${stdout}${stderr}`
            })
          }
        )
      }
    )
    assert.equal(code, 0, `bash scripts/platform.sh up did not bring the platform up:\n${output}`)
  },
  { timeout: PLATFORM_UP_TIMEOUT_MS + 10_000 }
)

/** The run passed: no failure, no request or script error, every request ran and asserted. */
function assertCleanRun(summary: NewmanSummary): void {
  const { stats, executions, failures } = summary.run

  assert.equal(summary.error, undefined, `newman run error: ${summary.error?.message}`)
  assert.deepEqual(
    failures.map(
      (failure) =>
        `${failure.source?.name ?? '?'} (${failure.at ?? failure.error.name}): ${failure.error.test ?? ''} ${failure.error.message}`
    ),
    [],
    'failed assertions or script errors'
  )
  assert.deepEqual(
    executions
      .filter((execution) => execution.requestError)
      .map((execution) => `${execution.item.name}: ${execution.requestError?.message}`),
    [],
    'request errors'
  )
  assert.equal(stats.requests.failed, 0, 'no request error')
  assert.equal(stats.assertions.failed, 0, 'no failed assertion')
  assert.equal(stats.testScripts.failed, 0, 'no test script error')
  assert.equal(stats.prerequestScripts.failed, 0, 'no pre-request script error')

  // Every request of the collection ran, each checked by its own assertions.
  assert.equal(stats.requests.total, requests.length, 'every request of the collection ran')
  assert.deepEqual(
    executions.map((execution) => execution.item.name),
    requests.map((request) => request.name),
    'requests ran in collection order'
  )
  assert.ok(
    stats.assertions.total >= requests.length,
    `${stats.assertions.total} assertions for ${requests.length} requests`
  )
  assert.deepEqual(
    executions
      .filter((execution) => (execution.assertions ?? []).filter((a) => !a.skipped).length === 0)
      .map((execution) => execution.item.name),
    [],
    'requests whose test script asserted nothing'
  )
}

test('newman runs the Postman collection against the platform: every assertion passes', async () => {
  const summary = await runCollection()
  assertCleanRun(summary)

  // The scripts stored what the run generated.
  const variables = summary.environment.toObject()
  assert.ok(Number(variables.user_id) > 0, `user_id stored: ${variables.user_id}`)
  assert.match(String(variables.session_id), /^[0-9a-f-]{36}$/, 'session_id stored')
  assert.match(String(variables.correlation_id), /^[0-9a-f-]{36}$/, 'correlation_id stored')
  assert.match(String(variables.conteudo_id), /^postman-\d+$/, 'conteudo_id stored')
})

test(
  "against a gateway with API_KEYS, the environment's api_key authorizes every request",
  { timeout: 240_000 },
  async (t) => {
    const key = 'postman-run-key-0123456789'
    // Shipped empty: a gateway without API_KEYS ignores the empty header.
    const values = environment.values as Array<{ key: string; value: string; type: string }>
    assert.deepEqual(
      values.find((variable) => variable.key === 'api_key'),
      { key: 'api_key', value: '', type: 'secret', enabled: true }
    )
    const { app } = await startPlatform(t, { gatewayEnv: { API_KEYS: key } })
    await app.listen({ host: '127.0.0.1', port: 0 })
    const target = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`

    // The control: without the key the first request is refused, so the run below needs it.
    const refused = await fetch(`${target}/usuarios`, { method: 'POST' })
    assert.equal(refused.status, 401)

    const summary = await runCollection(target, key)
    assertCleanRun(summary)
    const sent = summary.run.executions.map((execution) =>
      execution.request.headers.get('X-API-Key')
    )
    assert.deepEqual([...new Set(sent)], [key], 'every request sent X-API-Key')
  }
)

// ---- coverage of the OpenAPI document ----

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'options', 'trace'])
const isDocs = (path: string) => path === '/docs' || path.startsWith('/docs/')
const isVariable = (segment: string) => /^\{\{[^{}]+\}\}$/.test(segment)
const isParameter = (segment: string) => /^\{[^{}]+\}$/.test(segment)
const segmentsOf = (path: string) => path.split('/').filter(Boolean)

/**
 * The OpenAPI path template a collection path stands for: literal segments equal, and each
 * Postman variable segment (`{{user_id}}`) at the position of a template parameter. A path no
 * template (or more than one) matches is returned as it is, so the comparison shows it.
 */
function toTemplate(path: string, templates: string[]): string {
  const segments = segmentsOf(path)
  const matches = templates.filter((template) => {
    const wanted = segmentsOf(template)
    return (
      wanted.length === segments.length &&
      wanted.every((segment, i) =>
        isParameter(segment) ? isVariable(segments[i] ?? '') : segment === segments[i]
      )
    )
  })
  return matches.length === 1 && matches[0] !== undefined ? matches[0] : path
}

test('the collection covers exactly the routes of the OpenAPI document', async () => {
  const response = await fetch(`${baseUrl}/docs/json`)
  assert.equal(response.status, 200, 'GET /docs/json')
  const document = (await response.json()) as {
    openapi: string
    paths: Record<string, Record<string, unknown>>
  }
  assert.match(document.openapi, /^3\./)

  const documented = Object.entries(document.paths)
    .filter(([path]) => !isDocs(path))
    .flatMap(([path, operations]) =>
      Object.keys(operations)
        .filter((method) => HTTP_METHODS.has(method))
        .map((method) => `${method.toUpperCase()} ${path}`)
    )
  const templates = Object.keys(document.paths)
  assert.ok(documented.length > 0, 'the document lists routes')

  const collected = requests.flatMap((item) => {
    assert.ok(item.request, `${item.folder} / ${item.name} has a request`)
    const { method, url } = item.request
    // newman sends what the url object says; raw must say the same.
    assert.deepEqual(url.host, ['{{baseUrl}}'], `${item.name}: the host is {{baseUrl}}`)
    const path = `/${(url.path ?? []).join('/')}`
    assert.equal(
      url.raw.split('?')[0]?.replace(/\/$/, ''),
      `{{baseUrl}}${path}`.replace(/\/$/, ''),
      `${item.name}: url.raw and url.path agree`
    )
    if (isDocs(path)) return []
    return [`${method.toUpperCase()} ${toTemplate(path, templates)}`]
  })

  const sorted = (routes: Iterable<string>) => [...new Set(routes)].sort()
  assert.deepEqual(sorted(collected), sorted(documented))
})
