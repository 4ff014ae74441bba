import { DeadLetterHeader } from '@streaming/contracts'
import type { Message, Producer } from 'kafkajs'
import type { DeadLetter } from './message-processor.ts'

/** The longest reason the headers carry; the whole one is in the processor's log. */
const REASON_MAX_LENGTH = 1000

/**
 * The record a message that cannot be processed becomes: its original key and bytes, untouched,
 * and headers saying why (reason, code) and where it was read (topic, partition, offset).
 */
export function deadLetterRecord({ message, reason, code }: DeadLetter): Message {
  return {
    key: message.key,
    value: message.value,
    headers: {
      [DeadLetterHeader.reason]: reason.slice(0, REASON_MAX_LENGTH),
      [DeadLetterHeader.code]: code,
      [DeadLetterHeader.originalTopic]: message.topic,
      [DeadLetterHeader.originalPartition]: String(message.partition),
      [DeadLetterHeader.originalOffset]: message.offset
    }
  }
}

/**
 * Publishes each dead letter on `topic` on its own, acknowledged by every in-sync replica: the
 * original's offset is committed after it, so the letter must not be the one copy lost.
 */
export function createDeadLetterPublisher(producer: Pick<Producer, 'send'>, topic: string) {
  return async (letter: DeadLetter): Promise<void> => {
    await producer.send({ topic, acks: -1, messages: [deadLetterRecord(letter)] })
  }
}
