import { decodeReply, type ReplyEnvelope } from '@streaming/contracts'
import { createBackoff } from '@streaming/runtime'
import fp from 'fastify-plugin'

export interface ReplyConsumerOptions {
  groupId: string
  responsesTopic: string
}

/**
 * Consumes `response_events` and records each reply as the operation's status. The replicas of
 * the gateway share one consumer group: each reply is recorded once, then announced to all.
 */
export default fp<ReplyConsumerOptions>(
  async (app, { groupId, responsesTopic }) => {
    const log = app.log.child({ component: 'reply-consumer' })
    const consumer = app.kafka.consumer({
      groupId,
      allowAutoTopicCreation: false,
      // Short enough that after a broker outage the group is whole again within seconds.
      sessionTimeout: 10_000,
      heartbeatInterval: 3_000
    })
    // A fixed 2 s: replies queue in Kafka until the consumer runs, so it keeps trying soon.
    const restartDelay = createBackoff({ baseDelayMs: 2_000, maxDelayMs: 2_000, jitter: 'none' })
    let closing = false
    let retryTimer: NodeJS.Timeout | undefined
    let starting: Promise<void> | undefined

    async function start(): Promise<void> {
      await consumer.connect()
      // From the beginning: a partition this group never committed on must not skip the replies
      // written while the group was away (the status store ignores replies past retention).
      await consumer.subscribe({ topic: responsesTopic, fromBeginning: true })
      await consumer.run({
        partitionsConsumedConcurrently: 3,
        // A batch of replies is recorded in two Redis round trips, not two per reply; the
        // offsets move on once the batch is recorded.
        eachBatch: async ({ batch }) => {
          const replies: ReplyEnvelope[] = []
          for (const message of batch.messages) {
            const decoded = decodeReply(message.value)
            if (decoded.ok) replies.push(decoded.value)
            else {
              log.warn(
                { correlation_id: decoded.correlationId, reason: decoded.reason },
                'unreadable reply skipped'
              )
            }
          }
          for (const reply of await app.statusStore.recordReplies(replies)) {
            app.metrics.outcomes.inc({
              event_type: reply.original_event_type,
              status: reply.status
            })
            log.debug(
              { correlation_id: reply.correlation_id, status: reply.status },
              'status recorded'
            )
          }
        }
      })
      restartDelay.reset()
      log.info({ groupId, topic: responsesTopic }, 'consuming replies')
    }

    // Kafka may be down when the gateway starts: keep trying in the background rather than
    // refusing to start; /health reports Kafka meanwhile.
    function startWithRetry(): void {
      if (closing) return
      starting = start().catch((err: unknown) => {
        if (closing) return
        const delay = restartDelay.next()
        log.warn({ err }, `reply consumer could not start; retrying in ${delay / 1000} s`)
        retryTimer = setTimeout(startWithRetry, delay)
      })
    }

    app.addHook('onReady', async () => startWithRetry())
    app.addHook('onClose', async () => {
      closing = true
      clearTimeout(retryTimer)
      // A start still under way would otherwise leave a running consumer behind the disconnect.
      await starting
      await consumer.disconnect()
    })
  },
  { name: 'reply-consumer', dependencies: ['kafka', 'status-store', 'metrics'] }
)
