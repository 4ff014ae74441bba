// Looking at a test's own topics directly: their end offsets, everything they hold, raw produces.
import { randomUUID } from 'node:crypto'
import type { TestContext } from 'node:test'
import { ENVELOPE_VERSION, EventType, Source } from '@streaming/contracts'
import {
  AssignerProtocol,
  Partitioners,
  type IHeaders,
  type Kafka,
  type PartitionMetadata
} from 'kafkajs'
import { defer } from './cleanup.ts'
import { uniqueName } from './servers.ts'

export interface TopicMessage {
  partition: number
  offset: string
  key: string | null
  value: Buffer | null
  headers: Record<string, string>
}

/** Messages a topic holds so far: the sum of its partitions' end offsets. */
export async function topicSize(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin()
  await admin.connect()
  try {
    const offsets = await admin.fetchTopicOffsets(topic)
    return offsets.reduce((sum, { high, low }) => sum + Number(high) - Number(low), 0)
  } finally {
    await admin.disconnect()
  }
}

const headerText = (headers: IHeaders | undefined): Record<string, string> =>
  Object.fromEntries(
    Object.entries(headers ?? {}).map(([name, value]) => [name, String(value ?? '')])
  )

/**
 * Reads a topic from the beginning with a consumer group of its own until it has seen `count`
 * messages, or at most `timeoutMs`. Then reads on for `settleMs` more, so that extra messages
 * (duplicates) show up too. Returns what it saw, in partition and offset order.
 */
export async function readTopic(
  kafka: Kafka,
  topic: string,
  options: { count: number; timeoutMs?: number; settleMs?: number }
): Promise<TopicMessage[]> {
  const { count, timeoutMs = 20_000, settleMs = 0 } = options
  const consumer = kafka.consumer({
    groupId: uniqueName('reader'),
    allowAutoTopicCreation: false,
    // Short fetches: disconnecting waits for the one in flight.
    maxWaitTimeInMs: 250
  })
  const seen: TopicMessage[] = []
  let enough: () => void = () => {}
  const reached = new Promise<void>((resolve) => {
    enough = resolve
  })
  try {
    await consumer.connect()
    await consumer.subscribe({ topic, fromBeginning: true })
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        seen.push({
          partition,
          offset: message.offset,
          key: message.key?.toString() ?? null,
          value: message.value,
          headers: headerText(message.headers)
        })
        if (seen.length >= count) enough()
      }
    })
    let timer: NodeJS.Timeout | undefined
    await Promise.race([
      reached,
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs)
      })
    ])
    clearTimeout(timer)
    if (settleMs > 0) await new Promise((resolve) => setTimeout(resolve, settleMs))
  } finally {
    await consumer.disconnect()
  }
  return seen.sort((a, b) => a.partition - b.partition || Number(a.offset) - Number(b.offset))
}

/** Everything a topic holds now (as counted by its end offsets), read from the beginning. */
export async function readWholeTopic(
  kafka: Kafka,
  topic: string,
  timeoutMs = 20_000
): Promise<TopicMessage[]> {
  const count = await topicSize(kafka, topic)
  if (count === 0) return []
  return readTopic(kafka, topic, { count, timeoutMs })
}

/** Writes messages to a topic as they are, bypassing the gateway. */
export async function produceRaw(
  t: TestContext,
  kafka: Kafka,
  topic: string,
  messages: Array<{ key: string | null; value: string | Buffer | null; headers?: IHeaders }>
): Promise<void> {
  const producer = kafka.producer({ allowAutoTopicCreation: false })
  await producer.connect()
  defer(t, () => producer.disconnect())
  // One message per send, so their order on a partition is the order given here.
  for (const message of messages) await producer.send({ topic, acks: -1, messages: [message] })
}

/** The partition the platform's producers choose for a key (kafkajs's default partitioner). */
export function partitionOfKey(key: string, partitions: number): number {
  const partitioner = Partitioners.DefaultPartitioner()
  const partitionMetadata: PartitionMetadata[] = Array.from({ length: partitions }, (_, id) => ({
    partitionErrorCode: 0,
    partitionId: id,
    leader: 1,
    replicas: [1],
    isr: [1]
  }))
  return partitioner({ topic: 'any', partitionMetadata, message: { key, value: null } })
}

/**
 * Waits until a consumer group is stable with `members` members, each assigned at least one
 * partition; returns the partitions of `topic` each member holds.
 */
export async function waitForGroup(
  kafka: Kafka,
  groupId: string,
  topic: string,
  members: number,
  timeoutMs = 30_000
): Promise<number[][]> {
  const admin = kafka.admin()
  await admin.connect()
  const deadline = performance.now() + timeoutMs
  let last = 'not described yet'
  try {
    while (performance.now() < deadline) {
      const {
        groups: [group]
      } = await admin.describeGroups([groupId])
      if (group) {
        const assignments = group.members.map((member) => {
          const decoded = AssignerProtocol.MemberAssignment.decode(member.memberAssignment)
          return [...(decoded?.assignment[topic] ?? [])].sort()
        })
        last = `${group.state}, assignments ${JSON.stringify(assignments)}`
        if (
          group.state === 'Stable' &&
          assignments.length === members &&
          assignments.every((partitions) => partitions.length > 0)
        ) {
          return assignments
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
  } finally {
    await admin.disconnect()
  }
  throw new Error(`group ${groupId} not stable with ${members} members in ${timeoutMs} ms: ${last}`)
}

/**
 * A request envelope as the gateway would write it (a `criar_usuario` with empty data), with
 * `fields` replacing any part: the raw material of malformed and poison messages.
 */
export const requestEnvelopeJson = (fields: Record<string, unknown>): string =>
  JSON.stringify({
    event_id: randomUUID(),
    event_type: EventType.createUser,
    correlation_id: randomUUID(),
    timestamp: new Date().toISOString(),
    source: Source.gateway,
    target: Source.processor,
    version: ENVELOPE_VERSION,
    data: {},
    ...fields
  })
