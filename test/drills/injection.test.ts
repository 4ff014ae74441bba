// Drill: injection strings sent as valid free text. Each operation succeeds and the store holds
// exactly the string sent — read from PostgreSQL, MongoDB and Redis directly — while the tables
// and keys that were there before are still there. An object where a string belongs is a 400.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { accept, settle, succeed, type Accepted } from '../helpers/http.ts'
import { topicSize } from '../helpers/kafka.ts'
import { startPlatform } from '../helpers/platform.ts'
import { hostileStrings } from './hostile-strings.ts'

interface Sent {
  text: string
  store: 'PostgreSQL' | 'MongoDB' | 'Redis'
  field: string
  via: 'body' | 'query'
  accepted: Accepted
  /** Reads the field back from the store. */
  read: () => Promise<unknown>
}

test(
  'injection drill: SQL, NoSQL and Redis-protocol strings are stored literally, and nothing else changes',
  { timeout: 120_000 },
  async (t) => {
    const { app, kafka, topics, postgres, mongodb, redis, redisKeyPrefix } = await startPlatform(
      t,
      { gatewayEnv: { RATE_LIMIT_MAX: '0' } }
    )

    // What the stores hold before: a user with a payment, a viewing, and a key of our own.
    const canary = await succeed(app, 'POST', '/usuarios', { nome: 'Canário Antes' })
    const canaryId = (canary.accepted.usuario as { user_id: number }).user_id
    await succeed(app, 'POST', `/usuarios/${canaryId}/pagamento`, { valor: 29.9 })
    await succeed(app, 'POST', '/historico-visualizacao', {
      user_id: canaryId,
      conteudo_id: 'antes',
      titulo: 'Central do Brasil'
    })
    const sentinelKey = `${redisKeyPrefix}sentinela`
    await redis.set(sentinelKey, 'ainda aqui')
    const tablesQuery =
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1"
    const tablesBefore = (await postgres.query(tablesQuery)).rows
    const countRows = async (table: string) =>
      (await postgres.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n as number
    const before = {
      usuarios: await countRows('usuarios'),
      pagamentos: await countRows('pagamentos'),
      assinaturas: await countRows('assinaturas'),
      preferencias: await countRows('preferencias')
    }

    // Objects where a string belongs: 400 naming the field, nothing published.
    const published = await topicSize(kafka, topics.requests)
    const objectCases = [
      { url: '/historico-visualizacao', body: { user_id: canaryId, titulo: { $gt: '' } } },
      { url: '/usuarios', body: { nome: { $ne: null } } },
      { url: '/sessoes', body: { user_id: canaryId, localizacao: { $where: 'sleep(100)' } } },
      { url: '/cache/conteudo/c-obj', body: { titulo: { $regex: '.*' } } },
      { url: '/usuarios', body: { email: { $gt: '' } } }
    ]
    for (const { url, body } of objectCases) {
      const response = await app.inject({ method: 'POST', url, payload: body })
      const [field] = Object.keys(body).filter((name) => name !== 'user_id')
      assert.equal(response.statusCode, 400, `${url} ${JSON.stringify(body)}: ${response.body}`)
      assert.match(response.json<{ message: string }>().message, new RegExp(`body\\.${field}`))
    }
    assert.equal(await topicSize(kafka, topics.requests), published, 'objects: nothing published')
    t.diagnostic(`objects as strings: ${objectCases.length} requests → 400, 0 published`)

    // Every hostile string into every free-text field, alternately in the body and the query.
    const sent: Sent[] = []
    const viewings = mongodb.collection('historico_visualizacao')
    const send = async (
      text: string,
      i: number,
      store: Sent['store'],
      field: string,
      url: string,
      extra: Record<string, unknown>,
      read: (accepted: Accepted) => Promise<unknown>
    ) => {
      const via = i % 2 === 0 ? 'body' : 'query'
      const accepted =
        via === 'body'
          ? await accept(app, 'POST', url, { ...extra, [field]: text })
          : await accept(
              app,
              'POST',
              `${url}?${field}=${encodeURIComponent(text)}`,
              Object.keys(extra).length > 0 ? extra : undefined
            )
      sent.push({ text, store, field, via, accepted, read: () => read(accepted) })
    }
    const emails = ["o'brien@example.com", "x'--@example.com", 'a=b|c{d}@example.com']
    const texts = [...hostileStrings]
    await Promise.all(
      texts.map(async (text, i) => {
        await send(text, i, 'PostgreSQL', 'nome', '/usuarios', {}, async (accepted) => {
          const { user_id: userId } = accepted.usuario as { user_id: number }
          const { rows } = await postgres.query('SELECT nome FROM usuarios WHERE user_id = $1', [
            userId
          ])
          return rows[0]?.nome
        })
        await send(
          text,
          i,
          'MongoDB',
          'titulo',
          '/historico-visualizacao',
          { user_id: canaryId, conteudo_id: `inj-${i}` },
          async () => (await viewings.findOne({ conteudo_id: `inj-${i}` }))?.titulo
        )
        await send(
          text,
          i,
          'Redis',
          'localizacao',
          '/sessoes',
          { user_id: canaryId },
          async (accepted) =>
            redis.hget(`${redisKeyPrefix}sessao:${String(accepted.session_id)}`, 'localizacao')
        )
        for (const field of ['titulo', 'categoria', 'descricao']) {
          await send(text, i, 'Redis', field, `/cache/conteudo/inj-${field}-${i}`, {}, async () =>
            redis.hget(`${redisKeyPrefix}conteudo:inj-${field}-${i}`, field)
          )
        }
      })
    )
    await Promise.all(
      emails.map((text, i) =>
        send(text, i, 'PostgreSQL', 'email', '/usuarios', {}, async (accepted) => {
          const { user_id: userId } = accepted.usuario as { user_id: number }
          const { rows } = await postgres.query('SELECT email FROM usuarios WHERE user_id = $1', [
            userId
          ])
          return rows[0]?.email
        })
      )
    )

    const outcomes = await Promise.all(sent.map((s) => settle(app, s.accepted, 30)))
    const failed = outcomes
      .map((outcome, i) => ({ outcome, s: sent[i]! }))
      .filter(({ outcome }) => outcome.status !== 'success')
      .map(
        ({ outcome, s }) => `${s.store} ${s.field} ${JSON.stringify(s.text)}: ${outcome.message}`
      )
    assert.deepEqual(failed, [], 'every operation succeeds')

    const mismatches: string[] = []
    for (const s of sent) {
      const stored = await s.read()
      if (stored !== s.text) {
        mismatches.push(
          `${s.store} ${s.field} via ${s.via}: sent ${JSON.stringify(s.text)}, stored ${JSON.stringify(stored)}`
        )
      }
    }
    assert.deepEqual(mismatches, [], 'every store holds exactly the string sent')

    // Nothing else changed: the same tables, the rows that were there, the key that was there.
    assert.deepEqual((await postgres.query(tablesQuery)).rows, tablesBefore, 'the same tables')
    const users = texts.length + emails.length
    const after = {
      usuarios: await countRows('usuarios'),
      pagamentos: await countRows('pagamentos'),
      assinaturas: await countRows('assinaturas'),
      preferencias: await countRows('preferencias')
    }
    assert.deepEqual(after, { ...before, usuarios: before.usuarios + users })
    const { rows: canaryRows } = await postgres.query(
      'SELECT nome FROM usuarios WHERE user_id = $1',
      [canaryId]
    )
    assert.deepEqual(canaryRows, [{ nome: 'Canário Antes' }], 'the earlier user is untouched')
    assert.equal(await viewings.countDocuments(), texts.length + 1, 'viewings: the earlier one too')
    assert.equal(await redis.get(sentinelKey), 'ainda aqui', 'no FLUSHALL, no DEL')
    const statusKey = `status:${canary.accepted.correlation_id}`
    assert.equal(await redis.exists(statusKey), 1, 'status keys survive')

    const byStore = new Map<string, number>()
    for (const s of sent) byStore.set(s.store, (byStore.get(s.store) ?? 0) + 1)
    t.diagnostic(
      `${hostileStrings.length} injection strings (+${emails.length} e-mails) → ${sent.length} operations (${[...byStore].map(([k, n]) => `${k} ${n}`).join(', ')}; ${sent.filter((s) => s.via === 'query').length} via query string): ${outcomes.filter((o) => o.status === 'success').length} success, ${sent.length - mismatches.length} stored exactly`
    )
    t.diagnostic(
      `tables unchanged (${tablesBefore.map((r) => r.table_name).join(', ')}); rows before ${JSON.stringify(before)}, after ${JSON.stringify(after)}; sentinel key and status keys intact`
    )
  }
)
