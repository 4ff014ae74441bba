import { sendError, withTimeout } from '@streaming/runtime'
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Admin, Kafka } from 'kafkajs'
import Type, { type Static } from 'typebox'
import { describeError } from './describe-error.ts'
import {
  ADMIN_TIMEOUT_MS,
  KafkaOverview,
  kafkaOverview,
  lastMessages,
  NotFound,
  PartitionMessages
} from './kafka-reads.ts'
import { metricsSummary } from './metrics-summary.ts'

// The dashboard's view of Kafka, served by the monitor (the reads are in kafka-reads.ts), and the
// live charts' data (`GET /metrics/summary`, made in metrics-summary.ts).

export const MessagesParams = Type.Object({
  topic: Type.String({ minLength: 1, maxLength: 249, pattern: '^[a-zA-Z0-9._-]+$' }),
  partition: Type.Integer({ minimum: 0, maximum: 100_000 })
})

export const MessagesQuery = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 })
})

export interface KafkaAdminRoutesOptions {
  kafka: Kafka
  /** The monitor's connected admin client (undefined before start). */
  admin: () => Admin | undefined
  gatewayUrl: string
  processorUrl: string
}

/** `GET /kafka/topics`, `GET /kafka/topics/{topic}/partitions/{partition}/messages`, `GET /metrics/summary`. */
export const kafkaAdminRoutes: FastifyPluginAsync<KafkaAdminRoutesOptions> = async (
  server,
  { kafka, admin: adminOf, gatewayUrl, processorUrl }
) => {
  // These pages read with an admin client of their own, not the monitor's: kafkajs keeps every
  // topic an admin has read in its metadata requests, and once such a topic is deleted each
  // request fails. A failed read starts over once with a new client.
  // One connection shared by concurrent reads (the page asks for the topics and the summary at
  // once): each would otherwise open its own, and one read's failure would close the admin
  // another read was using.
  let own: Promise<Admin> | undefined
  const pageAdmin = (): Promise<Admin> => {
    if (own) return own
    const fresh = kafka.admin()
    const connecting = withTimeout(fresh.connect(), ADMIN_TIMEOUT_MS).then(
      () => fresh,
      (err: unknown) => {
        fresh.disconnect().catch(() => {})
        if (own === connecting) own = undefined
        throw err
      }
    )
    own = connecting
    return connecting
  }
  /** Retires the admin a read failed with, unless another read has replaced it already. */
  const dropAdmin = (stale: Promise<Admin>) => {
    if (own !== stale) return
    own = undefined
    stale.then((admin) => admin.disconnect()).catch(() => {})
  }
  const withPageAdmin = async <T>(read: (admin: Admin) => Promise<T>): Promise<T> => {
    const current = pageAdmin()
    try {
      return await read(await current)
    } catch (err) {
      if (err instanceof NotFound) throw err
      dropAdmin(current)
      return await read(await pageAdmin())
    }
  }
  const overview = () =>
    withPageAdmin((admin) => withTimeout(kafkaOverview(admin), ADMIN_TIMEOUT_MS))
  server.addHook('onClose', async () => {
    await own?.then((admin) => admin.disconnect()).catch(() => {})
  })

  const unavailable = (request: FastifyRequest, reply: FastifyReply, err: unknown) => {
    request.log.warn({ err: describeError(err) }, 'kafka read unavailable')
    reply.header('retry-after', '5')
    return sendError(
      reply,
      503,
      'SERVICE_UNAVAILABLE',
      'Kafka indisponível: os tópicos não podem ser lidos agora'
    )
  }

  server.get(
    '/kafka/topics',
    { schema: { response: { 200: KafkaOverview } } },
    async (request, reply) => {
      if (!adminOf()) return unavailable(request, reply, new Error('monitor not started'))
      try {
        return await overview()
      } catch (err) {
        return unavailable(request, reply, err)
      }
    }
  )

  server.get<{ Params: Static<typeof MessagesParams>; Querystring: Static<typeof MessagesQuery> }>(
    '/kafka/topics/:topic/partitions/:partition/messages',
    {
      schema: {
        params: MessagesParams,
        querystring: MessagesQuery,
        response: { 200: PartitionMessages }
      }
    },
    async (request, reply) => {
      if (!adminOf()) return unavailable(request, reply, new Error('monitor not started'))
      const { topic, partition } = request.params
      try {
        return await withPageAdmin((admin) =>
          lastMessages(kafka, admin, topic, partition, request.query.limit)
        )
      } catch (err) {
        if (err instanceof NotFound) return sendError(reply, 404, 'NOT_FOUND', err.message)
        return unavailable(request, reply, err)
      }
    }
  )

  server.get('/metrics/summary', async () =>
    metricsSummary(adminOf() ? overview : undefined, gatewayUrl, processorUrl)
  )
}
