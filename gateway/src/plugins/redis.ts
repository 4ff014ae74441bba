import fp from 'fastify-plugin'
import type { Redis } from 'ioredis'
import { withGatewayScripts, type ScriptedRedis } from '../redis-scripts.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** Commands, with the gateway's Lua scripts (redis-scripts.ts). */
    redis: ScriptedRedis
    /** A second connection in subscriber mode (a subscribed connection can run no other command). */
    redisSubscriber: Redis
  }
}

export interface RedisPluginOptions {
  client: Redis
  subscriber: Redis
}

/** Exposes the Redis clients, the gateway's scripts defined, and closes them with the app. */
export default fp<RedisPluginOptions>(
  async (app, { client, subscriber }) => {
    app.decorate('redis', withGatewayScripts(client))
    app.decorate('redisSubscriber', subscriber)
    app.addHook('onClose', async () => {
      await Promise.allSettled([subscriber.quit(), client.quit()])
    })
  },
  { name: 'redis' }
)
