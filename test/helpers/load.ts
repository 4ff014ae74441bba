// A mixed load of operations sent to a gateway over HTTP, as clients send it: bounded
// concurrency, an optional rate, a client-side timeout on every request. Every answer is kept,
// so a drill can count what was accepted, what was refused and how fast.
import { cpfCheckDigits } from '@streaming/contracts'
import { nextUserId } from '../../gateway/src/fake/index.ts'

/** One kind per store table, collection or key family; each user gets one operation of each. */
export const operationKinds = [
  'usuario',
  'pagamento',
  'visualizacao',
  'sessao',
  'assinatura',
  'cache'
] as const
export type OperationKind = (typeof operationKinds)[number]

export interface PlannedOperation {
  kind: OperationKind
  url: string
  body: Record<string, unknown>
  userId: number
}

/** A user's operations: its creation first, the others only once that was accepted. */
export interface UserChain {
  userId: number
  operations: PlannedOperation[]
}

/** Content ids of the load carry the user's id, so a cache entry tells whose operation it was. */
export const contentIdOf = (userId: number) => `drill-${userId}`

/** A valid CPF per index from a random start, so that no two users of a drill share one. */
function cpfSequence(): (index: number) => string {
  const start = 100_000_000 + Math.floor(Math.random() * 700_000_000)
  return (index) => {
    const base = String(start + index)
      .split('')
      .map(Number)
    return [...base, ...cpfCheckDigits(base)].join('')
  }
}

/**
 * `users` chains of one operation of every kind: PostgreSQL (user, payment, subscription),
 * MongoDB (viewing), Redis (session, content cache). Each effect names its user, so the stores
 * can be compared with what was accepted, operation by operation.
 */
export function planChains(users: number): UserChain[] {
  const cpf = cpfSequence()
  return Array.from({ length: users }, (_, index) => {
    const userId = nextUserId()
    const op = (kind: OperationKind, url: string, body: Record<string, unknown> = {}) => ({
      kind,
      url,
      body,
      userId
    })
    return {
      userId,
      operations: [
        op('usuario', '/usuarios', { user_id: userId, cpf: cpf(index) }),
        op('pagamento', `/usuarios/${userId}/pagamento`, { valor: 29.9, forma_pagamento: 'Pix' }),
        op('visualizacao', '/historico-visualizacao', {
          user_id: userId,
          conteudo_id: contentIdOf(userId),
          tipo: 'filme'
        }),
        op('sessao', '/sessoes', { user_id: userId, dispositivo: 'Web' }),
        op('assinatura', `/usuarios/${userId}/assinatura`, { plano: 'Premium' }),
        op('cache', `/cache/conteudo/${contentIdOf(userId)}`)
      ]
    }
  })
}

export interface Answer {
  kind: OperationKind
  userId: number
  /** HTTP status, or what happened instead of one. */
  code: number | 'timeout' | 'network-error'
  ms: number
  /** When the request was sent (performance.now()). */
  sentAt: number
  retryAfter?: string
  correlationId?: string
  /** The body of an answer that is neither a 202 nor a 503, or the client error. */
  detail?: string
}

export interface LoadOptions {
  baseUrl: string
  chains: UserChain[]
  concurrency: number
  /** Requests sent per second at most; spreads the load over time. */
  ratePerSecond?: number
  /** Client-side bound on each request: past it the answer counts as a hang. */
  requestTimeoutMs?: number
  /** No chain is started after this many ms. */
  deadlineMs: number
}

export interface Load {
  /** Every answer so far, in the order they came. */
  answers: Answer[]
  /** Operations not sent because their user's creation was refused. */
  skipped: number
  finished: Promise<void>
  /** Starts no further chain; those in hand end their current request. */
  stop: () => void
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Sends the chains' operations, `concurrency` chains at a time; `finished` resolves when done. */
export function sendLoad(options: LoadOptions): Load {
  const { baseUrl, chains, concurrency, ratePerSecond, requestTimeoutMs = 10_000 } = options
  const started = performance.now()
  const load: Load = { answers: [], skipped: 0, finished: Promise.resolve(), stop: () => {} }
  const state = { stopped: false }
  load.stop = () => {
    state.stopped = true
  }
  let next = 0
  let sent = 0

  async function send(operation: PlannedOperation): Promise<Answer> {
    if (ratePerSecond) {
      const slot = started + (sent++ * 1000) / ratePerSecond
      const wait = slot - performance.now()
      if (wait > 0) await sleep(wait)
    }
    const sentAt = performance.now()
    const base = { kind: operation.kind, userId: operation.userId, sentAt }
    const elapsed = () => Math.round(performance.now() - sentAt)
    try {
      const response = await fetch(`${baseUrl}${operation.url}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(operation.body),
        signal: AbortSignal.timeout(requestTimeoutMs)
      })
      const text = await response.text()
      const answer: Answer = { ...base, code: response.status, ms: elapsed() }
      const retryAfter = response.headers.get('retry-after')
      if (retryAfter !== null) answer.retryAfter = retryAfter
      if (response.status === 202) {
        answer.correlationId = (JSON.parse(text) as { correlation_id: string }).correlation_id
      } else if (response.status !== 503) {
        answer.detail = text.slice(0, 500)
      }
      return answer
    } catch (err) {
      const timedOut = (err as Error).name === 'TimeoutError'
      return {
        ...base,
        code: timedOut ? 'timeout' : 'network-error',
        ms: elapsed(),
        detail: String(err)
      }
    }
  }

  async function worker(): Promise<void> {
    while (
      !state.stopped &&
      next < chains.length &&
      performance.now() - started < options.deadlineMs
    ) {
      const chain = chains[next++]!
      const [creation, ...rest] = chain.operations
      const created = await send(creation!)
      load.answers.push(created)
      if (created.code !== 202) {
        load.skipped += rest.length
        continue
      }
      for (const operation of rest) load.answers.push(await send(operation))
    }
  }

  load.finished = Promise.all(Array.from({ length: concurrency }, worker)).then(() => {})
  return load
}

export interface LoadTally {
  sent: number
  accepted: number
  refused: number
  skipped: number
  /** Answers other than 202 and 503, by code (a 5xx other than 503, a 4xx, a hang…). */
  other: Record<string, number>
  /** 503s without a Retry-After header. */
  refusedWithoutRetryAfter: number
  slowestRefusalMs: number
  slowestAcceptMs: number
  acceptedByKind: Record<OperationKind, number>
}

export function tallyLoad(load: Load): LoadTally {
  const tally: LoadTally = {
    sent: load.answers.length,
    accepted: 0,
    refused: 0,
    skipped: load.skipped,
    other: {},
    refusedWithoutRetryAfter: 0,
    slowestRefusalMs: 0,
    slowestAcceptMs: 0,
    acceptedByKind: Object.fromEntries(operationKinds.map((kind) => [kind, 0])) as Record<
      OperationKind,
      number
    >
  }
  for (const answer of load.answers) {
    if (answer.code === 202) {
      tally.accepted++
      tally.acceptedByKind[answer.kind]++
      tally.slowestAcceptMs = Math.max(tally.slowestAcceptMs, answer.ms)
    } else if (answer.code === 503) {
      tally.refused++
      tally.slowestRefusalMs = Math.max(tally.slowestRefusalMs, answer.ms)
      if (!answer.retryAfter || !(Number(answer.retryAfter) > 0)) tally.refusedWithoutRetryAfter++
    } else {
      tally.other[answer.code] = (tally.other[answer.code] ?? 0) + 1
    }
  }
  return tally
}
