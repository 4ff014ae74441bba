import type { Message, Producer } from 'kafkajs'

interface Pending {
  message: Message
  resolve: () => void
  reject: (err: unknown) => void
}

/**
 * Gathers concurrent produce calls into one request. kafkajs has no linger setting, and an
 * idempotent producer sends one request at a time: while a request is in flight, new messages
 * wait here and leave together in the next one. An idle producer sends at once, so a lone request
 * pays no added latency.
 */
export function createProduceBatcher(
  producer: Producer,
  topic: string,
  options: { maxBatch: number; timeoutMs: number }
) {
  let queue: Pending[] = []
  let sending = false

  async function drain(): Promise<void> {
    sending = true
    while (queue.length > 0) {
      const batch = queue.slice(0, options.maxBatch)
      queue = queue.slice(batch.length)
      try {
        await producer.send({
          topic,
          acks: -1,
          timeout: options.timeoutMs,
          messages: batch.map((p) => p.message)
        })
        for (const pending of batch) pending.resolve()
      } catch (err) {
        for (const pending of batch) pending.reject(err)
      }
    }
    sending = false
  }

  return {
    /**
     * Resolves once Kafka acknowledged the message from all in-sync replicas. Aborting `signal`
     * withdraws a message that is still waiting; one already in flight may still land.
     */
    send(message: Message, signal?: AbortSignal): Promise<void> {
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) {
          reject(signal.reason)
          return
        }
        const pending: Pending = { message, resolve, reject }
        signal?.addEventListener(
          'abort',
          () => {
            const index = queue.indexOf(pending)
            if (index >= 0) {
              queue.splice(index, 1)
              reject(signal.reason)
            }
          },
          { once: true }
        )
        queue.push(pending)
        if (!sending) drain().catch(() => {})
      })
    },
    get waiting(): number {
      return queue.length
    }
  }
}
