import { createRequire } from 'node:module'

// kafkajs 2.2.4 (its last release) re-arms a timer on every broker connection after each answer,
// whether or not a request waits: with nothing pending and no throttle it is a 1 ms timer that
// fires, finds nothing, and arms itself again, for as long as the connection lives (kafkajs
// issues #1704 and #1751; on Node 24 each process also warns of its negative delay). An idle
// service spent about 4 % of a core on it. The fix upstream is proposed and unreleased (pull
// requests #1755, #1768), so the queue's scheduling is replaced here with the same rule minus the
// loop: wait for a throttle to end, poll while requests wait, and otherwise arm nothing; a
// request enqueued later arms the check itself (`push`), as does every answer (`fulfillRequest`).

/** What the fix relies on of kafkajs's RequestQueue; checked before it is applied. */
interface RequestQueueInternals {
  pending: unknown[]
  throttledUntil: number
  throttleCheckTimeoutId: NodeJS.Timeout | null
  checkPendingRequests(): void
  scheduleCheckPendingRequests(): void
}

/** kafkajs's own poll interval while requests wait on the in-flight limit. */
const CHECK_PENDING_REQUESTS_INTERVAL_MS = 10

function scheduleCheckPendingRequests(this: RequestQueueInternals): void {
  if (this.throttleCheckTimeoutId) return
  const untilUnthrottled = this.throttledUntil - Date.now()
  if (untilUnthrottled <= 0 && this.pending.length === 0) return
  const delay = untilUnthrottled > 0 ? untilUnthrottled : CHECK_PENDING_REQUESTS_INTERVAL_MS
  this.throttleCheckTimeoutId = setTimeout(() => {
    this.throttleCheckTimeoutId = null
    this.checkPendingRequests()
  }, delay)
}

const require = createRequire(import.meta.url)

/** kafkajs's RequestQueue class, one per broker connection. */
export const kafkaRequestQueueClass = () =>
  require('kafkajs/src/network/requestQueue/index.js') as {
    new (options: object): RequestQueueInternals & { destroy(): void }
    prototype: RequestQueueInternals
  }

/**
 * Stops the busy timer of every kafkajs connection the process opens from now on; call it once
 * before the first Kafka client connects. Throws if kafkajs no longer has the method it replaces,
 * so an upgrade that changes the queue is noticed at start-up rather than silently unfixed.
 */
export function stopKafkaIdleTimers(): void {
  const { prototype } = kafkaRequestQueueClass()
  if (
    typeof prototype.scheduleCheckPendingRequests !== 'function' ||
    typeof prototype.checkPendingRequests !== 'function'
  ) {
    throw new Error('kafkajs RequestQueue has changed: review runtime/src/kafka-request-queue.ts')
  }
  prototype.scheduleCheckPendingRequests = scheduleCheckPendingRequests
}
