import type {
  CreateUserData,
  RecordPaymentData,
  UpdatePreferencesData,
  UpdateSubscriptionData
} from '@streaming/contracts'
import type pg from 'pg'
import { callStore, duplicate } from '../errors.ts'

/** Arbitrary constant: serialises schema creation when several processors start at once. */
const SCHEMA_LOCK_ID = 724_310_001

const schema = `
CREATE TABLE IF NOT EXISTS usuarios (
  user_id       BIGINT PRIMARY KEY CHECK (user_id > 0),
  nome          TEXT NOT NULL CHECK (length(nome) BETWEEN 1 AND 200),
  email         TEXT NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
  cpf           CHAR(11) NOT NULL CHECK (cpf ~ '^[0-9]{11}$'),
  data_criacao  TIMESTAMPTZ NOT NULL,
  event_id      UUID NOT NULL UNIQUE,
  registrado_em TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX IF NOT EXISTS usuarios_email_key ON usuarios (lower(email));
CREATE UNIQUE INDEX IF NOT EXISTS usuarios_cpf_key ON usuarios (cpf);

CREATE TABLE IF NOT EXISTS assinaturas (
  user_id       BIGINT PRIMARY KEY REFERENCES usuarios (user_id) ON DELETE CASCADE,
  plano         TEXT NOT NULL CHECK (plano IN ('Básico', 'Padrão', 'Premium')),
  inicio        DATE NOT NULL,
  fim           DATE NOT NULL,
  status        TEXT NOT NULL DEFAULT 'ativa' CHECK (status IN ('ativa', 'cancelada', 'expirada')),
  atualizado_em TIMESTAMPTZ NOT NULL DEFAULT now(),
  CHECK (fim >= inicio)
);

CREATE TABLE IF NOT EXISTS pagamentos (
  pagamento_id    BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_id        UUID NOT NULL UNIQUE,
  user_id         BIGINT NOT NULL REFERENCES usuarios (user_id) ON DELETE CASCADE,
  valor           NUMERIC(10, 2) NOT NULL CHECK (valor > 0),
  forma_pagamento TEXT NOT NULL CHECK (forma_pagamento IN ('Cartão', 'Pix', 'Boleto')),
  status          TEXT NOT NULL CHECK (status IN ('aprovado', 'pendente', 'recusado')),
  data_pagamento  TIMESTAMPTZ NOT NULL,
  registrado_em   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS pagamentos_user_data_idx ON pagamentos (user_id, data_pagamento DESC);

CREATE TABLE IF NOT EXISTS preferencias (
  user_id       BIGINT PRIMARY KEY REFERENCES usuarios (user_id) ON DELETE CASCADE,
  idioma        TEXT NOT NULL CHECK (idioma IN ('pt-BR', 'en-US', 'es-ES', 'fr-FR')),
  notificacoes  BOOLEAN NOT NULL,
  tema          TEXT NOT NULL CHECK (tema IN ('escuro', 'claro', 'sistema')),
  atualizado_em TIMESTAMPTZ NOT NULL DEFAULT now()
);
`

/** Creates tables, constraints and indexes; safe to run at every start, by several processors at once. */
export async function migratePostgres(pool: pg.Pool): Promise<void> {
  const client = await pool.connect()
  try {
    await client.query('BEGIN')
    await client.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK_ID])
    await client.query(schema)
    await client.query('COMMIT')
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {})
    throw err
  } finally {
    client.release()
  }
}

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
