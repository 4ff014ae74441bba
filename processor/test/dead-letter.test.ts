// What a message that cannot be processed becomes on the dead-letter topic, through a producer
// that records what it is asked to send: the original bytes, and headers the monitor and an
// operator read to tell why and where from.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { ProducerRecord } from 'kafkajs'
import { createDeadLetterPublisher, deadLetterRecord } from '../src/dead-letter.ts'
import type { DeadLetter } from '../src/message-processor.ts'

const letter: DeadLetter = {
  message: {
    topic: 'user_events',
    partition: 2,
    offset: '41',
    key: Buffer.from('user-7'),
    value: Buffer.from([0xff, 0x00, 0x7b])
  },
  reason: 'value is not JSON',
  code: 'INVALID_REQUEST'
}

function recordingProducer() {
  const sent: ProducerRecord[] = []
  return {
    sent,
    producer: {
      send: async (record: ProducerRecord) => {
        sent.push(record)
        return []
      }
    }
  }
}

test('a dead letter keeps the original key and bytes and says why and where from', () => {
  const record = deadLetterRecord(letter)
  assert.equal(record.key, letter.message.key)
  assert.equal(record.value, letter.message.value)
  assert.deepEqual(record.headers, {
    'x-dead-letter-reason': 'value is not JSON',
    'x-dead-letter-code': 'INVALID_REQUEST',
    'x-original-topic': 'user_events',
    'x-original-partition': '2',
    'x-original-offset': '41'
  })
})

test('a long reason is cut to 1,000 characters in the headers', () => {
  const record = deadLetterRecord({ ...letter, reason: 'x'.repeat(5_000) })
  assert.equal(record.headers?.['x-dead-letter-reason'], 'x'.repeat(1_000))
})

test('each letter is sent alone on the given topic, acknowledged by every replica', async () => {
  const { sent, producer } = recordingProducer()
  const publish = createDeadLetterPublisher(producer, 'dead_letters_of_a_test')
  await publish(letter)
  await publish({ ...letter, code: 'UNKNOWN_EVENT_TYPE' })
  assert.equal(sent.length, 2)
  for (const record of sent) {
    assert.equal(record.topic, 'dead_letters_of_a_test')
    assert.equal(record.acks, -1)
    assert.equal(record.messages.length, 1)
  }
  assert.deepEqual(sent[0]?.messages[0], deadLetterRecord(letter))
  assert.equal(sent[1]?.messages[0]?.headers?.['x-dead-letter-code'], 'UNKNOWN_EVENT_TYPE')
})

test('a send that fails rejects, so the original offset is not committed', async () => {
  const refused = new Error('broker unavailable')
  const publish = createDeadLetterPublisher(
    {
      send: async () => {
        throw refused
      }
    },
    'dead_letters'
  )
  await assert.rejects(publish(letter), (err) => err === refused)
})
