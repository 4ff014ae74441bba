import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { test, type TestContext } from 'node:test'
import type { Kafka } from 'kafkajs'
import { defer } from '../helpers/cleanup.ts'
import { topicSize } from '../helpers/kafka.ts'
import {
  allDocuments,
  countDocuments,
  groupBy,
  monitorSetup,
  replyEvent,
  requestEvent,
  waitFor,
  type MonitorSetup
} from '../helpers/monitor.ts'
import { createTopics } from '../helpers/platform.ts'
import { createKafka, servers } from '../helpers/servers.ts'

const root = new URL('../..', import.meta.url).pathname

/** Starts a monitor in a child process and resolves once it consumes. */
async function spawnMonitor(
  t: TestContext,
  setup: MonitorSetup,
  topics: object
): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['test/helpers/monitor-process.ts'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      ...setup.env,
      LOG_LEVEL: 'info',
      KAFKA_BROKERS: servers.kafkaBrokers.join(','),
      ELASTICSEARCH_URL: servers.elasticsearchUrl,
      TEST_TOPICS: JSON.stringify(topics),
      TEST_INDEX_PREFIX: setup.prefix
    }
  })
  defer(t, () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  })
  const output: string[] = []
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()))
  const lines = createInterface({ input: child.stdout! })
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`monitor process not consuming in 30 s: ${output.join('')}`)),
      30_000
    )
    lines.on('line', (line) => {
      output.push(line)
      if (line.includes('"monitor consuming"')) {
        clearTimeout(timer)
        resolve()
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`monitor process exited (${code}): ${output.join('\n')}`))
    })
  })
  return child
}

/** Produces request/reply pairs in rounds, like live traffic; resolves when all are written. */
async function produceStream(
  t: TestContext,
  kafka: Kafka,
  topics: { requests: string; responses: string },
  rounds: number,
  perRound: number
) {
  const producer = kafka.producer({ allowAutoTopicCreation: false })
  await producer.connect()
  defer(t, () => producer.disconnect())
  for (let round = 0; round < rounds; round++) {
    const requests = Array.from({ length: perRound }, (_, i) => requestEvent(round * perRound + i))
    await producer.sendBatch({
      acks: -1,
      topicMessages: [
        {
          topic: topics.requests,
          messages: requests.map((r) => ({ key: String(r.data.user_id), value: JSON.stringify(r) }))
        },
        {
          topic: topics.responses,
          messages: requests.map((r) => ({
            key: r.correlation_id,
            value: JSON.stringify(replyEvent(r))
          }))
        }
      ]
    })
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

async function waitForEmptyGroup(kafka: Kafka, groupId: string, timeoutMs = 30_000) {
  const admin = kafka.admin()
  await admin.connect()
  try {
    await waitFor(
      `group ${groupId} empty`,
      async () => (await admin.describeGroups([groupId])).groups[0]?.state,
      (state) => state === 'Empty' || state === 'Dead',
      timeoutMs,
      500
    )
  } finally {
    await admin.disconnect()
  }
}

test('a monitor killed mid-stream and restarted: no gaps, no duplicates', async (t) => {
  const kafka = createKafka(t)
  const topics = await createTopics(t, kafka)
  const setup = await monitorSetup(t, kafka, topics)
  const rounds = 30
  const perRound = 10
  const total = rounds * perRound * 2

  const child = await spawnMonitor(t, setup, topics)
  const streaming = produceStream(t, kafka, topics, rounds, perRound)
  // Kill it while events still arrive: some indexed, some committed, some neither.
  await waitFor(
    'some events indexed',
    () => countDocuments(setup.es, setup.names.aliases.all),
    (count) => count >= 100,
    30_000,
    100
  )
  child.kill('SIGKILL')
  await new Promise((resolve) => child.once('exit', resolve))
  const indexedAtKill = await countDocuments(setup.es, setup.names.aliases.all)
  await streaming
  assert.ok(indexedAtKill < total, `killed mid-stream (${indexedAtKill} of ${total} indexed)`)

  // The worst moment to die is after Elasticsearch took a batch and before its commit: rewind
  // the group to the start, so that every indexed event is delivered again.
  await waitForEmptyGroup(kafka, setup.groupId)
  const admin = kafka.admin()
  await admin.connect()
  defer(t, () => admin.disconnect())
  const committed = await admin.fetchOffsets({
    groupId: setup.groupId,
    topics: [topics.requests, topics.responses]
  })
  t.diagnostic(
    `at the kill: ${indexedAtKill} documents indexed; committed ${JSON.stringify(committed.map(({ topic, partitions }) => [topic, partitions.map((p) => p.offset)]))}`
  )
  for (const topic of [topics.requests, topics.responses]) {
    await admin.setOffsets({
      groupId: setup.groupId,
      topic,
      partitions: [0, 1, 2].map((partition) => ({ partition, offset: '0' }))
    })
  }

  const restarted = await setup.start()
  await waitFor(
    'every event indexed after the restart',
    () => countDocuments(setup.es, setup.names.aliases.all),
    (count) => count >= total,
    60_000
  )
  // Wait until the restarted monitor has committed everything, then count once more.
  await waitFor(
    'lag 0',
    async () => (await restarted.health.inject({ url: '/metrics' })).body,
    (text) => {
      const lags = [...text.matchAll(/^monitor_consumer_lag\{[^}]*\} (\d+)$/gm)]
      return lags.length === 7 && lags.every((match) => match[1] === '0')
    },
    20_000
  )
  const docs = await allDocuments(setup.es, setup.names.aliases.all)
  assert.equal(docs.length, total, 'exactly one document per event')
  assert.equal(new Set(docs.map((d) => d.doc.event_id)).size, total, 'no event twice')
  for (const topic of [topics.requests, topics.responses]) {
    const byPartition = groupBy(
      docs.filter((d) => d.doc.topic === topic),
      (d) => d.doc.partition
    )
    let seen = 0
    for (const [partition, list] of byPartition) {
      const offsets = list.map((d) => d.doc.offset).sort((a, b) => a - b)
      assert.deepEqual(
        offsets,
        Array.from({ length: offsets.length }, (_, i) => i),
        `${topic}[${partition}]: offsets 0…n-1, no gap`
      )
      seen += offsets.length
    }
    assert.equal(seen, await topicSize(kafka, topic), `${topic}: every record`)
  }
})
