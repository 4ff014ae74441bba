import type { CacheContentData, CreateSessionData } from '@streaming/contracts'
import type { Redis } from 'ioredis'
import { callStore } from '../errors.ts'
import { defineSessionScripts } from './redis-scripts.ts'

/*
 * Keys, all under `keyPrefix`:
 *   sessao:{session_id}         hash: user_id, session_id, dispositivo, localizacao, inicio,
 *                               ultima_atividade, status (ativa | encerrada), encerrada_em;
 *                               expires one session TTL after its last write
 *   usuario:{user_id}:sessoes   sorted set of the user's session ids, score = ms of that last
 *                               write, so members whose hash has expired are found by score
 *   conteudo:{conteudo_id}      hash of the content fields + armazenado_em; expires after the
 *                               content TTL
 *   cache:conteudo:hits         INCR on every obter_cache_conteudo that finds the content
 *   cache:conteudo:misses       INCR on every one that does not
 *
 * Ending a session marks it `encerrada` and keeps it one more session TTL, so it is listed with
 * ativas_apenas=false but no longer as active, and cannot be touched again.
 */

export const SessionStatus = { active: 'ativa', ended: 'encerrada' } as const
export type SessionStatusValue = (typeof SessionStatus)[keyof typeof SessionStatus]

export interface Session {
  session_id: string
  user_id: number
  dispositivo: CreateSessionData['dispositivo']
  localizacao: string
  inicio: string
  ultima_atividade: string
  status: SessionStatusValue
  encerrada_em?: string
}

export type CachedContent = CacheContentData & { armazenado_em: string }

export interface RedisStoreOptions {
  sessionTtlSeconds: number
  contentTtlSeconds: number
  /** Prepended to every key; lets tests (or tenants) share one Redis without meeting. */
  keyPrefix?: string
}

type PipelineResults = Array<[error: Error | null, result: unknown]> | null

function results(replies: PipelineResults): unknown[] {
  if (!replies) throw new Error('Redis transaction aborted')
  return replies.map(([error, result]) => {
    if (error) throw error
    return result
  })
}

type Hash = Record<string, string | undefined>

function pairsToHash(pairs: unknown): Hash {
  const list = pairs as string[]
  const hash: Hash = {}
  for (let i = 0; i + 1 < list.length; i += 2) hash[list[i] as string] = list[i + 1]
  return hash
}

const flatten = (fields: Record<string, string | number>): Array<string | number> =>
  Object.entries(fields).flat()

const text = (hash: Hash, field: string): string => hash[field] ?? ''

function toSession(hash: Hash): Session | null {
  if (!hash.session_id) return null
  const session: Session = {
    session_id: hash.session_id,
    user_id: Number(hash.user_id),
    dispositivo: text(hash, 'dispositivo') as Session['dispositivo'],
    localizacao: text(hash, 'localizacao'),
    inicio: text(hash, 'inicio'),
    ultima_atividade: text(hash, 'ultima_atividade'),
    status: text(hash, 'status') as SessionStatusValue
  }
  if (hash.encerrada_em) session.encerrada_em = hash.encerrada_em
  return session
}

function toContent(hash: Hash): CachedContent | null {
  if (!hash.conteudo_id) return null
  return {
    conteudo_id: hash.conteudo_id,
    titulo: text(hash, 'titulo'),
    tipo: text(hash, 'tipo') as CachedContent['tipo'],
    categoria: text(hash, 'categoria'),
    descricao: text(hash, 'descricao'),
    duracao_minutos: Number(hash.duracao_minutos),
    ano_lancamento: Number(hash.ano_lancamento),
    classificacao: text(hash, 'classificacao') as CachedContent['classificacao'],
    avaliacao: Number(hash.avaliacao),
    armazenado_em: text(hash, 'armazenado_em')
  }
}

