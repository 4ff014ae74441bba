import type { Static, TObject } from 'typebox'
import { EventType, requestEventTypes, type RequestEventType } from '../event-types.ts'
import { GetViewingHistoryData, RecordViewingData, UserOnlyData } from './mongodb.ts'
import {
  CreateUserData,
  RecordPaymentData,
  UpdatePreferencesData,
  UpdateSubscriptionData
} from './postgres.ts'
import {
  CacheContentData,
  ContentOnlyData,
  CreateSessionData,
  ListUserSessionsData,
  SessionOnlyData
} from './redis.ts'

export * from './mongodb.ts'
export * from './postgres.ts'
export * from './redis.ts'

export type Store = 'postgres' | 'mongodb' | 'redis'

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE'

/** What the platform knows of one operation; each service derives its part from it. */
export interface OperationEntry {
  /** The route's method and path, as SPEC.md writes them (`{param}` for a path parameter). */
  method: HttpMethod
  path: string
  /** The schema of the request data on `user_events`. */
  data: TObject
  /** The data field whose value is the Kafka key: the entity, so its requests stay in order. */
  key: string
  /** The monitor's request index of the operation: `api_<entity>`. */
  entity: string
  /** The processor checks in PostgreSQL that the request's `user_id` exists before applying it. */
  userMustExist: boolean
  /** The store that owns the operation's data. */
  store: Store
}

/**
 * Every operation, keyed by its event type: one entry per operation, and the only place its
 * route, Kafka key, monitor index, user check and store are written down.
 */
export const operations = {
  // prettier-ignore
  [EventType.createUser]: { method: 'POST', path: '/usuarios', data: CreateUserData, key: 'user_id', entity: 'usuario', userMustExist: false, store: 'postgres' },
  // prettier-ignore
  [EventType.updateSubscription]: { method: 'POST', path: '/usuarios/{user_id}/assinatura', data: UpdateSubscriptionData, key: 'user_id', entity: 'usuario', userMustExist: true, store: 'postgres' },
  // prettier-ignore
  [EventType.recordPayment]: { method: 'POST', path: '/usuarios/{user_id}/pagamento', data: RecordPaymentData, key: 'user_id', entity: 'usuario', userMustExist: true, store: 'postgres' },
  // prettier-ignore
  [EventType.updatePreferences]: { method: 'POST', path: '/usuarios/{user_id}/config', data: UpdatePreferencesData, key: 'user_id', entity: 'usuario', userMustExist: true, store: 'postgres' },
  // prettier-ignore
  [EventType.recordViewing]: { method: 'POST', path: '/historico-visualizacao', data: RecordViewingData, key: 'user_id', entity: 'historico', userMustExist: true, store: 'mongodb' },
  // prettier-ignore
  [EventType.getViewingHistory]: { method: 'GET', path: '/historico-visualizacao/{user_id}', data: GetViewingHistoryData, key: 'user_id', entity: 'historico', userMustExist: true, store: 'mongodb' },
  // prettier-ignore
  [EventType.generateRecommendations]: { method: 'POST', path: '/recomendacoes/gerar', data: UserOnlyData, key: 'user_id', entity: 'recomendacao', userMustExist: true, store: 'mongodb' },
  // prettier-ignore
  [EventType.getRecommendations]: { method: 'GET', path: '/recomendacoes/{user_id}', data: UserOnlyData, key: 'user_id', entity: 'recomendacao', userMustExist: true, store: 'mongodb' },
  // prettier-ignore
  [EventType.createSession]: { method: 'POST', path: '/sessoes', data: CreateSessionData, key: 'user_id', entity: 'sessao', userMustExist: true, store: 'redis' },
  // prettier-ignore
  [EventType.touchSession]: { method: 'PUT', path: '/sessoes/{session_id}/atividade', data: SessionOnlyData, key: 'session_id', entity: 'sessao', userMustExist: false, store: 'redis' },
  // prettier-ignore
  [EventType.endSession]: { method: 'DELETE', path: '/sessoes/{session_id}', data: SessionOnlyData, key: 'session_id', entity: 'sessao', userMustExist: false, store: 'redis' },
  // prettier-ignore
  [EventType.listUserSessions]: { method: 'GET', path: '/sessoes/usuario/{user_id}', data: ListUserSessionsData, key: 'user_id', entity: 'sessao', userMustExist: true, store: 'redis' },
  // prettier-ignore
  [EventType.cacheContent]: { method: 'POST', path: '/cache/conteudo/{conteudo_id}', data: CacheContentData, key: 'conteudo_id', entity: 'conteudo', userMustExist: false, store: 'redis' },
  // prettier-ignore
  [EventType.getCachedContent]: { method: 'GET', path: '/cache/conteudo/{conteudo_id}', data: ContentOnlyData, key: 'conteudo_id', entity: 'conteudo', userMustExist: false, store: 'redis' }
} as const satisfies Record<RequestEventType, OperationEntry>

export type Operations = typeof operations

/** The request data of one operation, as it travels on `user_events`. */
export type RequestData<T extends RequestEventType> = Static<Operations[T]['data']>

/** The data field an operation's requests are keyed by on `user_events`. */
export type KeyField<T extends RequestEventType> = Operations[T]['key']

/**
 * A compile error here names an operation whose `key` is not a field of its data, or not one
 * that always holds a string or a number.
 */
type KeyProblem = {
  [T in RequestEventType]: KeyField<T> extends keyof RequestData<T>
    ? RequestData<T>[KeyField<T>] extends string | number
      ? never
      : T
    : T
}[RequestEventType]
export const keyFieldsAreDataFields: [KeyProblem] extends [never] ? true : KeyProblem = true

/** The Kafka key of a request: the value of its operation's key field, as text. */
export function kafkaKeyOf<T extends RequestEventType>(eventType: T, data: RequestData<T>): string {
  const field = operations[eventType].key as keyof RequestData<T>
  return String(data[field])
}

/** The operations whose `user_id` must name an existing user before they are applied. */
export const userMustExistEventTypes: ReadonlySet<RequestEventType> = new Set(
  requestEventTypes.filter((type) => operations[type].userMustExist)
)
