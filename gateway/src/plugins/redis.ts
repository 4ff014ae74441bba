import fp from 'fastify-plugin'
import type { Redis } from 'ioredis'

declare module 'fastify' {
  interface FastifyInstance {
    redis: Redis
    /** A second connection in subscriber mode (a subscribed connection can run no other command). */
    redisSubscriber: Redis
  }
}

export interface RedisPluginOptions {
  client: Redis
  subscriber: Redis
}

/** Exposes the Redis clients and closes them with the app. */
export default fp<RedisPluginOptions>(
  async (app, { client, subscriber }) => {
    app.decorate('redis', client)
    app.decorate('redisSubscriber', subscriber)
    app.addHook('onClose', async () => {
      await Promise.allSettled([subscriber.quit(), client.quit()])
    })
  },
  { name: 'redis' }
)
