// Drill: hundreds of malformed requests, generated (fast-check, fixed seed) from the gateway's
// own OpenAPI document, so every operation route and every field is covered as the routes
// declare them. Every answer must be a 4xx naming the problem, and nothing may leave the
// gateway: the requests topic's end offsets stay put and the gateway writes nothing to Redis.
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { connect } from 'node:net'
import { test, type TestContext } from 'node:test'
import fc from 'fast-check'
import type { Kafka } from 'kafkajs'
import type { GatewayApp } from '../../gateway/src/app.ts'
import { defer } from '../helpers/cleanup.ts'
import { startPlatform } from '../helpers/platform.ts'
import { servers } from '../helpers/servers.ts'
import { hostileStrings } from './hostile-strings.ts'

/** Reproduce a failure with DRILL_SEED=<the seed printed> (and DRILL_RUNS to go further). */
const SEED = Number(process.env.DRILL_SEED ?? 20_261_124)
const NUM_RUNS = Number(process.env.DRILL_RUNS ?? 1_000)

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE'

interface FieldSchema {
  type?: 'integer' | 'number' | 'boolean' | 'string'
  enum?: string[]
  minimum?: number
  maximum?: number
  exclusiveMinimum?: number
  multipleOf?: number
  minLength?: number
  maxLength?: number
  pattern?: string
  format?: string
}

interface OperationRoute {
  method: Method
  /** OpenAPI path template, e.g. `/usuarios/{user_id}/pagamento`. */
  template: string
  params: Record<string, FieldSchema>
  input: Record<string, FieldSchema>
  /**
   * `schema`: the route validates a JSON body; `parsed`: Fastify parses the body (DELETE) but the
   * route does not use it; `ignored`: Fastify does not read it (GET).
   */
  body: 'schema' | 'parsed' | 'ignored'
}

interface OpenApiOperation {
  parameters?: Array<{ in: string; name: string; schema: FieldSchema }>
  requestBody?: {
    content?: { 'application/json'?: { schema?: { properties?: Record<string, FieldSchema> } } }
  }
  responses?: Record<string, unknown>
}

/**
 * Every operation route (those answering 202) with its fields, from the OpenAPI document: the
 * body's fields where it documents a body (they may come in the query string as well), the
 * query parameters otherwise.
 */
function operationRoutes(app: GatewayApp): OperationRoute[] {
  const doc = app.swagger() as unknown as {
    paths: Record<string, Record<string, OpenApiOperation>>
  }
  const routes: OperationRoute[] = []
  for (const [template, methods] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      if (!operation.responses?.['202'] || template.startsWith('/status')) continue
      const of = (where: string) =>
        Object.fromEntries(
          (operation.parameters ?? [])
            .filter((parameter) => parameter.in === where)
            .map((parameter) => [parameter.name, parameter.schema])
        )
      const bodyFields = operation.requestBody?.content?.['application/json']?.schema?.properties
      const upper = method.toUpperCase() as Method
      routes.push({
        method: upper,
        template,
        params: of('path'),
        input: { ...of('query'), ...bodyFields },
        body: operation.requestBody ? 'schema' : upper === 'GET' ? 'ignored' : 'parsed'
      })
    }
  }
  return routes
}

const routeName = (route: OperationRoute) => `${route.method} ${route.template}`

type Category =
  | 'wrong type'
  | 'out of range'
  | 'unknown enum value'
  | 'invalid format'
  | 'unknown field'
  | 'malformed JSON'
  | 'body not an object'
  | 'unsupported content type'
  | 'huge body'
  | 'deeply nested body'
  | 'invalid UTF-8 body'
  | 'invalid UTF-8 query string'
  | 'invalid UTF-8 path'
  | 'invalid header'

type Location = 'path' | 'query' | 'body'

/** One malformed request and what its answer must say. */
interface Malformed {
  category: Category
  route: string
  field?: string
  /** Carries an injection string (SQL, NoSQL, Redis protocol…). */
  hostile: boolean
  method: Method
  url: string
  headers: Record<string, string>
  payload?: string | Buffer
  /** The answer's message must match it. */
  names: RegExp
  /** The status when one in particular is due; otherwise any 4xx. */
  status?: number
}

