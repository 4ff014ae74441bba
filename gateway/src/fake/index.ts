import {
  EventType,
  type CacheContentData,
  type ContentOnlyData,
  type CreateSessionData,
  type CreateUserData,
  type GetViewingHistoryData,
  type ListUserSessionsData,
  type RecordPaymentData,
  type RecordViewingData,
  type RequestData,
  type RequestEventType,
  type SessionOnlyData,
  type UpdatePreferencesData,
  type UpdateSubscriptionData,
  type UserOnlyData
} from '@streaming/contracts'
import type { Given } from './common.ts'
import { completeGetViewingHistory, completeRecordViewing, completeUserOnly } from './mongodb.ts'
import {
  completeCreateUser,
  completeRecordPayment,
  completeUpdatePreferences,
  completeUpdateSubscription
} from './postgres.ts'
import {
  completeCacheContent,
  completeContentOnly,
  completeCreateSession,
  completeListUserSessions,
  completeSessionOnly
} from './redis.ts'

export * from './common.ts'
export * from './content.ts'
export * from './mongodb.ts'
export * from './postgres.ts'
export * from './redis.ts'

/** What each route hands over: the client's fields, with the ones its path or schema requires. */
export type CompleterInput = {
  [EventType.createUser]: Given<CreateUserData>
  [EventType.updateSubscription]: Given<UpdateSubscriptionData, 'user_id'>
  [EventType.recordPayment]: Given<RecordPaymentData, 'user_id'>
  [EventType.updatePreferences]: Given<UpdatePreferencesData, 'user_id'>
  [EventType.recordViewing]: Given<RecordViewingData, 'user_id'>
  [EventType.getViewingHistory]: Given<GetViewingHistoryData, 'user_id'>
  [EventType.generateRecommendations]: UserOnlyData
  [EventType.getRecommendations]: UserOnlyData
  [EventType.createSession]: Given<Omit<CreateSessionData, 'session_id'>, 'user_id'>
  [EventType.touchSession]: SessionOnlyData
  [EventType.endSession]: SessionOnlyData
  [EventType.listUserSessions]: Given<ListUserSessionsData, 'user_id'>
  [EventType.cacheContent]: Given<CacheContentData, 'conteudo_id'>
  [EventType.getCachedContent]: ContentOnlyData
}

/** Fills the omitted fields of one operation's data; `now` is the instant dates derive from. */
export type Completer<T extends RequestEventType> = (
  input: CompleterInput[T],
  now?: Date
) => RequestData<T>

export const completers: { [T in RequestEventType]: Completer<T> } = {
  [EventType.createUser]: completeCreateUser,
  [EventType.updateSubscription]: completeUpdateSubscription,
  [EventType.recordPayment]: completeRecordPayment,
  [EventType.updatePreferences]: completeUpdatePreferences,
  [EventType.recordViewing]: completeRecordViewing,
  [EventType.getViewingHistory]: completeGetViewingHistory,
  [EventType.generateRecommendations]: completeUserOnly,
  [EventType.getRecommendations]: completeUserOnly,
  [EventType.createSession]: completeCreateSession,
  [EventType.touchSession]: completeSessionOnly,
  [EventType.endSession]: completeSessionOnly,
  [EventType.listUserSessions]: completeListUserSessions,
  [EventType.cacheContent]: completeCacheContent,
  [EventType.getCachedContent]: completeContentOnly
}

/** The complete data of the request event for `eventType`, from what the client sent. */
export function completeRequest<T extends RequestEventType>(
  eventType: T,
  input: CompleterInput[T],
  now: Date = new Date()
): RequestData<T> {
  return completers[eventType](input, now)
}
