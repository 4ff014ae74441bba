/** Kafka topics of the platform, with the partition counts the platform creates them with. */
export const Topic = {
  requests: 'user_events',
  responses: 'response_events',
  deadLetters: 'user_events.dlq'
} as const

/**
 * The Kafka headers of a dead letter: why it could not be processed (text and stable code) and
 * where it was read. The message's key and value are the original's.
 */
export const DeadLetterHeader = {
  reason: 'x-dead-letter-reason',
  code: 'x-dead-letter-code',
  originalTopic: 'x-original-topic',
  originalPartition: 'x-original-partition',
  originalOffset: 'x-original-offset'
} as const

export type TopicName = (typeof Topic)[keyof typeof Topic]

export const topicPartitions: Record<TopicName, number> = {
  [Topic.requests]: 3,
  [Topic.responses]: 3,
  [Topic.deadLetters]: 1
}

/** The topic names a service uses: the platform's own, or others (tests use topics of their own). */
export interface TopicNames {
  requests: string
  responses: string
  deadLetters: string
}