/** A bad value as it is sent: raw JSON text (body) or one or more raw query/path texts. */
interface BadValue {
  json?: string
  /** Query values, already percent-encoded; two of them repeat the parameter. */
  query?: string[]
  /** A path segment, already percent-encoded. */
  segment?: string
  hostile: boolean
}

const enc = encodeURIComponent
const asJson = (...values: unknown[]) =>
  values.map((value) => ({ json: JSON.stringify(value), hostile: false }))
const rawJson = (...texts: string[]) => texts.map((json) => ({ json, hostile: false }))
const asQuery = (...values: string[]) => values.map((v) => ({ query: [enc(v)], hostile: false }))
const repeated = (a: string, b: string): BadValue => ({ query: [enc(a), enc(b)], hostile: false })
const asSegment = (...values: string[]) => values.map((v) => ({ segment: enc(v), hostile: false }))
const hostile = (location: Location): fc.Arbitrary<BadValue> =>
  fc.constantFrom(...hostileStrings).map((text) => {
    if (location === 'body') return { json: JSON.stringify(text), hostile: true }
    if (location === 'query') return { query: [enc(text)], hostile: true }
    return { segment: enc(text), hostile: true }
  })
const pick = (values: BadValue[]) => fc.constantFrom(...values)

/** A valid value of a field, for the parts of a request that are not at fault. */
function validValue(schema: FieldSchema): string {
  if (schema.type === 'integer') return String(Math.max(1, schema.minimum ?? 1))
  if (schema.format === 'uuid') return '00000000-0000-4000-8000-000000000001'
  if (schema.pattern) return 'c-1'
  if (schema.enum) return schema.enum[0] ?? ''
  return 'x'
}

const isFreeText = (schema: FieldSchema) => schema.format === 'printable-text'

/** Values of the wrong JSON type that no coercion of the gateway's validator turns valid. */
function wrongType(schema: FieldSchema, location: Location): fc.Arbitrary<BadValue> | undefined {
  // Ajv coerces numbers and booleans to strings and back, null to 0/''/false, and a
  // one-item array to its item (coerceTypes: 'array'): those are accepted by design.
  if (location === 'path') {
    if (schema.type === 'integer') {
      return fc.oneof(pick(asSegment('abc', '1.5', '1,5', 'um')), hostile('path'))
    }
    return undefined
  }
  if (location === 'query') {
    if (schema.type === 'integer' || schema.type === 'number') {
      return fc.oneof(
        pick([...asQuery('abc', '1,5', '', 'NaN', '1.2.3'), repeated('1', '2')]),
        hostile('query')
      )
    }
    if (schema.type === 'boolean') {
      return fc.oneof(
        pick([...asQuery('sim', 'TRUE', '2', '', 'verdadeiro'), repeated('true', 'false')]),
        hostile('query')
      )
    }
    const [first = 'a', second = 'b'] = schema.enum ?? []
    return pick([repeated(first, second)])
  }
  const objects = rawJson('{}', '{"$gt": ""}', '{"$ne": null}', '{"$where": "sleep(100)"}')
  if (schema.type === 'integer' || schema.type === 'number') {
    return fc.oneof(
      pick([...asJson('abc', '1,5', [1, 2], []), ...objects, ...rawJson('"1.2.3"')]),
      hostile('body')
    )
  }
  if (schema.type === 'boolean') {
    return fc.oneof(
      pick([...asJson('sim', 'TRUE', 2, -1, 'verdadeiro', [true, false]), ...objects]),
      hostile('body')
    )
  }
  if (schema.enum) {
    const [first = 'a', second = 'b'] = schema.enum
    return pick([...asJson(1, true, [first, second]), ...objects])
  }
  return pick([...asJson([], ['a', 'b']), ...objects])
}

