// docker-compose.yml, the services' Dockerfiles, .dockerignore, .env.example and the Kibana
// provisioning, checked without a container engine (none runs in CI): pinned images, health
// checks and health-gated start-up, every variable in .env.example, SPEC's ports bound to
// 127.0.0.1, the stack's Kafka and Elasticsearch versions, Dockerfiles that copy real paths.
// `docker compose config` validates the file as well where the CLI has the compose plugin.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { topicPartitions } from '@streaming/contracts'
import { parse } from 'yaml'
import { GatewayConfigSchema } from '../../gateway/src/config.ts'
import { MonitorConfigSchema } from '../../monitor/src/config.ts'
import { eventMapping } from '../../monitor/src/templates.ts'
import { ProcessorConfigSchema } from '../../processor/src/config.ts'
import { migrationsDir } from '../../processor/src/stores/postgres-migrations.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))
const read = (path: string) => readFileSync(join(root, path), 'utf8')

/** SPEC "Ports": the host port of every component. */
const SPEC_PORTS: Record<string, number> = {
  gateway: 8000,
  processor: 8001,
  monitor: 8002,
  dashboard: 8089,
  'kafka-ui': 8080,
  adminer: 8081,
  'mongo-express': 8082,
  'redis-commander': 8083,
  kafka: 9092,
  postgres: 5432,
  mongo: 27017,
  redis: 6379,
  elasticsearch: 9200,
  kibana: 5601
}
const INIT_JOBS = ['kafka-init', 'kibana-init']
const SERVICE_CONFIGS = {
  gateway: GatewayConfigSchema,
  processor: ProcessorConfigSchema,
  monitor: MonitorConfigSchema
}
/** The servers the services reach inside the compose network, and their container ports. */
const SERVERS: Record<string, { service: string; port: number }> = {
  POSTGRES_URL: { service: 'postgres', port: 5432 },
  MONGO_URL: { service: 'mongo', port: 27017 },
  REDIS_URL: { service: 'redis', port: 6379 },
  ELASTICSEARCH_URL: { service: 'elasticsearch', port: 9200 }
}

interface Service {
  image?: string
  build?: string | { context?: string; dockerfile?: string }
  restart?: string
  environment?: Record<string, string | number | boolean | null> | string[]
  ports?: unknown[]
  volumes?: unknown[]
  depends_on?: string[] | Record<string, { condition?: string }>
  healthcheck?: { test?: string | string[]; disable?: boolean }
  entrypoint?: string | string[]
  command?: string | string[]
}

interface ComposeFile {
  services: Record<string, Service>
  volumes?: Record<string, unknown>
}

// --- .env files and compose interpolation -----------------------------------------------------

function parseEnvFile(text: string): { values: Map<string, string>; duplicates: string[] } {
  const values = new Map<string, string>()
  const duplicates: string[] = []
  for (const line of text.split('\n')) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line)
    if (!match) continue
    const [, key = '', value = ''] = match
    if (values.has(key)) duplicates.push(key)
    values.set(key, value)
  }
  return { values, duplicates }
}

interface Reference {
  name: string
  /** The default of `${NAME:-default}` or `${NAME-default}`. */
  fallback?: string
}

const VARIABLE =
  /\$(?:(\$)|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g

function referencesIn(text: string): Reference[] {
  const found: Reference[] = []
  for (const match of text.matchAll(VARIABLE)) {
    const [, escaped, braced, operator, operand, bare] = match
    if (escaped) continue
    const name = braced ?? bare
    assert.ok(name, `unreadable variable in '${text}'`)
    assert.doesNotMatch(operand ?? '', /\$/, `nested interpolation in '${text}'`)
    const fallback = operator === ':-' || operator === '-' ? operand : undefined
    found.push(fallback === undefined ? { name } : { name, fallback })
  }
  return found
}

/** Compose's interpolation of one value: `$$`, `$NAME`, `${NAME}`, `${NAME:-default}`, `${NAME-default}`. */
function interpolate(text: string, env: ReadonlyMap<string, string>): string {
  return text.replace(VARIABLE, (whole, escaped, braced, operator, operand, bare) => {
    if (escaped) return '$'
    const name = (braced ?? bare) as string
    const value = env.get(name)
    if (operator === ':-') return value || (operand as string)
    if (operator === '-') return value ?? (operand as string)
    assert.ok(operator === undefined, `unsupported interpolation ${whole}`)
    return value ?? ''
  })
}

function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value]
  if (Array.isArray(value)) return value.flatMap(stringsIn)
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(stringsIn)
  return []
}

