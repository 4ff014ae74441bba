// One processor in a process of its own, for drills that kill it (SIGKILL: no close, no commit).
// The service's own clients and environment (POSTGRES_URL and MONGO_URL name the drill's own
// databases) plus TEST_TOPICS (JSON TopicNames) and TEST_REDIS_KEY_PREFIX; logs as JSON on stdout,
// "processor under test ready" with the address of its health and metrics server (PROCESSOR_PORT,
// 0 for any) once it consumes.
import type { TopicNames } from '@streaming/contracts'
import { closeOnSignals } from '@streaming/runtime'
import { pino } from 'pino'
import { createProcessorClients } from '../../processor/src/clients.ts'
import { loadProcessorConfig } from '../../processor/src/config.ts'
import { createProcessor } from '../../processor/src/processor.ts'

const config = loadProcessorConfig()
const log = pino({ level: config.LOG_LEVEL, base: { service: 'processor-under-test' } })
const clients = createProcessorClients(
  config,
  log.child({}, { level: 'warn' }),
  'processor-under-test'
)
const { kafka, postgres, mongo, redis } = clients

const processor = createProcessor({
  config,
  log,
  kafka,
  postgres,
  mongodb: mongo.db(),
  redis,
  topics: JSON.parse(process.env.TEST_TOPICS ?? '') as TopicNames,
  redisKeyPrefix: process.env.TEST_REDIS_KEY_PREFIX ?? ''
})

closeOnSignals(log, async () => {
  await processor.close()
  await clients.close()
})

await mongo.connect()
await processor.start()
log.info({ address: await processor.listen() }, 'processor under test ready')