/** Numbers beyond their bounds, strings beyond their lengths. */
function outOfRange(schema: FieldSchema, location: Location): fc.Arbitrary<BadValue> | undefined {
  const numbers: string[] = []
  if (schema.type === 'integer' || schema.type === 'number') {
    if (schema.minimum !== undefined) numbers.push(String(schema.minimum - 1), '-1')
    if (schema.exclusiveMinimum !== undefined) {
      numbers.push(String(schema.exclusiveMinimum), '-19.9')
    }
    if (schema.maximum !== undefined) {
      // 2^53 for user_id: past the largest integer a JSON number keeps exactly.
      numbers.push(
        schema.maximum === Number.MAX_SAFE_INTEGER
          ? '9007199254740992'
          : String(schema.maximum + 1),
        '1e300'
      )
    }
    if (schema.multipleOf !== undefined) numbers.push('19.999', '0.001')
    if (schema.type === 'integer') numbers.push('1.5')
    if (numbers.length === 0) return undefined
    if (location === 'path') return pick(asSegment(...numbers))
    if (location === 'query') return pick(asQuery(...numbers, 'Infinity'))
    return pick(rawJson(...numbers, '1e400'))
  }
  if (schema.type !== 'string' || location === 'path') return undefined
  if (schema.maxLength === undefined && schema.minLength === undefined) return undefined
  const tooLong = fc
    .integer({ min: 1, max: 200 })
    .map((extra) => 'x'.repeat((schema.maxLength ?? 200) + extra))
  const text = fc.oneof(tooLong, ...(schema.minLength ? [fc.constant('')] : []))
  return text.map((value) =>
    location === 'query'
      ? { query: [enc(value)], hostile: false }
      : { json: JSON.stringify(value), hostile: false }
  )
}

/** Strings close to an enum member but not one, and strings nowhere near. */
function unknownEnumValue(
  schema: FieldSchema,
  location: Location
): fc.Arbitrary<BadValue> | undefined {
  if (!schema.enum || location === 'path') return undefined
  const members = new Set(schema.enum)
  const near = schema.enum.flatMap((member) => [
    member.toLowerCase(),
    member.toUpperCase(),
    member.normalize('NFD'),
    member.normalize('NFD').replace(/\p{M}/gu, ''),
    ` ${member}`,
    `${member} `
  ])
  const candidates = [...new Set([...near, '', 'Ouro', 'desconhecido'])].filter(
    (value) => !members.has(value)
  )
  const arbitrary = fc.oneof(
    fc.constantFrom(...candidates),
    fc.string({ minLength: 1, maxLength: 12 }).filter((value) => !members.has(value))
  )
  const shaped = arbitrary.map((value) =>
    location === 'query'
      ? { query: [enc(value)], hostile: false }
      : { json: JSON.stringify(value), hostile: false }
  )
  return fc.oneof(shaped, hostile(location))
}

const invalidByFormat: Record<string, string[]> = {
  email: ['maria.silva(at)example', 'a@', '@example.com', 'a b@example.com', 'ana@@x.com'],
  cpf: ['52998224724', '123', 'abcdefghijk', '529.982.247-25', '00000000000'],
  date: ['2026-13-01', '2026-02-30', '24/11/2026', 'ontem'],
  'date-time': ['2026-11-24T25:00:00Z', 'ontem', '2026-11-24', '24/11/2026 10:00'],
  uuid: ['not-a-uuid', '12345', '00000000-0000-4000-8000-00000000000g', ''],
  'printable-text': ['a\u0000b', '\u0007', '\u001b[31mvermelho\u001b[0m', 'DEL\u007f']
}
const invalidContentIds = ['c 1', 'c/1', 'ç', 'c.1', 'x'.repeat(65)]

/** Strings that break a field's format or pattern; free text gets control characters. */
function invalidFormat(
  schema: FieldSchema,
  location: Location
): fc.Arbitrary<BadValue> | undefined {
  // A format names what the field is; a pattern alone is the content id's.
  const values = schema.format
    ? invalidByFormat[schema.format]
    : schema.pattern
      ? invalidContentIds
      : undefined
  if (!values) return undefined
  const withLoneSurrogate =
    location === 'body' && isFreeText(schema) ? [...values, '\ud800', 'x\udc00'] : values
  const shaped =
    location === 'path'
      ? asSegment(...values.filter((value) => value !== ''))
      : location === 'query'
        ? asQuery(...values)
        : asJson(...withLoneSurrogate)
  // Injection strings are valid free text (the injection drill stores them): not here.
  return isFreeText(schema) ? pick(shaped) : fc.oneof(pick(shaped), hostile(location))
}