const compose = parse(read('docker-compose.yml')) as ComposeFile
const services = compose.services
const envExample = parseEnvFile(read('.env.example'))
const noEnv = new Map<string, string>()

function service(name: string): Service {
  const found = services[name]
  assert.ok(found, `docker-compose.yml has no service '${name}'`)
  return found
}

function environmentOf(name: string): Record<string, string> {
  const environment = service(name).environment ?? {}
  assert.ok(!Array.isArray(environment), `${name}: environment as a mapping`)
  return Object.fromEntries(Object.entries(environment).map(([k, v]) => [k, String(v ?? '')]))
}

function dependsOn(name: string): Record<string, { condition?: string }> {
  const dependencies = service(name).depends_on ?? {}
  assert.ok(!Array.isArray(dependencies), `${name}: depends_on with conditions, not a list`)
  return dependencies
}

function healthcheckTest(name: string): string[] {
  const check = service(name).healthcheck
  if (!check || check.disable) return []
  const command = typeof check.test === 'string' ? ['CMD-SHELL', check.test] : (check.test ?? [])
  return command[0] === 'NONE' ? [] : command
}

interface Published {
  raw: string
  ip: string
  host: number
  container: number
}

function publishedPorts(name: string, env: ReadonlyMap<string, string>): Published[] {
  return (service(name).ports ?? []).map((entry) => {
    assert.equal(typeof entry, 'string', `${name}: ports in the short "ip:host:container" form`)
    const raw = entry as string
    const parts = interpolate(raw, env).split(':')
    assert.equal(parts.length, 3, `${name}: '${raw}' names the interface, host and container port`)
    const [ip = '', host = '', container = ''] = parts
    return { raw, ip, host: Number(host), container: Number(container) }
  })
}

function imageTag(image: string): { repository: string; tag: string | undefined } {
  const name = image.split('@')[0] ?? image
  const colon = name.indexOf(':', name.lastIndexOf('/') + 1)
  return colon < 0
    ? { repository: name, tag: undefined }
    : { repository: name.slice(0, colon), tag: name.slice(colon + 1) }
}

/** A tag that names one release: major.minor.patch (PostgreSQL's releases are major.minor). */
function pinned(image: string): boolean {
  const { repository, tag = '' } = imageTag(image)
  return (repository === 'postgres' ? /^\d+\.\d+(-|$)/ : /^v?\d+\.\d+\.\d+/).test(tag)
}

// --- Dockerfiles and .dockerignore ------------------------------------------------------------

interface Instruction {
  keyword: string
  args: string
}

