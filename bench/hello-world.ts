// The ceiling the gateway is compared with: a bare Fastify server on the same machine, answering
// a small JSON object with nothing behind it. Prints its address on stdout once listening.
import Fastify from 'fastify'

const app = Fastify({ logger: false })
app.get('/', async () => ({ hello: 'world' }))

const address = await app.listen({ host: '127.0.0.1', port: 0 })
console.log(JSON.stringify({ address }))

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    app.close().finally(() => process.exit(0))
  })
}