export function createRedisStore(redis: Redis, options: RedisStoreOptions) {
  const prefix = options.keyPrefix ?? ''
  const sessionTtl = options.sessionTtlSeconds
  const contentTtl = options.contentTtlSeconds
  const keys = {
    session: (sessionId: string) => `${prefix}sessao:${sessionId}`,
    userSessions: (userId: number) => `${prefix}usuario:${userId}:sessoes`,
    content: (conteudoId: string) => `${prefix}conteudo:${conteudoId}`,
    hits: `${prefix}cache:conteudo:hits`,
    misses: `${prefix}cache:conteudo:misses`
  }
  const call = <T>(fn: () => Promise<T>) => callStore('Redis', fn)
  const scripts = defineSessionScripts(redis, SessionStatus.active)

  /** Runs the update script on a session; null when it is unknown or has expired. */
  async function updateActive(
    sessionId: string,
    now: Date,
    fields: Record<string, string>
  ): Promise<Session | null> {
    // A session never changes user, so its index key can be found before the atomic part.
    const userId = await redis.hget(keys.session(sessionId), 'user_id')
    if (userId === null) return null
    const hash = await scripts.updateActiveSession(
      keys.session(sessionId),
      keys.userSessions(Number(userId)),
      sessionTtl,
      now.getTime(),
      sessionId,
      ...flatten(fields)
    )
    return toSession(pairsToHash(hash))
  }

  return {
    keys,

    sessions: {
      /**
       * Stores a new active session and indexes it under its user. When the id already exists
       * the stored session is returned unchanged with `created: false`.
       */
      create: (data: CreateSessionData, now: Date) =>
        call(async () => {
          const at = now.toISOString()
          const fields = {
            user_id: data.user_id,
            session_id: data.session_id,
            dispositivo: data.dispositivo,
            localizacao: data.localizacao,
            inicio: at,
            ultima_atividade: at,
            status: SessionStatus.active
          }
          const [created, hash] = await scripts.createSession(
            keys.session(data.session_id),
            keys.userSessions(data.user_id),
            sessionTtl,
            now.getTime(),
            data.session_id,
            ...flatten(fields)
          )
          return { created: created === 1, session: toSession(pairsToHash(hash)) as Session }
        }),

      /** Records activity and renews the expiry; an ended session comes back unchanged. */
      touch: (sessionId: string, now: Date) =>
        call(() => updateActive(sessionId, now, { ultima_atividade: now.toISOString() })),

      /** Ends an active session; one already ended comes back unchanged. */
      end: (sessionId: string, now: Date) =>
        call(() =>
          updateActive(sessionId, now, {
            status: SessionStatus.ended,
            encerrada_em: now.toISOString()
          })
        ),

      get: (sessionId: string) =>
        call(async () => toSession(await redis.hgetall(keys.session(sessionId)))),

      /** The user's sessions, most recent activity first; expired ones are dropped from the index. */
      listByUser: (userId: number, activeOnly: boolean, now: Date) =>
        call(async () => {
          const index = keys.userSessions(userId)
          const [, ids] = results(
            await redis
              .multi()
              .zremrangebyscore(index, '-inf', now.getTime() - sessionTtl * 1000)
              .zrevrange(index, 0, -1)
              .exec()
          ) as [number, string[]]
          if (ids.length === 0) return []
          const pipeline = redis.pipeline()
          for (const id of ids) pipeline.hgetall(keys.session(id))
          const hashes = results(await pipeline.exec()) as Hash[]
          const sessions: Session[] = []
          const stale: string[] = []
          ids.forEach((id, i) => {
            const session = toSession(hashes[i] ?? {})
            if (session === null) stale.push(id)
            else if (!activeOnly || session.status === SessionStatus.active) sessions.push(session)
          })
          // Redis may expire a hash a moment before its score says so; forget those too.
          if (stale.length > 0) await redis.zrem(index, ...stale)
          return sessions
        })
    },

    content: {
      /** Caches the content, replacing any earlier version, for the content TTL. */
      put: (data: CacheContentData, now: Date) =>
        call(async () => {
          const key = keys.content(data.conteudo_id)
          const content: CachedContent = { ...data, armazenado_em: now.toISOString() }
          results(await redis.multi().del(key).hset(key, content).expire(key, contentTtl).exec())
          return { content, ttlSeconds: contentTtl }
        }),

      /** The cached content, or null; counts the lookup as a hit or a miss. */
      get: (conteudoId: string) =>
        call(async () => {
          const content = toContent(await redis.hgetall(keys.content(conteudoId)))
          await redis.incr(content ? keys.hits : keys.misses)
          return content
        }),

      stats: () =>
        call(async () => {
          const [hits, misses] = await redis.mget(keys.hits, keys.misses)
          return { hits: Number(hits ?? 0), misses: Number(misses ?? 0) }
        })
    }
  }
}

export type RedisStore = ReturnType<typeof createRedisStore>
