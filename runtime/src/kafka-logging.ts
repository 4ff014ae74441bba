import type { logCreator as KafkaLogCreator } from 'kafkajs'
import type { Logger } from 'pino'

// kafkajs log levels: 1 error, 2 warn, 4 info, 5 debug.
const levels = { 1: 'error', 2: 'warn', 4: 'info', 5: 'debug' } as const

/** Sends kafkajs's own log lines through the service's pino logger. */
export function kafkaLogCreator(log: Logger): KafkaLogCreator {
  const kafkaLog = log.child({ component: 'kafkajs' })
  return () =>
    ({ level, log: { message, ...extra } }) => {
      const method = levels[level as keyof typeof levels] ?? 'info'
      kafkaLog[method](extra, message)
    }
}
