// Protocol-level readiness checks through each server's official Node client, for servers whose
// command-line clients are not at hand. Exit code 0 when the server answers, 1 otherwise.
//   node stack/probe.mjs kafka|mongodb
const TIMEOUT_MS = Number(process.env.STACK_PROBE_TIMEOUT_MS ?? 3000)

const probes = {
  async kafka() {
    const { Kafka, logLevel } = await import('kafkajs')
    const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',')
    const admin = new Kafka({
      clientId: 'stack-probe',
      brokers,
      logLevel: logLevel.NOTHING,
      connectionTimeout: TIMEOUT_MS,
      retry: { retries: 0 }
    }).admin()
    try {
      await admin.connect()
      const cluster = await admin.describeCluster()
      if (cluster.brokers.length === 0) throw new Error('no broker in the cluster metadata')
    } finally {
      await admin.disconnect()
    }
  },
  async mongodb() {
    const { MongoClient } = await import('mongodb')
    const client = new MongoClient(process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017', {
      serverSelectionTimeoutMS: TIMEOUT_MS,
      connectTimeoutMS: TIMEOUT_MS
    })
    try {
      await client.db('admin').command({ ping: 1 })
    } finally {
      await client.close()
    }
  }
}

const name = process.argv[2]
const probe = probes[name]
if (!probe) {
  console.error(`usage: probe.mjs ${Object.keys(probes).join('|')}`)
  process.exit(2)
}
const timer = setTimeout(() => {
  if (process.env.STACK_PROBE_VERBOSE) console.error(`${name}: no answer within ${TIMEOUT_MS} ms`)
  process.exit(1)
}, TIMEOUT_MS + 1000)
try {
  await probe()
  clearTimeout(timer)
  process.exit(0)
} catch (err) {
  if (process.env.STACK_PROBE_VERBOSE) console.error(`${name}: ${err.message}`)
  process.exit(1)
}
