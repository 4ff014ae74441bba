// Every operation route on a bare Fastify, Kafka and the status store replaced by recorders: the
// method and path each answers, and the event and Kafka key it publishes, as SPEC.md has them.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { decodeRequest, requestEventTypes, type RequestEnvelope } from '@streaming/contracts'
import Fastify from 'fastify'
import cache from '../../src/routes/cache.ts'
import historico from '../../src/routes/historico.ts'
import { routeOf, routeUrl } from '../../src/routes/operation-route.ts'
import recomendacoes from '../../src/routes/recomendacoes.ts'
import sessoes from '../../src/routes/sessoes.ts'
import usuarios from '../../src/routes/usuarios.ts'
import { sharedSchemas } from '../../src/schemas.ts'
import { schemaController } from '../../src/validation.ts'

const sessionId = '0b7c1a6e-3f5d-4c2a-9e8f-1d2c3b4a5f60'

/** A request to each route, the event type it publishes and the Kafka key it must carry. */
const cases = [
  ['POST', '/usuarios', { user_id: 42 }, 'criar_usuario', '42'],
  ['POST', '/usuarios/42/assinatura', {}, 'atualizar_assinatura', '42'],
  ['POST', '/usuarios/42/pagamento', {}, 'pagamento_realizado', '42'],
  ['POST', '/usuarios/42/config', {}, 'atualizar_config', '42'],
  ['POST', '/historico-visualizacao', { user_id: 42 }, 'registrar_visualizacao', '42'],
  ['GET', '/historico-visualizacao/42', undefined, 'obter_historico_visualizacao', '42'],
  ['POST', '/recomendacoes/gerar', { user_id: 42 }, 'gerar_recomendacoes', '42'],
  ['GET', '/recomendacoes/42', undefined, 'obter_recomendacoes', '42'],
  ['POST', '/sessoes', { user_id: 42 }, 'criar_sessao', '42'],
  ['PUT', `/sessoes/${sessionId}/atividade`, {}, 'atualizar_atividade_sessao', sessionId],
  ['DELETE', `/sessoes/${sessionId}`, undefined, 'encerrar_sessao', sessionId],
  ['GET', '/sessoes/usuario/42', undefined, 'listar_sessoes_usuario', '42'],
  ['POST', '/cache/conteudo/c-7', {}, 'cache_conteudo', 'c-7'],
  ['GET', '/cache/conteudo/c-7', undefined, 'obter_cache_conteudo', 'c-7']
] as const

test('there is a case for every operation', () => {
  assert.deepEqual(cases.map(([, , , type]) => type).sort(), [...requestEventTypes].sort())
})

test('a SPEC.md path becomes the Fastify pattern of the route', () => {
  assert.equal(routeUrl('/usuarios'), '/usuarios')
  assert.equal(routeUrl('/sessoes/{session_id}/atividade'), '/sessoes/:session_id/atividade')
  assert.deepEqual(routeOf('obter_cache_conteudo'), {
    method: 'GET',
    url: '/cache/conteudo/:conteudo_id'
  })
})

test('each route publishes its event, keyed by its entity, and answers 202', async (t) => {
  const published: Array<{ envelope: RequestEnvelope; key: string }> = []
  const pending: string[] = []
  const app = Fastify({ schemaController })
  t.after(() => app.close())
  app.decorate('requests', {
    publish: async (envelope: RequestEnvelope, key: string) => {
      published.push({ envelope, key })
    }
  } as never)
  app.decorate('statusStore', {
    markPending: async (correlationId: string) => {
      pending.push(correlationId)
    },
    forgetPending: async () => {}
  } as never)
  app.decorateRequest('acceptedOperation', null)
  for (const schema of sharedSchemas) app.addSchema(schema)
  for (const routes of [usuarios, historico, recomendacoes, sessoes, cache]) {
    await app.register(routes)
  }

  for (const [method, url, body, eventType, key] of cases) {
    const response = await app.inject({ method, url, ...(body ? { payload: body } : {}) })
    assert.equal(response.statusCode, 202, `${method} ${url}: ${response.body}`)
    const sent = published.at(-1)
    assert.ok(sent, `${method} ${url}: published`)
    assert.equal(sent.envelope.event_type, eventType, `${method} ${url}`)
    assert.equal(sent.key, key, `${method} ${url}: Kafka key`)
    const { correlation_id: correlationId } = response.json() as { correlation_id: string }
    assert.equal(sent.envelope.correlation_id, correlationId)
    assert.equal(pending.at(-1), correlationId, 'recorded pending')
    assert.equal(response.headers.location, `/status/${correlationId}`)
    const decoded = decodeRequest(JSON.stringify(sent.envelope))
    assert.ok(decoded.ok, `${eventType}: ${decoded.ok ? '' : decoded.reason}`)
  }
  assert.equal(published.length, cases.length)
  assert.deepEqual(
    new Set(published.map(({ envelope }) => envelope.event_type)).size,
    cases.length,
    'one route per operation'
  )
})