const invalidUtf8 = [
  [0xff],
  [0xc3, 0x28],
  [0xe2, 0x82],
  [0xc0, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0x80]
]
const invalidPercentEncoding = [
  '%C3%28',
  '%FF',
  '%E2%82',
  '%ED%A0%80',
  '%C0%AF',
  '%F4%90%80%80',
  '100%',
  '%zz'
]

const malformedJson = [
  '{"nome": "Ana", ',
  '{nome: "Ana"}',
  "{'nome': 'Ana'}",
  '{"nome": "Ana",}',
  '{"a": 1}{"b": 2}',
  '{"a": NaN}',
  '{"a": undefined}',
  '// comentário\n{}',
  '{"a": "\\x41"}',
  '{"a": "linha\nquebrada"}',
  'tru',
  '{"a": 01}',
  '{"a": .5}',
  '"sem fim'
]

const ctx = { limit: 65_536 }

interface Parts {
  params?: Record<string, string>
  query?: Array<[string, string]>
  body?: string | Buffer
  contentType?: string
  headers?: Record<string, string>
}

/** A request to a route: valid path parameters and user_id unless overridden. */
function request(route: OperationRoute, parts: Parts, field?: string) {
  let url = route.template
  for (const [name, schema] of Object.entries(route.params)) {
    url = url.replace(`{${name}}`, parts.params?.[name] ?? enc(validValue(schema)))
  }
  const query: Array<[string, string]> = []
  // The routes that require user_id get a valid one, so the fault is the request's one problem.
  if (route.input.user_id && field !== 'user_id') query.push(['user_id', '1'])
  query.push(...(parts.query ?? []))
  if (query.length > 0) url += `?${query.map(([name, value]) => `${name}=${value}`).join('&')}`
  const headers: Record<string, string> = { ...parts.headers }
  if (parts.body !== undefined) headers['content-type'] = parts.contentType ?? 'application/json'
  return {
    method: route.method,
    url,
    headers,
    ...(parts.body !== undefined ? { payload: parts.body } : {})
  }
}

/** A fault in one field of a route, where that field can be sent. */
function fieldFaults(route: OperationRoute): fc.Arbitrary<Malformed>[] {
  const arbitraries: fc.Arbitrary<Malformed>[] = []
  const faults: Array<
    [Category, (schema: FieldSchema, location: Location) => fc.Arbitrary<BadValue> | undefined]
  > = [
    ['wrong type', wrongType],
    ['out of range', outOfRange],
    ['unknown enum value', unknownEnumValue],
    ['invalid format', invalidFormat]
  ]
  const fields: Array<[string, FieldSchema, Location]> = [
    ...Object.entries(route.params).map(
      ([n, s]) => [n, s, 'path'] as [string, FieldSchema, Location]
    ),
    ...Object.entries(route.input).flatMap(([name, schema]) => [
      [name, schema, 'query'] as [string, FieldSchema, Location],
      ...(route.body === 'schema'
        ? [[name, schema, 'body'] as [string, FieldSchema, Location]]
        : [])
    ])
  ]
  for (const [field, schema, location] of fields) {
    for (const [category, badValues] of faults) {
      const values = badValues(schema, location)
      if (!values) continue
      arbitraries.push(
        values.map((bad): Malformed => {
          const parts: Parts =
            location === 'path'
              ? { params: { [field]: bad.segment ?? '' } }
              : location === 'query'
                ? { query: (bad.query ?? []).map((value) => [field, value]) }
                : { body: `{${JSON.stringify(field)}: ${bad.json}}` }
          return {
            category,
            route: routeName(route),
            field,
            hostile: bad.hostile,
            ...request(route, parts, field),
            names: new RegExp(field)
          }
        })
      )
    }
  }
  return arbitraries
}

