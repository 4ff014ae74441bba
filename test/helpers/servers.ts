// Clients of the real servers for tests. Addresses come from the same environment variables the
// services read, so the suite runs against the native stack or any other deployment alike.
// Every client has short timeouts: a missing server fails the test quickly and by name.
import { randomUUID } from 'node:crypto'
import type { TestContext } from 'node:test'
import { Client as Elasticsearch } from '@elastic/elasticsearch'
import { Redis } from 'ioredis'
import { Kafka, logLevel } from 'kafkajs'
import { MongoClient } from 'mongodb'
import pg from 'pg'
import { defer } from './cleanup.ts'

export const servers = {
  kafkaBrokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
  postgresUrl:
    process.env.POSTGRES_URL ?? 'postgres://streaming:streaming@127.0.0.1:5432/streaming',
  mongoUrl: process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017/streaming',
  redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  elasticsearchUrl: process.env.ELASTICSEARCH_URL ?? 'http://127.0.0.1:9200'
}

/** A name no other test (or earlier run) uses: lowercase, safe for topics, databases and indices. */
export const uniqueName = (prefix: string): string =>
  `${prefix}_${randomUUID().replaceAll('-', '').slice(0, 12)}`

export function createKafka(t: TestContext, clientId = uniqueName('test')): Kafka {
  return new Kafka({
    clientId,
    brokers: servers.kafkaBrokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3_000,
    retry: { retries: 3, initialRetryTime: 200 }
  })
}

function newPostgresClient(database?: string): pg.Client {
  const url = new URL(servers.postgresUrl)
  if (database) url.pathname = `/${database}`
  return new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis: 3_000 })
}

export async function connectPostgres(t: TestContext, database?: string): Promise<pg.Client> {
  const client = newPostgresClient(database)
  await client.connect()
  defer(t, () => client.end())
  return client
}

/** A database of the test's own, dropped when the test ends. */
export async function createPostgresDatabase(t: TestContext): Promise<pg.Client> {
  const name = uniqueName('test')
  const admin = newPostgresClient()
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  const client = newPostgresClient(name)
  defer(t, async () => {
    await client.end().catch(() => {})
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    await admin.end()
  })
  await client.connect()
  return client
}

export async function connectMongo(t: TestContext): Promise<MongoClient> {
  const client = new MongoClient(servers.mongoUrl, {
    serverSelectionTimeoutMS: 3_000,
    connectTimeoutMS: 3_000
  })
  await client.connect()
  defer(t, () => client.close())
  return client
}

export async function connectRedis(t: TestContext): Promise<Redis> {
  const client = new Redis(servers.redisUrl, {
    lazyConnect: true,
    connectTimeout: 3_000,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null
  })
  await client.connect()
  defer(t, () => client.quit())
  return client
}

export function createElasticsearch(t: TestContext): Elasticsearch {
  const client = new Elasticsearch({
    node: servers.elasticsearchUrl,
    requestTimeout: 10_000,
    maxRetries: 1
  })
  defer(t, () => client.close())
  return client
}