function parseDockerfile(text: string): Instruction[][] {
  const logical: string[] = []
  let current = ''
  for (const line of text.split('\n')) {
    if (current === '' && /^\s*(#|$)/.test(line)) continue
    if (/\\\s*$/.test(line)) {
      current += line.replace(/\\\s*$/, ' ')
      continue
    }
    logical.push(current + line)
    current = ''
  }
  const stages: Instruction[][] = []
  for (const line of logical) {
    const match = /^\s*([A-Za-z]+)\s+(.*)$/.exec(line)
    assert.ok(match, `unreadable Dockerfile line: ${line}`)
    const instruction = { keyword: (match[1] ?? '').toUpperCase(), args: (match[2] ?? '').trim() }
    if (instruction.keyword === 'FROM') stages.push([])
    const stage = stages.at(-1)
    assert.ok(stage, `'${line}' before the first FROM`)
    stage.push(instruction)
  }
  return stages
}

/** The sources of a COPY or ADD (both forms), and whether it copies from another stage. */
function copySources(args: string): { sources: string[]; fromStage: boolean } {
  const flags = args.match(/^(--\S+\s+)*/)?.[0] ?? ''
  const rest = args.slice(flags.length).trim()
  const paths = rest.startsWith('[') ? (JSON.parse(rest) as string[]) : rest.split(/\s+/)
  return { sources: paths.slice(0, -1), fromStage: /--from=/.test(flags) }
}

function globToRegExp(pattern: string): RegExp {
  const segments = pattern.split('/').map((segment, index, all) => {
    if (segment === '**') return index === all.length - 1 ? '.*' : '(?:.*/)?'
    const body = segment
      .replace(/[.+^${}()|\\]/g, '\\$&')
      .replace(/\*/g, '[^/]*')
      .replace(/\?/g, '[^/]')
    return index === all.length - 1 ? body : `${body}/`
  })
  return new RegExp(`^${segments.join('')}$`)
}

/** Docker's rule: the last pattern matching the path or one of its parent directories decides. */
function dockerIgnored(path: string, dockerignore: string): boolean {
  const rules = dockerignore
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const negated = line.startsWith('!')
      const pattern = (negated ? line.slice(1) : line).replace(/^\/+/, '').replace(/\/+$/, '')
      return { negated, regexp: globToRegExp(pattern) }
    })
  const segments = path.replace(/^\.\//, '').replace(/\/+$/, '').split('/')
  const candidates = segments.map((_, index) => segments.slice(0, index + 1).join('/'))
  let ignored = false
  for (const rule of rules) {
    if (candidates.some((candidate) => rule.regexp.test(candidate))) ignored = !rule.negated
  }
  return ignored
}

const builtServices = Object.entries(services)
  .filter(([, definition]) => definition.build !== undefined)
  .map(([name]) => name)

function dockerfileOf(name: string): { context: string; dockerfile: string } {
  const build = service(name).build
  const context = typeof build === 'string' ? build : (build?.context ?? '.')
  const dockerfile = typeof build === 'string' ? 'Dockerfile' : (build?.dockerfile ?? 'Dockerfile')
  return { context, dockerfile: join(context, dockerfile) }
}

// --- the tests --------------------------------------------------------------------------------

test('every variable docker-compose.yml references is in .env.example, with its default', () => {
  const references = stringsIn(compose).flatMap(referencesIn)
  const names = new Set(references.map((reference) => reference.name))
  // The walk found the file's variables (a broken walk would make the checks below vacuous).
  for (const name of ['BIND_ADDRESS', 'KAFKA_TOPICS', 'POSTGRES_PASSWORD', 'GATEWAY_PORT']) {
    assert.ok(names.has(name), `${name} is referenced`)
  }
  for (const { name, fallback } of references) {
    assert.ok(envExample.values.has(name), `${name} (used by docker-compose.yml) in .env.example`)
    if (fallback !== undefined) {
      assert.equal(fallback, envExample.values.get(name), `the default of \${${name}}`)
    }
  }
})

test('.env.example lists each variable once', () => {
  assert.deepEqual(envExample.duplicates, [])
})

test('every image is pinned to a release, or built from this repository', () => {
  for (const [name, definition] of Object.entries(services)) {
    if (definition.build !== undefined) {
      assert.equal(definition.image, undefined, `${name}: built, so no image to pull`)
      continue
    }
    assert.ok(definition.image, `${name}: an image or a build`)
    const { tag } = imageTag(definition.image)
    assert.ok(tag, `${name}: ${definition.image} has a tag`)
    assert.notEqual(tag, 'latest', `${name}: ${definition.image}`)
    assert.ok(pinned(definition.image), `${name}: ${definition.image} names a patch release`)
  }
})

test('Kafka is the version of stack/versions.env, Elasticsearch and Kibana its major', () => {
  const versions = parseEnvFile(read('stack/versions.env')).values
  const kafkaVersion = versions.get('KAFKA_VERSION')
  const elasticsearchMajor = versions.get('ELASTICSEARCH_VERSION')?.split('.')[0]
  assert.ok(kafkaVersion && elasticsearchMajor)

  const kafka = imageTag(service('kafka').image ?? '')
  assert.equal(kafka.repository, 'apache/kafka')
  assert.equal(kafka.tag, kafkaVersion)
  assert.equal(service('kafka-init').image, service('kafka').image, 'kafka-init: the same image')

  const elasticsearch = imageTag(service('elasticsearch').image ?? '')
  assert.equal(elasticsearch.repository, 'docker.elastic.co/elasticsearch/elasticsearch')
  assert.equal(elasticsearch.tag?.split('.')[0], elasticsearchMajor)
  const kibana = imageTag(service('kibana').image ?? '')
  assert.equal(kibana.repository, 'docker.elastic.co/kibana/kibana')
  assert.equal(kibana.tag, elasticsearch.tag, 'Kibana runs the version of Elasticsearch')
  assert.equal(service('kibana-init').image, service('kibana').image, 'kibana-init: the same image')
})

test('long-running services have a health check; the one-shot jobs are awaited to completion', () => {
  const awaited = new Set(
    Object.keys(services).flatMap((name) =>
      Object.entries(dependsOn(name))
        .filter(([, { condition }]) => condition === 'service_completed_successfully')
        .map(([dependency]) => dependency)
    )
  )
  assert.deepEqual([...awaited].sort(), INIT_JOBS)
  for (const [name, definition] of Object.entries(services)) {
    if (awaited.has(name)) {
      assert.equal(definition.restart, 'no', `${name}: a one-shot job is not restarted`)
      assert.deepEqual(publishedPorts(name, noEnv), [], `${name}: a job publishes no port`)
      continue
    }
    assert.ok(healthcheckTest(name).length > 1, `${name}: a health check`)
    assert.ok(
      ['unless-stopped', 'always'].includes(definition.restart ?? ''),
      `${name}: restarted when it stops (restart: ${definition.restart})`
    )
  }
})

test('depends_on waits for health or completion, in an order without cycles', () => {
  for (const name of Object.keys(services)) {
    for (const [dependency, { condition }] of Object.entries(dependsOn(name))) {
      assert.ok(services[dependency], `${name} depends on an existing service (${dependency})`)
      if (condition === 'service_healthy') {
        assert.ok(healthcheckTest(dependency).length > 1, `${dependency} has a health check`)
      } else {
        assert.equal(condition, 'service_completed_successfully', `${name} → ${dependency}`)
        assert.ok(INIT_JOBS.includes(dependency), `${name} awaits the job ${dependency}`)
      }
    }
  }
  // Topics exist (auto-creation is off) before a service starts; the dashboard proxies to all three.
  for (const name of Object.keys(SERVICE_CONFIGS)) {
    assert.equal(dependsOn(name)['kafka-init']?.condition, 'service_completed_successfully', name)
    assert.equal(dependsOn('dashboard')[name]?.condition, 'service_healthy', `dashboard → ${name}`)
  }
  assert.equal(dependsOn('kibana-init').kibana?.condition, 'service_healthy')

  const visiting = new Set<string>()
  const done = new Set<string>()
  const visit = (name: string, path: string[]) => {
    assert.ok(!visiting.has(name), `a depends_on cycle: ${[...path, name].join(' → ')}`)
    if (done.has(name)) return
    visiting.add(name)
    for (const dependency of Object.keys(dependsOn(name))) visit(dependency, [...path, name])
    visiting.delete(name)
    done.add(name)
  }
  for (const name of Object.keys(services)) visit(name, [])
})

test("published ports are SPEC's and bind to 127.0.0.1 unless BIND_ADDRESS says otherwise", () => {
  const publishing = Object.keys(services).filter((name) => (services[name]?.ports ?? []).length)
  assert.deepEqual(publishing.sort(), Object.keys(SPEC_PORTS).sort())
  for (const [name, port] of Object.entries(SPEC_PORTS)) {
    for (const env of [noEnv, envExample.values]) {
      const ports = publishedPorts(name, env)
      assert.equal(ports.length, 1, `${name} publishes one port`)
      const [published] = ports
      assert.equal(published?.host, port, `${name}: host port (${published?.raw})`)
      assert.equal(published?.ip, '127.0.0.1', `${name}: bound to loopback (${published?.raw})`)
    }
    const moved = publishedPorts(name, new Map([['BIND_ADDRESS', '0.0.0.0']]))
    assert.equal(moved[0]?.ip, '0.0.0.0', `${name}: BIND_ADDRESS decides the interface`)
  }
})

test('the services reach the servers by their names inside the network and listen on all interfaces', () => {
  const kafkaListeners = environmentOf('kafka').KAFKA_ADVERTISED_LISTENERS ?? ''
  for (const name of Object.keys(SERVICE_CONFIGS)) {
    const env = environmentOf(name)
    const prefix = name.toUpperCase()
    assert.equal(env.KAFKA_BROKERS, 'kafka:29092', `${name}: KAFKA_BROKERS`)
    assert.match(kafkaListeners, /\/\/kafka:29092(,|$)/, 'kafka advertises kafka:29092')
    assert.equal(env[`${prefix}_HOST`], '0.0.0.0', `${name}: ${prefix}_HOST`)
    const port = Number(env[`${prefix}_PORT`])
    assert.equal(publishedPorts(name, noEnv)[0]?.container, port, `${name}: publishes ${port}`)
    assert.match(healthcheckTest(name).join(' '), new RegExp(`//127\\.0\\.0\\.1:${port}/health`))
    for (const [variable, server] of Object.entries(SERVERS)) {
      if (env[variable] === undefined) continue
      const url = new URL(interpolate(env[variable], envExample.values))
      assert.equal(url.hostname, server.service, `${name}: ${variable} names a compose service`)
      assert.equal(Number(url.port), server.port, `${name}: ${variable} port`)
      assert.ok(services[server.service], `${server.service} is a service`)
      assert.equal(dependsOn(name)[server.service]?.condition, 'service_healthy', variable)
    }
  }
  const postgres = new URL(interpolate(environmentOf('processor').POSTGRES_URL ?? '', noEnv))
  assert.deepEqual(
    [postgres.username, postgres.password, postgres.pathname],
    ['streaming', 'streaming', '/streaming'],
    'the processor logs in as the user postgres creates'
  )
})

test('every setting a service reads reaches its container, and nothing it does not read', () => {
  for (const [name, schema] of Object.entries(SERVICE_CONFIGS)) {
    // NODE_ENV is the image's (production); .env's value is for running from source.
    const reads = Object.keys(schema.properties).filter((key) => key !== 'NODE_ENV')
    assert.deepEqual(Object.keys(environmentOf(name)).sort(), reads.sort(), name)
  }
})

test('the host-side addresses of .env.example reach the compose servers', () => {
  const env = envExample.values
  const postgres = new URL(env.get('POSTGRES_URL') ?? '')
  assert.equal(postgres.username, env.get('POSTGRES_USER'))
  assert.equal(postgres.password, env.get('POSTGRES_PASSWORD'))
  assert.equal(postgres.pathname, `/${env.get('POSTGRES_DB')}`)
  assert.equal(postgres.port, env.get('POSTGRES_PORT'))
  const mongo = new URL(env.get('MONGO_URL') ?? '')
  assert.equal(mongo.port, env.get('MONGO_PORT'))
  assert.equal(mongo.pathname, `/${env.get('MONGO_DB')}`)
  assert.equal(new URL(env.get('REDIS_URL') ?? '').port, env.get('REDIS_PORT'))
  assert.equal(new URL(env.get('ELASTICSEARCH_URL') ?? '').port, env.get('ELASTICSEARCH_PORT'))
  assert.equal(env.get('KAFKA_BROKERS'), `127.0.0.1:${env.get('KAFKA_PORT')}`)
  const advertised = interpolate(environmentOf('kafka').KAFKA_ADVERTISED_LISTENERS ?? '', env)
  assert.ok(
    advertised.split(',').some((listener) => listener.endsWith(`//${env.get('KAFKA_BROKERS')}`)),
    `Kafka advertises ${env.get('KAFKA_BROKERS')} to the host (${advertised})`
  )
})

test("kafka-init creates SPEC's topics with their partition counts", () => {
  const parseTopics = (list: string) =>
    Object.fromEntries(
      list.split(',').map((spec) => {
        const [topic = '', partitions = ''] = spec.split(':')
        return [topic, Number(partitions)]
      })
    )
  const job = environmentOf('kafka-init')
  const [reference] = referencesIn(job.TOPICS ?? '')
  assert.equal(reference?.name, 'KAFKA_TOPICS')
  assert.deepEqual(parseTopics(reference?.fallback ?? ''), topicPartitions)
  assert.deepEqual(parseTopics(envExample.values.get('KAFKA_TOPICS') ?? ''), topicPartitions)
  const script = stringsIn(service('kafka-init').command).join('\n')
  assert.match(script, /\$\$\{TOPICS/, 'the job reads TOPICS')
  assert.match(script, /kafka-topics\.sh/)
  assert.match(script, /--create --if-not-exists/)
  assert.equal(environmentOf('kafka').KAFKA_AUTO_CREATE_TOPICS_ENABLE, 'false')
})

test('state lives in named volumes; bind mounts are files of this repository', () => {
  const declared = new Set(Object.keys(compose.volumes ?? {}))
  const used = new Set<string>()
  for (const [name, definition] of Object.entries(services)) {
    for (const entry of definition.volumes ?? []) {
      assert.equal(typeof entry, 'string', `${name}: volumes in the short form`)
      const [source = '', target = ''] = (entry as string).split(':')
      assert.ok(target.startsWith('/'), `${name}: ${entry as string}`)
      if (source.startsWith('.') || source.startsWith('/')) {
        assert.ok(source.startsWith('./'), `${name}: bind mounts are relative to the repository`)
        assert.ok(existsSync(join(root, source)), `${name}: ${source} exists`)
        assert.match(entry as string, /:ro$/, `${name}: ${source} is mounted read-only`)
      } else {
        assert.ok(declared.has(source), `${name}: volume ${source} is declared`)
        used.add(source)
      }
    }
  }
  assert.deepEqual([...used].sort(), [...declared].sort(), 'every declared volume is used')
  for (const name of ['postgres', 'mongo', 'redis', 'kafka', 'elasticsearch', 'monitor']) {
    const named = (service(name).volumes ?? []).filter((entry) => !String(entry).startsWith('.'))
    assert.equal(named.length, 1, `${name} keeps its data in a named volume`)
  }
})

/** SERVICE_NODE_FLAGS=(…) of scripts/platform.sh: the V8 flags every service runs with. */
const serviceNodeFlags = (
  /^SERVICE_NODE_FLAGS=\(([^)]*)\)$/m.exec(read('scripts/platform.sh'))?.[1] ?? ''
)
  .split(/\s+/)
  .filter(Boolean)

test('each built service has a Dockerfile whose stages copy existing paths', () => {
  const dockerignore = read('.dockerignore')
  assert.deepEqual(builtServices.sort(), Object.keys(SERVICE_CONFIGS).sort())
  for (const name of builtServices) {
    const { context, dockerfile } = dockerfileOf(name)
    assert.equal(context, '.', `${name}: the build context is the repository root`)
    assert.ok(existsSync(join(root, dockerfile)), `${name}: ${dockerfile} exists`)
    const stages = parseDockerfile(read(dockerfile))
    assert.ok(stages.length >= 2, `${dockerfile}: multi-stage`)
    const stageNames: string[] = []
    for (const stage of stages) {
      const [from, ...rest] = stage
      const [image = '', as, stageName] = (from?.args ?? '').split(/\s+/)
      if (!stageNames.includes(image)) {
        assert.ok(pinned(image), `${dockerfile}: FROM ${image} is pinned`)
      }
      if (as?.toUpperCase() === 'AS' && stageName) stageNames.push(stageName)
      for (const { keyword, args } of rest) {
        if (keyword !== 'COPY' && keyword !== 'ADD') continue
        const { sources, fromStage } = copySources(args)
        if (fromStage) continue
        assert.ok(sources.length > 0, `${dockerfile}: ${keyword} ${args}`)
        for (const source of sources) {
          assert.ok(existsSync(join(root, context, source)), `${dockerfile}: ${source} exists`)
          assert.ok(!dockerIgnored(source, dockerignore), `${dockerfile}: ${source} not ignored`)
        }
      }
    }
    const runs = stages.flat().filter(({ keyword }) => keyword === 'RUN')
    assert.ok(
      runs.some(({ args }) => /npm ci\b.*--omit=dev/.test(args) && args.includes(`-w ${name}`)),
      `${dockerfile}: a stage installs the production dependencies of ${name}`
    )

    const final = stages.at(-1) ?? []
    const last = (keyword: string) => final.filter((i) => i.keyword === keyword).at(-1)?.args
    const user = last('USER')
    assert.ok(user && !['root', '0'].includes(user.split(':')[0] ?? ''), `${dockerfile}: USER`)
    assert.match(last('HEALTHCHECK') ?? '', /\/health/, `${dockerfile}: HEALTHCHECK`)
    assert.equal(
      Number(last('EXPOSE')),
      publishedPorts(name, noEnv)[0]?.container,
      `${dockerfile}: EXPOSE`
    )
    const command = JSON.parse(last('CMD') ?? 'null') as string[] | null
    assert.ok(Array.isArray(command), `${dockerfile}: CMD in exec form`)
    const [program, ...args] = command
    const entry = args.at(-1) ?? ''
    assert.equal(program, 'node')
    // The flags the native platform starts the services with (scripts/platform.sh).
    assert.deepEqual(args.slice(0, -1), serviceNodeFlags, `${dockerfile}: CMD's node flags`)
    // Node.js runs the TypeScript source itself: the image starts the entry as it is in the tree.
    assert.match(
      entry,
      new RegExp(`^${name}/src/[\\w-]+\\.ts$`),
      `${dockerfile}: CMD runs a source`
    )
    assert.ok(existsSync(join(root, entry)), `${dockerfile}: ${entry} exists`)
    assert.match(final[0]?.args ?? '', /^node:24\./, `${dockerfile}: runs on Node.js 24`)
  }
})

test('the processor image holds its schema migrations where the code reads them', () => {
  // Relative to WORKDIR, as the sources are: src/stores/ finds them at ../../migrations.
  const dir = relative(root, migrationsDir)
  const copies = (parseDockerfile(read('processor/Dockerfile')).at(-1) ?? [])
    .filter(({ keyword }) => keyword === 'COPY')
    .map(({ args }) => args)
  assert.ok(copies.includes(`${dir} ${dir}`), `processor/Dockerfile: COPY ${dir} ${dir}`)
})

test('.dockerignore keeps local state and build output out of the image context', () => {
  const dockerignore = read('.dockerignore')
  for (const path of ['.env', '.git', 'node_modules', 'gateway/node_modules', 'monitor/dist']) {
    assert.ok(dockerIgnored(path, dockerignore), `${path} is ignored`)
  }
  for (const path of [
    'package-lock.json',
    'contracts/src/index.ts',
    'runtime/src/index.ts',
    'gateway/src/server.ts'
  ]) {
    assert.ok(!dockerIgnored(path, dockerignore), `${path} is in the context`)
  }
})

test("the dashboard's nginx renders dashboard/nginx.conf.template with its variables", () => {
  const mounts = (service('dashboard').volumes ?? []).map(String)
  const template = mounts.find((mount) => mount.startsWith('./dashboard/nginx.conf.template:'))
  assert.match(template ?? '', /:\/etc\/nginx\/templates\/[^/]+\.conf\.template:ro$/)
  const env = environmentOf('dashboard')
  const variables = [...read('dashboard/nginx.conf.template').matchAll(/\$\{([A-Z_]+)\}/g)]
  assert.ok(variables.length > 0)
  for (const [, variable = ''] of variables) {
    assert.ok(env[variable], `the dashboard's environment sets ${variable}`)
  }
  const pages = mounts.find((mount) => mount.startsWith('./dashboard:'))
  assert.equal(pages, `./dashboard:${env.DASHBOARD_ROOT}:ro`, 'DASHBOARD_ROOT holds the page')
  assert.ok(existsSync(join(root, 'dashboard/index.html')))
  assert.equal(Number(env.DASHBOARD_PORT), publishedPorts('dashboard', noEnv)[0]?.container)
  for (const name of Object.keys(SERVICE_CONFIGS)) {
    const port = publishedPorts(name, noEnv)[0]?.container
    assert.equal(env[`${name.toUpperCase()}_UPSTREAM`], `${name}:${port}`)
  }
})

// A migration version each saved-object type has in Kibana 8.8 (from its source and 8.x exports).
// The import refuses an object that claims a version newer than Kibana knows, migrates one at or
// below it forward, and runs every migration since 6.x on one that claims none.
const KIBANA_MIGRATIONS: Record<string, string> = {
  'index-pattern': '8.0.0',
  search: '7.9.3',
  visualization: '8.5.0',
  dashboard: '8.7.0'
}

interface SavedObject {
  type: string
  id: string
  coreMigrationVersion?: string
  typeMigrationVersion?: string
  attributes: Record<string, unknown>
  references: Array<{ name: string; type: string; id: string }>
}

test('kibana-init imports the data view, the failed-operations search and the dashboard', () => {
  const job = service('kibana-init')
  assert.ok((job.volumes ?? []).includes('./kibana:/provision:ro'))
  const entrypoint = stringsIn(job.entrypoint).join(' ')
  const script = /\/provision\/(\S+\.sh)/.exec(entrypoint)?.[1]
  assert.ok(script && existsSync(join(root, 'kibana', script)), `kibana-init runs kibana/${script}`)
  const provision = read(`kibana/${script}`)
  assert.match(provision, /\/api\/saved_objects\/_import\?overwrite=true/)
  const objectsFile = /\/(\S+\.ndjson)"/.exec(provision)?.[1] ?? ''
  const objects = read(`kibana/${objectsFile}`)
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as SavedObject)
  const byKey = new Map(objects.map((object) => [`${object.type}:${object.id}`, object]))
  assert.equal(byKey.size, objects.length, 'ids are unique')
  const kibanaVersion = imageTag(service('kibana').image ?? '').tag ?? ''

  for (const object of objects) {
    for (const reference of object.references) {
      assert.ok(byKey.has(`${reference.type}:${reference.id}`), `${object.id} → ${reference.id}`)
    }
    const newest = KIBANA_MIGRATIONS[object.type]
    assert.ok(newest, `${object.type} objects are known`)
    assert.ok(object.typeMigrationVersion, `${object.id}: typeMigrationVersion`)
    assert.ok(
      compareVersions(object.typeMigrationVersion, newest) <= 0,
      `${object.id}: typeMigrationVersion ${object.typeMigrationVersion}`
    )
    assert.ok(
      compareVersions(newest, kibanaVersion) <= 0,
      `Kibana ${kibanaVersion} knows ${newest}`
    )
  }

  const dataViews = objects.filter((object) => object.type === 'index-pattern')
  assert.equal(dataViews.length, 1)
  const [dataView] = dataViews
  assert.equal(dataView?.attributes.title, 'api_*')
  assert.equal(dataView?.attributes.timeFieldName, 'timestamp')
  assert.match(provision, new RegExp(`DATA_VIEW_ID=${dataView?.id}\\b`), 'made the default')

  const searchSource = (object: SavedObject) => {
    const meta = object.attributes.kibanaSavedObjectMeta as { searchSourceJSON: string }
    const source = JSON.parse(meta.searchSourceJSON) as {
      query: { query: string; language: string }
      indexRefName?: string
    }
    const index = object.references.find((reference) => reference.name === source.indexRefName)
    assert.equal(index?.id, dataView?.id, `${object.id} searches the data view`)
    return source.query
  }
  const searches = objects.filter((object) => object.type === 'search')
  assert.equal(searches.length, 1)
  const [failed] = searches
  assert.ok(failed)
  assert.deepEqual(searchSource(failed), { query: 'status:error', language: 'kuery' })

  interface Agg {
    type: string
    schema: string
    params: { field?: string }
  }
  const visualizations = objects
    .filter((object) => object.type === 'visualization')
    .map((object) => {
      searchSource(object)
      const state = JSON.parse(String(object.attributes.visState)) as {
        aggs: Agg[]
        params: { valueAxes?: Array<{ scale: { mode: string } }> }
      }
      return { id: object.id, ...state }
    })
  const fields = [
    ...visualizations.flatMap((vis) => vis.aggs.flatMap((agg) => agg.params.field ?? [])),
    ...(failed.attributes.columns as string[])
  ]
  const mapping = eventMapping.properties as Record<string, { type: string; index?: boolean }>
  for (const field of fields) {
    const type = mapping[field]?.type
    assert.ok(type, `${field} is a field of the monitor's mapping`)
  }
  for (const field of visualizations.flatMap((v) => v.aggs.flatMap((a) => a.params.field ?? []))) {
    assert.notEqual(mapping[field]?.type, 'text', `${field} can be aggregated`)
  }
  const has = (predicate: (agg: Agg) => boolean) =>
    visualizations.filter((vis) => vis.aggs.some(predicate))
  const overTime = has((a) => a.type === 'date_histogram' && a.params.field === 'timestamp')
  assert.ok(
    overTime.some((vis) =>
      vis.aggs.some((a) => a.schema === 'group' && a.params.field === 'operation')
    ),
    'operations over time'
  )
  assert.ok(
    overTime.some(
      (vis) =>
        vis.aggs.some((a) => a.params.field === 'status') &&
        vis.params.valueAxes?.[0]?.scale.mode === 'percentage'
    ),
    'error rate: the share of replies by status over time'
  )
  assert.ok(
    has((a) => a.params.field === 'latency_ms').some((vis) =>
      vis.aggs.some((a) => a.type === 'terms' && a.params.field === 'operation')
    ),
    'latency per operation'
  )

  const dashboards = objects.filter((object) => object.type === 'dashboard')
  assert.equal(dashboards.length, 1)
  const [dashboard] = dashboards
  assert.ok(dashboard)
  const panels = JSON.parse(String(dashboard.attributes.panelsJSON)) as Array<{
    panelIndex: string
    panelRefName: string
  }>
  const shown = panels.map((panel) => {
    const name = `${panel.panelIndex}:${panel.panelRefName}`
    const reference = dashboard.references.find((candidate) => candidate.name === name)
    assert.ok(reference, `the dashboard's reference ${name}`)
    return reference.id
  })
  const expected = [failed.id, ...visualizations.map((vis) => vis.id)]
  assert.deepEqual(shown.sort(), expected.sort(), 'the dashboard shows every visualization')
})