const unknownFieldName = (route: OperationRoute) =>
  fc
    .oneof(
      fc.constantFrom('usuario_id', 'USER_ID', 'admin', 'role', '$where', '$gt', 'constructor'),
      fc.constantFrom(...hostileStrings),
      fc.string({ minLength: 1, maxLength: 16 })
    )
    .filter((name) => !(name in route.input) && !(name in route.params) && name !== '__proto__')

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** Faults of the request as a whole: its body, its encoding, its headers. */
function requestFaults(route: OperationRoute): fc.Arbitrary<Malformed>[] {
  const base = { route: routeName(route) }
  const make = (
    category: Category,
    parts: Parts,
    names: RegExp,
    extra: { hostile?: boolean; status?: number; field?: string } = {}
  ): Malformed => ({
    category,
    ...base,
    hostile: extra.hostile ?? false,
    ...(extra.field ? { field: extra.field } : {}),
    ...(extra.status ? { status: extra.status } : {}),
    ...request(route, parts, extra.field),
    names
  })
  const someField = Object.keys(route.input)[0] ?? 'campo'
  const arbitraries: fc.Arbitrary<Malformed>[] = [
    fc
      .tuple(fc.constantFrom(...invalidPercentEncoding), fc.constantFrom(someField, 'nome'))
      .map(([raw, name]) =>
        make('invalid UTF-8 query string', { query: [[name, raw]] }, /UTF-8/, { field: name })
      ),
    // Write operations validate an Idempotency-Key; GET ones take none.
    ...(route.method === 'GET'
      ? []
      : [
          fc
            .constantFrom('tem espaço', 'ação', 'x'.repeat(201), 'a\tb')
            .map((key) =>
              make('invalid header', { headers: { 'idempotency-key': key } }, /idempotency-key/)
            )
        ]),
    unknownFieldName(route).map((name) =>
      make('unknown field', { query: [[enc(name), '1']] }, new RegExp(escapeRegExp(name)), {
        hostile: hostileStrings.includes(name)
      })
    )
  ]
  const [param] = Object.keys(route.params)
  if (param) {
    arbitraries.push(
      fc.constantFrom(...invalidPercentEncoding).map((raw) =>
        make('invalid UTF-8 path', { params: { [param]: raw } }, /URL inválida/, {
          field: param
        })
      )
    )
  }
  if (route.body === 'ignored') return arbitraries

  // Whatever the route does with a body, Fastify must parse it first: these fail there.
  const json = (body: string, category: Category, names: RegExp, extra = {}) =>
    make(category, { body }, names, extra)
  arbitraries.push(
    fc.constantFrom(...malformedJson).map((body) => json(body, 'malformed JSON', /JSON/)),
    fc
      .integer({ min: 1, max: 12 })
      .map((cut) => json('{"user_id": 1, "nome": "Ana"}'.slice(0, cut), 'malformed JSON', /JSON/)),
    fc
      .constantFrom(
        { contentType: 'application/x-www-form-urlencoded', body: 'nome=Ana', status: 415 },
        { contentType: 'application/xml', body: '<nome>Ana</nome>', status: 415 },
        { contentType: 'multipart/form-data; boundary=x', body: '--x--', status: 415 }
      )
      .map(({ contentType, body, status }) =>
        make('unsupported content type', { body, contentType }, /./, { status })
      ),
    fc
      .tuple(fc.integer({ min: 1, max: 2 * ctx.limit }), fc.boolean())
      .map(([extra, asArray]) =>
        json(
          asArray
            ? `[${'1,'.repeat(Math.ceil((ctx.limit + extra) / 2))}1]`
            : `{"nome": "${'x'.repeat(ctx.limit + extra)}"}`,
          'huge body',
          /passa do máximo aceito/,
          { status: 413 }
        )
      ),
    fc
      .tuple(fc.constantFrom(...invalidUtf8), fc.constantFrom(someField, 'nome'))
      .map(([bytes, field]) =>
        make(
          'invalid UTF-8 body',
          {
            body: Buffer.concat([
              Buffer.from(`{${JSON.stringify(field)}: "Ana `),
              Buffer.from(bytes),
              Buffer.from(' Lima"}')
            ])
          },
          /^o corpo não é UTF-8 válido$/
        )
      )
  )
  if (route.body !== 'schema') return arbitraries

  arbitraries.push(
    unknownFieldName(route).map((name) =>
      json(`{${JSON.stringify(name)}: 1}`, 'unknown field', new RegExp(escapeRegExp(name)), {
        hostile: hostileStrings.includes(name)
      })
    ),
    fc
      .constantFrom('[]', '[{"user_id": 1}]', '"texto"', '42', 'true', 'false')
      .map((body) => json(body, 'body not an object', /body deve ser um objeto/)),
    fc.constantFrom('nome=Ana', '{"nome": "Ana"}').map((body) =>
      make('unsupported content type', { body, contentType: 'text/plain' }, /application\/json/, {
        status: 415
      })
    ),
    fc
      .tuple(
        fc.integer({ min: 64, max: 8_000 }),
        fc.boolean(),
        fc.constantFrom(...Object.keys(route.input), 'aninhado')
      )
      .map(([depth, arrays, field]) => {
        const nested = arrays
          ? '['.repeat(depth) + ']'.repeat(depth)
          : '{"a": '.repeat(depth) + '1' + '}'.repeat(depth)
        return json(
          `{${JSON.stringify(field)}: ${nested}}`,
          'deeply nested body',
          new RegExp(field),
          {
            field
          }
        )
      })
  )
  return arbitraries
}

