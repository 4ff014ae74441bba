// Requests that only a real socket can send (inject never goes through Node's HTTP parser): an
// over-long URL or request head, a request that is not HTTP at all.
import assert from 'node:assert/strict'
import { request } from 'node:http'
import { connect, type AddressInfo } from 'node:net'

export interface RawAnswer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** One GET on its own connection, answer read whole. */
export function rawGet(
  port: number,
  path: string,
  headers: Record<string, string> = {}
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers, agent: false }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end()
  })
}

/** Writes `bytes` as they are and returns everything the server sends before it closes. */
export function rawExchange(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port })
    let received = ''
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => (received += chunk))
    socket.on('close', () => resolve(received))
    socket.on('error', reject)
    socket.write(bytes)
  })
}

/** Binds `app` to a free loopback port; closed when the test ends. */
export async function listenOnFreePort(
  t: { after: (fn: () => unknown) => void },
  app: {
    listen: (options: { host: string; port: number }) => Promise<string>
    close: () => PromiseLike<unknown>
    server: { address: () => unknown }
  }
): Promise<number> {
  await app.listen({ host: '127.0.0.1', port: 0 })
  t.after(() => app.close())
  return (app.server.address() as AddressInfo).port
}

function assertErrorAnswer(answer: RawAnswer, status: number, code: string, what: string) {
  assert.equal(answer.status, status, `${what}: ${answer.status} ${answer.body}`)
  assert.match(String(answer.headers['content-type']), /^application\/json/, what)
  const body = JSON.parse(answer.body) as Record<string, unknown>
  assert.deepEqual(Object.keys(body).sort(), ['code', 'error', 'message', 'statusCode'], what)
  assert.equal(body.statusCode, status, what)
  assert.equal(body.code, code, what)
  return body as { statusCode: number; code: string; error: string; message: string }
}

/**
 * The answers of a service listening on `port` to an over-long URL (8 KiB+1: past the bound,
 * within Node's head limit; 20 KiB: past both) and to a request head past Node's 16 KiB.
 */
export async function assertOversizeAnswers(port: number, knownPath: string): Promise<void> {
  const within = await rawGet(port, `${knownPath}?q=${'x'.repeat(8192 - knownPath.length - 3)}`)
  assert.notEqual(within.status, 414, 'a URL of exactly 8192 characters is answered')

  const long = assertErrorAnswer(
    await rawGet(port, `${knownPath}?q=${'x'.repeat(8192)}`),
    414,
    'URI_TOO_LONG',
    '8 KiB URL'
  )
  assert.equal(long.error, 'URI Too Long')
  assert.match(long.message, /URL tem 8\d{3} caracteres; o máximo aceito é 8192/)

  const huge = assertErrorAnswer(
    await rawGet(port, `${knownPath}?q=${'x'.repeat(20_000)}`),
    414,
    'URI_TOO_LONG',
    '20 KiB URL'
  )
  assert.match(huge.message, /URL passa do máximo aceito de 8192 caracteres/)

  const headers = assertErrorAnswer(
    await rawGet(port, knownPath, { 'x-filler': 'y'.repeat(20_000) }),
    431,
    'HEADERS_TOO_LARGE',
    '20 KiB header'
  )
  assert.equal(headers.error, 'Request Header Fields Too Large')
  assert.match(headers.message, /cabeçalhos da requisição passam do máximo aceito de 16384 bytes/)

  const fine = await rawGet(port, knownPath)
  assert.ok(fine.status < 400, `the server still answers: ${fine.status}`)
}
