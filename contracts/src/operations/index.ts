import type { Static, TObject } from 'typebox'
import { EventType, type RequestEventType } from '../event-types.ts'
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

/** Every operation: the schema of its request data and the store that owns its data. */
export const operations = {
  [EventType.createUser]: { data: CreateUserData, store: 'postgres' },
  [EventType.updateSubscription]: { data: UpdateSubscriptionData, store: 'postgres' },
  [EventType.recordPayment]: { data: RecordPaymentData, store: 'postgres' },
  [EventType.updatePreferences]: { data: UpdatePreferencesData, store: 'postgres' },
  [EventType.recordViewing]: { data: RecordViewingData, store: 'mongodb' },
  [EventType.getViewingHistory]: { data: GetViewingHistoryData, store: 'mongodb' },
  [EventType.generateRecommendations]: { data: UserOnlyData, store: 'mongodb' },
  [EventType.getRecommendations]: { data: UserOnlyData, store: 'mongodb' },
  [EventType.createSession]: { data: CreateSessionData, store: 'redis' },
  [EventType.touchSession]: { data: SessionOnlyData, store: 'redis' },
  [EventType.endSession]: { data: SessionOnlyData, store: 'redis' },
  [EventType.listUserSessions]: { data: ListUserSessionsData, store: 'redis' },
  [EventType.cacheContent]: { data: CacheContentData, store: 'redis' },
  [EventType.getCachedContent]: { data: ContentOnlyData, store: 'redis' }
} as const satisfies Record<RequestEventType, { data: TObject; store: Store }>

export type Operations = typeof operations

/** The request data of one operation, as it travels on `user_events`. */
export type RequestData<T extends RequestEventType> = Static<Operations[T]['data']>