/** Per-partition end offsets of a topic. */
async function endOffsets(kafka: Kafka, topic: string): Promise<Record<number, string>> {
  const admin = kafka.admin()
  await admin.connect()
  try {
    const offsets = await admin.fetchTopicOffsets(topic)
    return Object.fromEntries(offsets.map(({ partition, high }) => [partition, high]))
  } finally {
    await admin.disconnect()
  }
}

const readOnlyCommands = new Set(['get', 'mget', 'exists', 'ttl', 'pttl', 'ping', 'info', 'client'])

/**
 * Every command the gateway's Redis connection sends (the status store and the idempotency
 * keys use that one), seen through MONITOR on a plain socket: a MONITOR line is
 * `+<time> [<db> <address>] "<command>" "<arg>"…`.
 */
async function watchGatewayRedis(t: TestContext, app: GatewayApp) {
  const info = String(await app.redis.call('CLIENT', 'INFO'))
  const address = /\baddr=(\S+)/.exec(info)?.[1]
  assert.ok(address, `the gateway's Redis address in ${info}`)
  const { hostname, port } = new URL(servers.redisUrl)
  const socket = connect({ host: hostname, port: Number(port || 6379) })
  defer(t, () => socket.destroy())
  await once(socket, 'connect')
  const commands: string[] = []
  let pending = ''
  let monitoring: () => void = () => {}
  const started = new Promise<void>((resolve) => {
    monitoring = resolve
  })
  socket.setEncoding('utf8')
  socket.on('data', (chunk: string) => {
    const lines = (pending + chunk).split('\r\n')
    pending = lines.pop() ?? ''
    for (const line of lines) {
      if (line === '+OK') monitoring()
      const match = /^\+\S+ \[\d+ (\S+)\] "([^"]*)"/.exec(line)
      if (match?.[1] === address) commands.push((match[2] ?? '').toLowerCase())
    }
  })
  socket.write('MONITOR\r\n')
  await started
  return {
    commands,
    writes: () => commands.filter((command) => !readOnlyCommands.has(command))
  }
}

