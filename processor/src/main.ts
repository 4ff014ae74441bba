import { closeOnSignals, stopKafkaIdleTimers } from '@streaming/runtime'
import { pino } from 'pino'
import { createProcessorClients } from './clients.ts'
import { loadProcessorConfig } from './config.ts'
import { createProcessor } from './processor.ts'

const config = loadProcessorConfig()
const log = pino({ level: config.LOG_LEVEL, base: { service: 'processor' } })
stopKafkaIdleTimers()
const clients = createProcessorClients(config, log)
const { kafka, postgres, mongo, redis } = clients

const processor = createProcessor({ config, log, kafka, postgres, mongodb: mongo.db(), redis })

closeOnSignals(log, async () => {
  await processor.close()
  await clients.close()
})

try {
  await mongo.connect()
  await processor.start()
  await processor.listen()
} catch (err) {
  log.fatal({ err }, 'processor could not start')
  await Promise.allSettled([processor.close(), clients.close()])
  process.exit(1)
}