function compareVersions(a: string, b: string): number {
  const left = a.split(/[.-]/).map(Number)
  const right = b.split(/[.-]/).map(Number)
  for (let i = 0; i < 3; i++) {
    const difference = (left[i] ?? 0) - (right[i] ?? 0)
    if (difference !== 0) return Math.sign(difference)
  }
  return 0
}

test('docker compose validates the file (where the CLI has the compose plugin)', (t) => {
  const version = spawnSync('docker', ['compose', 'version'], { cwd: root, encoding: 'utf8' })
  if (version.status !== 0) {
    const why = version.error?.message ?? (version.stderr || version.stdout).trim().split('\n')[0]
    t.diagnostic(`docker compose is not available here (${why}): compose config not run`)
    return
  }
  const args = ['compose', '--env-file', '.env.example', '-f', 'docker-compose.yml', 'config']
  const quiet = spawnSync('docker', [...args, '-q'], { cwd: root, encoding: 'utf8' })
  assert.equal(quiet.status, 0, `docker compose config: ${quiet.stderr}`)
  // Compose's own interpolation agrees with this file's reading of the published ports.
  const rendered = spawnSync('docker', [...args, '--format', 'json'], {
    cwd: root,
    encoding: 'utf8'
  })
  assert.equal(rendered.status, 0, rendered.stderr)
  const config = JSON.parse(rendered.stdout) as {
    services: Record<string, { ports?: Array<{ host_ip: string; published: string }> }>
  }
  for (const [name, port] of Object.entries(SPEC_PORTS)) {
    const [published] = config.services[name]?.ports ?? []
    assert.deepEqual([published?.host_ip, Number(published?.published)], ['127.0.0.1', port], name)
  }
})