test(
  'bad-input drill: generated malformed requests on every operation route get a 4xx and publish nothing',
  { timeout: 120_000 },
  async (t) => {
    // No processor: nothing may reach Kafka anyway, and the rate limit would answer 429s to a
    // drill that sends hundreds of requests from one address.
    const { app, kafka, topics } = await startPlatform(t, {
      processors: 0,
      gatewayEnv: { RATE_LIMIT_MAX: '0' }
    })
    ctx.limit = app.initialConfig.bodyLimit ?? ctx.limit
    const routes = operationRoutes(app)
    assert.ok(routes.length >= 14, `every operation route found: ${routes.map(routeName)}`)

    const redis = await watchGatewayRedis(t, app)
    const before = await endOffsets(kafka, topics.requests)

    const byStatus = new Map<number, number>()
    const byCategory = new Map<string, number>()
    const byRoute = new Map<string, number>()
    const count = (map: Map<string | number, number>, key: string | number) =>
      map.set(key, (map.get(key) ?? 0) + 1)
    let sent = 0
    let hostileSent = 0

    const malformed = fc
      .constantFrom(...routes)
      .chain((route) => fc.oneof(...fieldFaults(route), ...requestFaults(route)))

    t.diagnostic(`fast-check seed ${SEED}, numRuns ${NUM_RUNS} (DRILL_SEED / DRILL_RUNS)`)
    await fc.assert(
      fc.asyncProperty(malformed, async (bad) => {
        const response = await app.inject({
          method: bad.method,
          url: bad.url,
          headers: bad.headers,
          ...(bad.payload !== undefined ? { payload: bad.payload } : {})
        })
        sent++
        if (bad.hostile) hostileSent++
        count(byStatus, response.statusCode)
        count(byCategory, bad.category)
        count(byRoute, bad.route)
        const what = `${bad.category} ${bad.route} ${bad.field ?? ''}: ${bad.method} ${bad.url.slice(0, 200)} → ${response.statusCode} ${response.body.slice(0, 300)}`
        assert.ok(response.statusCode >= 400 && response.statusCode < 500, what)
        if (bad.status) assert.equal(response.statusCode, bad.status, what)
        const body = response.json<{ message?: unknown }>()
        assert.equal(typeof body.message, 'string', what)
        assert.ok((body.message as string).length > 0, what)
        assert.match(body.message as string, bad.names, what)
      }),
      { seed: SEED, numRuns: NUM_RUNS }
    )

    const sorted = (map: Map<string | number, number>) =>
      [...map.entries()]
        .sort(([a], [b]) => String(a).localeCompare(String(b)))
        .map(([key, n]) => `${key}: ${n}`)
        .join(', ')
    t.diagnostic(`requests sent ${sent} (${hostileSent} carrying an injection string)`)
    t.diagnostic(`answers by status: ${sorted(byStatus)}`)
    t.diagnostic(`requests by category: ${sorted(byCategory)}`)
    t.diagnostic(`requests by route: ${sorted(byRoute)}`)

    assert.ok(sent >= 500, `${sent} malformed requests`)
    assert.equal(byCategory.size, 14, `every category drilled: ${sorted(byCategory)}`)
    assert.equal(byRoute.size, routes.length, 'every operation route drilled')
    assert.ok(![...byStatus.keys()].some((status) => status >= 500), 'zero 5xx')

    const after = await endOffsets(kafka, topics.requests)
    assert.deepEqual(after, before, 'the requests topic end offsets did not move')
    assert.deepEqual(redis.writes(), [], 'the gateway wrote nothing to Redis (no status keys)')
    t.diagnostic(
      `requests topic end offsets unchanged ${JSON.stringify(after)}; gateway Redis commands during the drill: ${redis.commands.length}, writes: ${redis.writes().length}`
    )

    // The control: the same base request, valid, is accepted on every route, publishes one
    // event each and records a status — so the checks above would have seen a leak.
    for (const route of routes) {
      const response = await app.inject(request(route, {}))
      assert.equal(response.statusCode, 202, `${routeName(route)}: ${response.body}`)
    }
    const published = Object.entries(await endOffsets(kafka, topics.requests)).reduce(
      (sum, [partition, high]) => sum + Number(high) - Number(before[Number(partition)] ?? 0),
      0
    )
    assert.equal(published, routes.length, 'one event per valid control request')
    const deadline = performance.now() + 5_000
    while (redis.writes().length < routes.length && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    assert.ok(
      redis.writes().length >= routes.length,
      `the watch sees status writes: ${redis.writes().join(',')}`
    )
    t.diagnostic(
      `control: ${routes.length} valid requests → ${published} events, ${redis.writes().length} Redis writes`
    )
  }
)
