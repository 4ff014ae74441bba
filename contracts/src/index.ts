export * from './env.ts'
export * from './topics.ts'
export * from './config.ts'
