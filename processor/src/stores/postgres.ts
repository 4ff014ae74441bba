import type {
  CreateUserData,
  RecordPaymentData,
  UpdatePreferencesData,
  UpdateSubscriptionData
} from '@streaming/contracts'
import type pg from 'pg'
import { callStore, duplicate } from '../errors.ts'

export interface UserRow {
  user_id: number
  nome: string
  email: string
  cpf: string
  data_criacao: string
}

const toUser = (row: Record<string, unknown>): UserRow => ({
  user_id: Number(row.user_id),
  nome: String(row.nome),
  email: String(row.email),
  cpf: String(row.cpf),
  data_criacao: (row.data_criacao as Date).toISOString()
})

const isoDate = (value: unknown): string => {
  // DATE columns arrive as local-midnight Date objects; format them without a time-zone shift.
  const date = value as Date
  const month = String(date.getMonth() + 1).padStart(2, '0')
  const day = String(date.getDate()).padStart(2, '0')
  return `${date.getFullYear()}-${month}-${day}`
}

export function createPostgresStore(pool: pg.Pool) {
  const query = <R extends pg.QueryResultRow = Record<string, unknown>>(
    text: string,
    values?: unknown[]
  ) => callStore('PostgreSQL', () => pool.query<R>(text, values))

  return {
    async ping(): Promise<void> {
      await query('SELECT 1')
    },

    async userExists(userId: number): Promise<boolean> {
      const { rowCount } = await query('SELECT 1 FROM usuarios WHERE user_id = $1', [userId])
      return rowCount === 1
    },

    /**
     * Inserts a user. A redelivered request (same event id) finds its own row and succeeds
     * again; any other clash on user_id, e-mail or CPF is a duplicate the client must fix.
     */
    async createUser(
      user: CreateUserData,
      eventId: string
    ): Promise<{ user: UserRow; replayed: boolean }> {
      const inserted = await query(
        `INSERT INTO usuarios (user_id, nome, email, cpf, data_criacao, event_id)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT DO NOTHING
         RETURNING user_id, nome, email, cpf, data_criacao`,
        [user.user_id, user.nome, user.email, user.cpf, user.data_criacao, eventId]
      )
      if (inserted.rows[0]) return { user: toUser(inserted.rows[0]), replayed: false }

      const { rows } = await query<{
        user_id: string
        email: string
        cpf: string
        event_id: string
      }>(
        `SELECT user_id, email, cpf, event_id::text AS event_id, nome, data_criacao FROM usuarios
         WHERE user_id = $1 OR lower(email) = lower($2) OR cpf = $3 OR event_id = $4`,
        [user.user_id, user.email, user.cpf, eventId]
      )
      const own = rows.find((row) => row.event_id === eventId)
      if (own) return { user: toUser(own), replayed: true }
      const clashes = rows.flatMap((row) => [
        ...(Number(row.user_id) === user.user_id ? [`user_id ${user.user_id}`] : []),
        ...(row.email.toLowerCase() === user.email.toLowerCase() ? [`email ${user.email}`] : []),
        ...(row.cpf === user.cpf ? [`CPF ${user.cpf}`] : [])
      ])
      throw duplicate(
        `Já existe um usuário com ${[...new Set(clashes)].join(', ') || 'esses dados'}`
      )
    },

    async upsertSubscription(subscription: UpdateSubscriptionData) {
      const { rows } = await query(
        `INSERT INTO assinaturas (user_id, plano, inicio, fim, status)
         VALUES ($1, $2, $3, $4, 'ativa')
         ON CONFLICT (user_id) DO UPDATE
           SET plano = EXCLUDED.plano, inicio = EXCLUDED.inicio, fim = EXCLUDED.fim,
               status = 'ativa', atualizado_em = now()
         RETURNING user_id, plano, inicio, fim, status`,
        [subscription.user_id, subscription.plano, subscription.inicio, subscription.fim]
      )
      const row = rows[0] as Record<string, unknown>
      return {
        user_id: Number(row.user_id),
        plano: String(row.plano),
        inicio: isoDate(row.inicio),
        fim: isoDate(row.fim),
        status: String(row.status)
      }
    },

    /** Inserts a payment once per request event, however often that event is delivered. */
    async recordPayment(payment: RecordPaymentData, eventId: string) {
      const { rows } = await query(
        `WITH inserted AS (
           INSERT INTO pagamentos (event_id, user_id, valor, forma_pagamento, status, data_pagamento)
           VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (event_id) DO NOTHING
           RETURNING *
         )
         SELECT * FROM inserted
         UNION ALL
         SELECT * FROM pagamentos WHERE event_id = $1 AND NOT EXISTS (SELECT 1 FROM inserted)`,
        [
          eventId,
          payment.user_id,
          payment.valor,
          payment.forma_pagamento,
          payment.status,
          payment.data_pagamento
        ]
      )
      const row = rows[0] as Record<string, unknown>
      return {
        pagamento_id: Number(row.pagamento_id),
        user_id: Number(row.user_id),
        valor: Number(row.valor),
        forma_pagamento: String(row.forma_pagamento),
        status: String(row.status),
        data_pagamento: (row.data_pagamento as Date).toISOString()
      }
    },

    async upsertPreferences(preferences: UpdatePreferencesData) {
      const { rows } = await query(
        `INSERT INTO preferencias (user_id, idioma, notificacoes, tema)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (user_id) DO UPDATE
           SET idioma = EXCLUDED.idioma, notificacoes = EXCLUDED.notificacoes,
               tema = EXCLUDED.tema, atualizado_em = now()
         RETURNING user_id, idioma, notificacoes, tema`,
        [preferences.user_id, preferences.idioma, preferences.notificacoes, preferences.tema]
      )
      const row = rows[0] as Record<string, unknown>
      return {
        user_id: Number(row.user_id),
        idioma: String(row.idioma),
        notificacoes: Boolean(row.notificacoes),
        tema: String(row.tema)
      }
    }
  }
}

export type PostgresStore = ReturnType<typeof createPostgresStore>
