import type { RecordViewingData } from '@streaming/contracts'
import { MongoServerError, type Db, type Filter } from 'mongodb'
import { callStore } from '../errors.ts'

// Runs on FerretDB v1 as well as MongoDB: no $lookup, $facet, array or $avg/$min/$max
// accumulators, TTL indexes or transactions.

const STORE = 'MongoDB'

export const HISTORY_COLLECTION = 'historico_visualizacao'
export const RECOMMENDATIONS_COLLECTION = 'recomendacoes'

export type ContentType = RecordViewingData['tipo']

interface ViewingDocument {
  /** The request's event id, so a redelivered request finds its own earlier insert. */
  _id: string
  user_id: number
  conteudo_id: string
  titulo: string
  tipo: ContentType
  tempo_assistido: number
  posicao: number
  concluido: boolean
  data: Date
}

export interface RecommendationItem {
  conteudo_id: string
  titulo: string
  tipo: ContentType
  categoria: string
  pontuacao: number
  motivo: string
}

interface RecommendationDocument {
  user_id: number
  itens: RecommendationItem[]
  gerado_em: Date
  /** The request that generated this set: its redelivery must not generate another. */
  event_id: string
}

/** A viewing as replies carry it: plain JSON, the id as a string, the date in ISO-8601. */
export interface Viewing {
  id: string
  user_id: number
  conteudo_id: string
  titulo: string
  tipo: ContentType
  tempo_assistido: number
  posicao: number
  concluido: boolean
  data: string
}

export type NewViewing = Omit<Viewing, 'data'> & { data: Date }

export interface RecommendationSet {
  user_id: number
  itens: RecommendationItem[]
  gerado_em: string
  event_id: string
}

export interface HistoryQuery {
  user_id: number
  tipo?: ContentType
  concluido?: boolean
  limit: number
}

const toViewing = ({ _id, data, ...rest }: ViewingDocument): Viewing => ({
  id: _id,
  ...rest,
  data: data.toISOString()
})

const toRecommendationSet = (doc: RecommendationDocument): RecommendationSet => ({
  user_id: doc.user_id,
  itens: doc.itens,
  gerado_em: doc.gerado_em.toISOString(),
  event_id: doc.event_id
})

const isDuplicateKey = (err: unknown): boolean =>
  err instanceof MongoServerError && err.code === 11000

/**
 * Creates the indexes the queries below rely on; safe at every start. One index per call:
 * FerretDB v1 drops the connection when a multi-index createIndexes meets existing indexes.
 */
export async function ensureMongoIndexes(db: Db): Promise<void> {
  const history = db.collection(HISTORY_COLLECTION)
  const recommendations = db.collection(RECOMMENDATIONS_COLLECTION)
  await callStore(STORE, () => history.createIndex({ user_id: 1, data: -1 }))
  await callStore(STORE, () => history.createIndex({ user_id: 1, tipo: 1 }))
  await callStore(STORE, () => recommendations.createIndex({ user_id: 1 }, { unique: true }))
}

export function createMongoStore(db: Db) {
  const history = db.collection<ViewingDocument>(HISTORY_COLLECTION)
  const recommendations = db.collection<RecommendationDocument>(RECOMMENDATIONS_COLLECTION)

  return {
    async ping(): Promise<void> {
      await callStore(STORE, () => db.command({ ping: 1 }))
    },

    history: {
      /**
       * Inserts a viewing once per id: inserting the same id again (a redelivered request)
       * returns the viewing stored the first time, with `replayed: true`.
       */
      async insert(viewing: NewViewing): Promise<{ viewing: Viewing; replayed: boolean }> {
        const { id, ...fields } = viewing
        const doc: ViewingDocument = { _id: id, ...fields }
        try {
          await callStore(STORE, () => history.insertOne(doc))
          return { viewing: toViewing(doc), replayed: false }
        } catch (err) {
          // _id is the collection's only unique index, so a duplicate key is our own insert.
          if (!isDuplicateKey(err)) throw err
          const stored = await callStore(STORE, () => history.findOne({ _id: id }))
          if (!stored) throw err
          return { viewing: toViewing(stored), replayed: true }
        }
      },

      /** The user's viewings matching the filters, newest first. */
      async list(query: HistoryQuery): Promise<Viewing[]> {
        const filter: Filter<ViewingDocument> = { user_id: query.user_id }
        if (query.tipo !== undefined) filter.tipo = query.tipo
        if (query.concluido !== undefined) filter.concluido = query.concluido
        const docs = await callStore(STORE, () =>
          history
            .find(filter)
            // _id breaks ties between viewings recorded in the same millisecond.
            .sort({ data: -1, _id: -1 })
            .limit(query.limit)
            .toArray()
        )
        return docs.map(toViewing)
      },

      /** How many viewings the user has of each content type (types never watched are absent). */
      async countByType(userId: number): Promise<Array<{ tipo: ContentType; total: number }>> {
        const groups = await callStore(STORE, () =>
          history
            .aggregate<{ _id: ContentType; total: number }>([
              { $match: { user_id: userId } },
              { $group: { _id: '$tipo', total: { $sum: 1 } } },
              { $sort: { total: -1, _id: 1 } }
            ])
            .toArray()
        )
        return groups.map((group) => ({ tipo: group._id, total: group.total }))
      }
    },

    recommendations: {
      /** Replaces the user's whole set in one upsert: there is one document per user. */
      async replace(set: {
        user_id: number
        itens: RecommendationItem[]
        gerado_em: Date
        event_id: string
      }): Promise<RecommendationSet> {
        const doc: RecommendationDocument = {
          user_id: set.user_id,
          itens: set.itens,
          gerado_em: set.gerado_em,
          event_id: set.event_id
        }
        await callStore(STORE, () =>
          recommendations.replaceOne({ user_id: set.user_id }, doc, { upsert: true })
        )
        return toRecommendationSet(doc)
      },

      async get(userId: number): Promise<RecommendationSet | null> {
        const doc = await callStore(STORE, () =>
          recommendations.findOne({ user_id: userId }, { projection: { _id: 0 } })
        )
        return doc ? toRecommendationSet(doc) : null
      }
    }
  }
}

export type MongoStore = ReturnType<typeof createMongoStore>
