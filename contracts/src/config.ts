import Type from 'typebox'

/** Environment variables every service reads; each service adds its own to these. */
export const commonEnv = {
  NODE_ENV: Type.Enum(['development', 'production', 'test'], { default: 'development' }),
  LOG_LEVEL: Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    default: 'info'
  }),
  KAFKA_BROKERS: Type.String({
    minLength: 1,
    default: '127.0.0.1:9092',
    description: 'comma-separated host:port list'
  })
}

export const port = (defaultPort: number, description: string) =>
  Type.Integer({ minimum: 0, maximum: 65535, default: defaultPort, description })

export const milliseconds = (defaultMs: number, description: string) =>
  Type.Integer({ minimum: 1, default: defaultMs, description })

export const seconds = (defaultSeconds: number, description: string) =>
  Type.Integer({ minimum: 1, default: defaultSeconds, description })
