// Drill: Elasticsearch stopped and started again under a live stream of operations, and the
// monitor killed with SIGKILL twice — once while it writes to its fallback file, once after
// Elasticsearch is back. Elasticsearch must end with exactly one document per event.
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { test } from 'node:test'
import { defer } from '../helpers/cleanup.ts'
import { checkDrill, pollUntil, spawnProcessor, startDrillPlatform } from '../helpers/drill.ts'
import { topicSize } from '../helpers/kafka.ts'
import { planChains, sendLoad } from '../helpers/load.ts'
import { allDocuments, countDocuments, groupBy, monitorSetup } from '../helpers/monitor.ts'
import { servers } from '../helpers/servers.ts'
import { spawnService } from '../helpers/service-process.ts'
import { assertStackRuns, startServer, stopServer } from '../helpers/stack.ts'

const USERS = 500 // × 6 operations, × 2 events each

const fileLines = async (file: string) => {
  try {
    return (await readFile(file, 'utf8')).split('\n').filter((line) => line.length > 0).length
  } catch {
    return 0
  }
}

test(
  'Elasticsearch stopped and started, the monitor killed mid-stream: one document per event',
  { timeout: 480_000 },
  async (t) => {
    await assertStackRuns('elasticsearch')
    const platform = await startDrillPlatform(t)
    const { kafka, topics } = platform
    await spawnProcessor(t, platform)
    const setup = await monitorSetup(t, kafka, topics, { MONITOR_ES_TIMEOUT_MS: '3000' })
    // Registered after the monitor's setup, so it runs first: deleting the indices needs it.
    defer(t, () => startServer('elasticsearch'))
    const { es, names, file } = setup
    const startMonitor = () =>
      spawnService(t, {
        entry: 'monitor-process.ts',
        env: {
          ...setup.env,
          LOG_LEVEL: 'info',
          KAFKA_BROKERS: servers.kafkaBrokers.join(','),
          ELASTICSEARCH_URL: servers.elasticsearchUrl,
          TEST_TOPICS: JSON.stringify(topics),
          TEST_INDEX_PREFIX: setup.prefix
        },
        ready: '"monitor consuming"'
      })
    // A slow answer while Elasticsearch is busy indexing is not the drill's failure: -1, poll on.
    const indexed = () => countDocuments(es, names.aliases.all).catch(() => -1)
    const events = async () =>
      (await topicSize(kafka, topics.requests)) +
      (await topicSize(kafka, topics.responses)) +
      (await topicSize(kafka, topics.deadLetters))

    let monitor = await startMonitor()
    const load = sendLoad({
      baseUrl: platform.baseUrl,
      chains: planChains(USERS),
      concurrency: 16,
      ratePerSecond: 60,
      deadlineMs: 150_000
    })
    const beforeOutage = await pollUntil(indexed, (n) => n >= 1_000, 90_000, 1_000)
    assert.ok(beforeOutage.held, `only ${beforeOutage.value} documents indexed in 90 s`)

    const stopMs = await stopServer('elasticsearch')
    const spooling = await pollUntil(
      () => fileLines(file),
      (n) => n >= 300,
      60_000
    )
    assert.ok(spooling.held, `only ${spooling.value} events in the fallback file after 60 s`)
    await monitor.kill('SIGKILL')
    const spooledAtFirstKill = await fileLines(file)

    // Restarted while Elasticsearch is still away: it starts in fallback mode and keeps spooling.
    monitor = await startMonitor()
    const more = await pollUntil(
      () => fileLines(file),
      (n) => n >= spooledAtFirstKill + 300,
      60_000
    )
    assert.ok(more.held, `the restarted monitor spooled ${more.value - spooledAtFirstKill} more`)
    const startMs = await startServer('elasticsearch')
    t.diagnostic(
      `elasticsearch stopped in ${stopMs} ms with ${beforeOutage.value} documents indexed, ` +
        `ready again in ${startMs} ms; ${spooledAtFirstKill} events in the file at the first kill, ` +
        `${more.value} before Elasticsearch came back`
    )

    // Once Elasticsearch takes documents again, kill the monitor in the middle of that too.
    const resumed = await pollUntil(indexed, (n) => n >= beforeOutage.value + 200, 90_000, 1_000)
    assert.ok(resumed.held, `indexing did not resume within 90 s (${resumed.value} documents)`)
    await monitor.kill('SIGKILL')
    const eventsAtSecondKill = await events()
    // Mid-stream for the monitor: events it had not indexed yet, from the file and the topics.
    assert.ok(resumed.value < eventsAtSecondKill, 'killed with events still to index')
    t.diagnostic(
      `second kill with ${resumed.value} documents indexed of ${eventsAtSecondKill} events, ` +
        `${await fileLines(file)} in the file`
    )
    await startMonitor()

    await load.finished
    await checkDrill(t, platform, load, { settleTimeoutMs: 180_000 })
    const total = await events()

    const all = await pollUntil(indexed, (n) => n >= total, 120_000, 1_000)
    const replayed = await pollUntil(
      () => fileLines(file),
      (n) => n === 0,
      30_000
    )
    const docs = await allDocuments(es, names.aliases.all)
    const ids = new Set(docs.map((d) => d.id))
    t.diagnostic(
      `elasticsearch: ${docs.length} documents (${ids.size} distinct ids) for ${total} events ` +
        `(end offsets of the three topics); fallback file ${replayed.value} lines`
    )
    assert.ok(all.held, `${all.value} documents for ${total} events after 120 s`)
    assert.equal(docs.length, total, 'exactly one document per event')
    assert.equal(ids.size, total, 'no document twice')
    assert.equal(new Set(docs.map((d) => d.doc.event_id)).size, total, 'no event twice')
    for (const topic of [topics.requests, topics.responses, topics.deadLetters]) {
      let seen = 0
      for (const [partition, list] of groupBy(
        docs.filter((d) => d.doc.topic === topic),
        (d) => d.doc.partition
      )) {
        const offsets = list.map((d) => d.doc.offset).sort((a, b) => a - b)
        assert.deepEqual(
          offsets,
          Array.from({ length: offsets.length }, (_, i) => i),
          `${topic}[${partition}]: offsets 0…n-1, no gap`
        )
        seen += offsets.length
      }
      assert.equal(seen, await topicSize(kafka, topic), `${topic}: one document per record`)
    }
    assert.ok(replayed.held, `the fallback file is emptied after the replay (${replayed.value})`)
  }
)
