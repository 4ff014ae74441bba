import assert from 'node:assert/strict'
import { appendFile, mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import type { IndexAction } from '../src/documents.ts'
import { openSpool } from '../src/spool.ts'

async function tempFile(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'monitor-spool-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  return join(dir, 'nested', 'dir', 'fallback.ndjson')
}

const action = (offset: number): IndexAction => ({
  index: 'api_usuario',
  id: `user_events-0-${offset}`,
  document: {
    timestamp: '2026-11-24T10:00:00.000Z',
    kafka_timestamp: '2026-11-24T10:00:00.000Z',
    topic: 'user_events',
    partition: 0,
    offset,
    malformed: false,
    message: 'linha com acentuação e "aspas"\nquebra'
  }
})

async function readAll(spool: Awaited<ReturnType<typeof openSpool>>, maxDocs = 100) {
  const chunks: IndexAction[][] = []
  for await (const chunk of spool.read(maxDocs, 1_000_000)) chunks.push(chunk)
  return chunks
}

test('the spool creates its directory, appends NDJSON and reads it back in chunks', async (t) => {
  const path = await tempFile(t)
  const spool = await openSpool(path)
  t.after(() => spool.close())
  await spool.append([action(0), action(1)])
  await spool.append([action(2)])
  assert.equal(spool.count, 3)
  const text = await readFile(path, 'utf8')
  assert.equal(text.split('\n').length, 4, 'one line per document')
  assert.deepEqual(JSON.parse(text.split('\n')[0] ?? ''), action(0))

  const chunks = await readAll(spool, 2)
  assert.deepEqual(
    chunks.map((chunk) => chunk.map((a) => a.id)),
    [['user_events-0-0', 'user_events-0-1'], ['user_events-0-2']]
  )
  assert.deepEqual(chunks[0]?.[0], action(0))

  await spool.clear()
  assert.equal(spool.count, 0)
  assert.equal((await stat(path)).size, 0)
  await spool.append([action(3)])
  assert.deepEqual(
    (await readAll(spool)).flat().map((a) => a.id),
    ['user_events-0-3'],
    'appends after a clear start a new file'
  )
})

test('a reopened spool counts what an earlier run left, and drops a torn last line', async (t) => {
  const path = await tempFile(t)
  const first = await openSpool(path)
  await first.append([action(0), action(1)])
  await first.close()
  // A crash in the middle of an append: half a line, never acknowledged.
  await appendFile(path, '{"index":"api_usuario","id":"user_events-0-2","docu')

  const second = await openSpool(path)
  t.after(() => second.close())
  assert.equal(second.count, 2)
  assert.deepEqual(
    (await readAll(second)).flat().map((a) => a.id),
    ['user_events-0-0', 'user_events-0-1']
  )
  await second.append([action(2)])
  assert.equal(second.count, 3)
  assert.deepEqual(
    (await readAll(second)).flat().map((a) => a.id),
    ['user_events-0-0', 'user_events-0-1', 'user_events-0-2']
  )
})
