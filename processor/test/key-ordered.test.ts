import assert from 'node:assert/strict'
import { test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { runInKeyOrder } from '../src/key-ordered.ts'

const message = (key: string | null, offset: number) => ({
  key: key === null ? null : Buffer.from(key),
  offset
})

test('messages of one key run in order, one at a time; different keys run at once', async () => {
  const messages = [
    message('a', 0),
    message('b', 1),
    message('a', 2),
    message('c', 3),
    message('b', 4),
    message('a', 5)
  ]
  const done: number[] = []
  const runningPerKey = new Map<string, number>()
  let running = 0
  let mostAtOnce = 0
  await runInKeyOrder(messages, 8, async (m) => {
    const key = m.key?.toString() ?? ''
    assert.equal(runningPerKey.get(key) ?? 0, 0, `two messages of key ${key} at once`)
    runningPerKey.set(key, 1)
    running++
    mostAtOnce = Math.max(mostAtOnce, running)
    // Later offsets finish sooner, so an order kept by luck would show.
    await sleep(10 - m.offset)
    running--
    runningPerKey.set(key, 0)
    done.push(m.offset)
  })
  const orderOf = (key: string) =>
    done.filter((offset) => messages[offset]?.key?.toString() === key)
  assert.deepEqual(orderOf('a'), [0, 2, 5])
  assert.deepEqual(orderOf('b'), [1, 4])
  assert.equal(done.length, messages.length)
  assert.equal(mostAtOnce, 3, 'the three keys ran concurrently')
})

test('concurrency bounds how many messages run at once', async () => {
  const messages = Array.from({ length: 20 }, (_, i) => message(`k${i}`, i))
  let running = 0
  let mostAtOnce = 0
  await runInKeyOrder(messages, 4, async () => {
    running++
    mostAtOnce = Math.max(mostAtOnce, running)
    await sleep(2)
    running--
  })
  assert.equal(mostAtOnce, 4)
})

test('messages without a key have no order to keep', async () => {
  const messages = [message(null, 0), message(null, 1)]
  let running = 0
  let mostAtOnce = 0
  await runInKeyOrder(messages, 4, async () => {
    running++
    mostAtOnce = Math.max(mostAtOnce, running)
    await sleep(5)
    running--
  })
  assert.equal(mostAtOnce, 2)
})

test('a failure stops its key and rejects once the others have settled', async () => {
  const messages = [message('a', 0), message('a', 1), message('b', 2)]
  const done: number[] = []
  await assert.rejects(
    runInKeyOrder(messages, 4, async (m) => {
      if (m.offset === 0) throw new Error('store down')
      await sleep(5)
      done.push(m.offset)
    }),
    /store down/
  )
  assert.deepEqual(done, [2], 'offset 1 (same key, after the failure) never ran')
})
