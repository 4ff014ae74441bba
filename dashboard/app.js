// The dashboard's behaviour: links built from this page's host, health tiles and recent
// transactions refreshed every 5 s through nginx's /proxy/ paths, and the end-to-end test button.
// Plain browser JavaScript, no build step. Every value from a service goes in with textContent,
// never as markup.

const REFRESH_MS = 5000
const SERVICES = ['gateway', 'processor', 'monitor']
const RECENT_LIMIT = 15
/** How long the button follows one operation before giving up on it. */
const RUN_DEADLINE_MS = 60_000
/** Where the page keeps the gateway API key a person entered (this browser only). */
const API_KEY_STORAGE = 'streaming-platform.api-key'

const timeFormat = new Intl.DateTimeFormat('pt-BR', { timeStyle: 'medium' })
const preciseTimeFormat = new Intl.DateTimeFormat('pt-BR', {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  fractionalSecondDigits: 3
})
const numberFormat = new Intl.NumberFormat('pt-BR', { maximumFractionDigits: 0 })

/**
 * What a person reads for each status. The wire values (`pending`, `success`, `error`,
 * `cancelled`) stay in `data-status`, where the styles and the tests key on them; `enviando` is
 * the page's own state while the POST is on its way.
 */
const STATUS_LABELS = {
  pending: 'pendente',
  success: 'sucesso',
  error: 'erro',
  cancelled: 'cancelado',
  enviando: 'enviando'
}
const statusLabel = (status) => STATUS_LABELS[status] ?? (status ? 'desconhecido' : '—')

/** The dependencies the services check, by the names their /health bodies use. */
const DEPENDENCY_NAMES = {
  kafka: 'Kafka',
  redis: 'Redis',
  postgres: 'PostgreSQL',
  mongodb: 'MongoDB',
  elasticsearch: 'Elasticsearch'
}
const dependencyName = (name) => DEPENDENCY_NAMES[name] ?? name

/** The monitor's modes: indexing into Elasticsearch, or spooling to its fallback file. */
const MONITOR_MODES = { elasticsearch: 'Elasticsearch', fallback: 'arquivo reserva' }

/** The correlation id of the last operation the button started, highlighted in the table. */
let lastRunId = ''

/** An element with text content and attributes; children are nodes or strings. */
function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag)
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue
    if (name === 'class') element.className = value
    else if (name.startsWith('data-')) element.dataset[toDatasetKey(name.slice(5))] = value
    else element.setAttribute(name, value)
  }
  for (const child of children) {
    if (child === undefined || child === null) continue
    element.append(child instanceof window.Node ? child : String(child))
  }
  return element
}

const toDatasetKey = (name) => name.replace(/-([a-z])/g, (_match, letter) => letter.toUpperCase())

/** Why a call from the page failed, for a person: the browser's own texts are in English. */
function describeError(err) {
  if (err && err.name === 'AbortError') return 'sem resposta a tempo'
  // fetch rejects with a TypeError ("Failed to fetch") when the network or nginx is unreachable.
  if (err instanceof TypeError) return 'falha de rede'
  return 'erro inesperado no navegador'
}

/**
 * A failing dependency's reason as the service wrote it (English, for developers): the known
 * ones in Portuguese; any other is shown as a technical detail, marked as English.
 */
function describeCheck(value) {
  if (value === 'consumer not running') return { text: 'consumidor parado' }
  const timeout = /^no answer within (\d+) ms$/.exec(value)
  if (timeout) return { text: `sem resposta em ${numberFormat.format(Number(timeout[1]))} ms` }
  return { text: 'falha', detail: value }
}

// --- the gateway API key (only needed when the gateway runs with API_KEYS)

function storedApiKey() {
  try {
    return window.localStorage.getItem(API_KEY_STORAGE) ?? ''
  } catch {
    // Storage can be off (private mode, policy): the page works without a key.
    return ''
  }
}

function storeApiKey(key) {
  try {
    if (key) window.localStorage.setItem(API_KEY_STORAGE, key)
    else window.localStorage.removeItem(API_KEY_STORAGE)
    return true
  } catch {
    return false
  }
}

function showApiKeyState(text) {
  document.getElementById('api-key-state').textContent =
    text ?? (storedApiKey() ? 'Chave salva neste navegador' : 'Nenhuma chave salva')
}

function setUpApiKeyForm() {
  const form = document.getElementById('api-key-form')
  const input = document.getElementById('api-key-input')
  input.value = storedApiKey()
  showApiKeyState()
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    const saved = storeApiKey(input.value.trim())
    showApiKeyState(saved ? undefined : 'Este navegador não permite guardar a chave')
  })
  document.getElementById('api-key-clear').addEventListener('click', () => {
    input.value = ''
    storeApiKey('')
    showApiKeyState()
  })
}

/**
 * fetch with a deadline; answers `{ status, body }` where body is the parsed JSON or null.
 * `withApiKey` adds the stored key as X-API-Key (operation and status calls to the gateway).
 * A network failure or timeout throws.
 */
async function request(path, { method = 'GET', body, timeoutMs = 5000, withApiKey = false } = {}) {
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), timeoutMs)
  const headers = { Accept: 'application/json' }
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  const apiKey = withApiKey ? storedApiKey() : ''
  if (apiKey) headers['X-API-Key'] = apiKey
  try {
    const response = await fetch(path, {
      method,
      cache: 'no-store',
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: controller.signal
    })
    const text = await response.text()
    let parsed = null
    try {
      parsed = text ? JSON.parse(text) : null
    } catch {
      parsed = null
    }
    return { status: response.status, body: parsed }
  } finally {
    clearTimeout(timer)
  }
}

const isObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value)

/** Runs `task` now and then every `ms` after each run ends; skipped while the tab is hidden. */
function every(ms, task) {
  const run = async () => {
    try {
      if (!document.hidden) await task()
    } catch (err) {
      console.error(err)
    } finally {
      setTimeout(run, ms)
    }
  }
  run()
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden) task().catch((err) => console.error(err))
  })
}

// --- links: every UI on this page's host, so the page works on localhost and on a remote host

function buildLinks() {
  for (const link of document.querySelectorAll('a[data-port]')) {
    const url = new URL(link.dataset.path || '/', window.location.href)
    url.protocol = 'http:'
    url.port = link.dataset.port
    link.href = url.href
    const address = link.closest('.card')?.querySelector('.addr')
    if (address) address.textContent = url.host + (url.pathname === '/' ? '' : url.pathname)
  }
}

// --- health tiles

function renderTile(service, result) {
  const tile = document.querySelector(`.tile[data-service="${service}"]`)
  if (!tile) return
  const body = isObject(result.body) ? result.body : {}
  const ok = result.status === 200 && body.status === 'ok'
  tile.dataset.state = ok ? 'ok' : 'unavailable'
  tile.querySelector('[data-role="badge"]').textContent = ok ? 'saudável' : 'indisponível'

  const detail = []
  if (result.error) detail.push(`Sem resposta do serviço: ${result.error}`)
  else if (!ok && Array.isArray(body.failing) && body.failing.length > 0) {
    const names = body.failing.map((name) => dependencyName(String(name)))
    detail.push(
      `${names.length === 1 ? 'Dependência' : 'Dependências'} com falha: ${names.join(', ')}`
    )
  } else if (!ok) {
    detail.push(
      typeof body.error === 'string' ? body.error : `Resposta inesperada (HTTP ${result.status})`
    )
  }
  const detailElement = tile.querySelector('[data-role="detail"]')
  detailElement.textContent = detail.join(' · ')
  detailElement.hidden = detail.length === 0

  const rows = []
  const row = (name, value, state, attributes = {}) =>
    rows.push(
      h('div', { 'data-state': state, ...attributes }, h('dt', {}, name), h('dd', {}, ...value))
    )
  if (isObject(body.checks)) {
    for (const [name, value] of Object.entries(body.checks)) {
      if (value === 'ok') {
        row(dependencyName(name), ['respondendo'], 'ok', { 'data-check': name })
        continue
      }
      const { text, detail: reason } = describeCheck(String(value))
      row(
        dependencyName(name),
        [
          text,
          reason &&
            h('span', { class: 'check-reason', lang: 'en', title: 'detalhe técnico' }, reason)
        ],
        'failing',
        { 'data-check': name }
      )
    }
  }
  if (service === 'monitor' && typeof body.mode === 'string') {
    row(
      'modo',
      [MONITOR_MODES[body.mode] ?? body.mode],
      body.mode === 'elasticsearch' ? 'ok' : 'warning',
      { 'data-mode': body.mode }
    )
    const spooled = Number(body.spooled ?? 0)
    row('no arquivo reserva', [numberFormat.format(spooled)], spooled > 0 ? 'warning' : 'ok')
  }
  if (service === 'processor' && typeof body.consuming === 'boolean') {
    row('consumindo', [body.consuming ? 'sim' : 'não'], body.consuming ? 'ok' : 'failing')
  }
  tile.querySelector('[data-role="checks"]').replaceChildren(...rows)
}

async function refreshHealth() {
  await Promise.all(
    SERVICES.map(async (service) => {
      let result
      try {
        result = await request(`/proxy/${service}/health`, { timeoutMs: 4500 })
      } catch (err) {
        result = { status: 0, body: null, error: describeError(err) }
      }
      renderTile(service, result)
    })
  )
  document.getElementById('health-updated').textContent =
    `Atualizado às ${timeFormat.format(new Date())}`
}

// --- recent transactions

/** A status as a person reads it; the wire value stays in data-status. */
const statusBadge = (status) =>
  h('span', { class: 'badge', 'data-status': status }, statusLabel(status))

function formatLatency(ms) {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return '—'
  return ms >= 1000
    ? `${(ms / 1000).toFixed(2).replace('.', ',')} s`
    : `${numberFormat.format(ms)} ms`
}

function formatTime(timestamp) {
  const date = new Date(timestamp)
  return Number.isNaN(date.getTime()) ? String(timestamp ?? '—') : timeFormat.format(date)
}

function messageRow(text, kind) {
  return h('tr', {}, h('td', { colspan: '5', class: `empty ${kind}` }, text))
}

async function refreshTransactions() {
  const body = document.getElementById('tx-body')
  const updated = document.getElementById('tx-updated')
  let result
  try {
    result = await request(`/proxy/monitor/transactions/recent?limit=${RECENT_LIMIT}`, {
      timeoutMs: 4500
    })
  } catch (err) {
    result = { status: 0, body: null, error: describeError(err) }
  }
  if (result.status !== 200 || !Array.isArray(result.body)) {
    const reason =
      result.error ??
      (isObject(result.body) && typeof result.body.message === 'string'
        ? result.body.message
        : `HTTP ${result.status}`)
    body.replaceChildren(messageRow(`Monitor indisponível: ${reason}`, 'error'))
    updated.textContent = `Falhou às ${timeFormat.format(new Date())}`
    return
  }
  const rows = result.body.filter(isObject).map((tx) => {
    const id = String(tx.correlation_id ?? '')
    return h(
      'tr',
      { 'data-correlation-id': id, class: id === lastRunId ? 'highlight' : undefined },
      h('td', {}, h('code', {}, id)),
      h('td', {}, h('code', {}, tx.operation ?? '—')),
      h('td', {}, statusBadge(typeof tx.status === 'string' ? tx.status : '')),
      h('td', { class: 'num' }, formatLatency(tx.latency_ms)),
      h('td', {}, formatTime(tx.timestamp))
    )
  })
  body.replaceChildren(
    ...(rows.length > 0 ? rows : [messageRow('Nenhuma transação registrada ainda.', '')])
  )
  updated.textContent = `Atualizado às ${timeFormat.format(new Date())}`
}

// --- the end-to-end test button

/**
 * Shows the operation's current state. Every status it takes is also kept in a trail with the
 * time the page saw it: a reply often lands within milliseconds, too fast to see `pending` go by.
 */
function showRun({ id, user, status, message, restart = false }) {
  document.getElementById('run-fields').hidden = false
  const trail = document.getElementById('run-trail')
  if (restart) trail.replaceChildren()
  if (id !== undefined) document.getElementById('run-id').textContent = id
  if (user !== undefined) document.getElementById('run-user').replaceChildren(...user)
  if (status !== undefined) {
    const badge = document.getElementById('run-status')
    badge.textContent = statusLabel(status)
    badge.dataset.status = status
    if (status !== 'enviando') {
      trail.append(
        h(
          'li',
          { 'data-status': status },
          statusBadge(status),
          ' ',
          h('time', { datetime: new Date().toISOString() }, preciseTimeFormat.format(new Date()))
        )
      )
    }
  }
  if (message !== undefined) document.getElementById('run-message').textContent = message
}

/** The generated user: name, then e-mail and user_id, each on a line of its own. */
function describeUser(usuario) {
  if (!isObject(usuario)) return ['—']
  return [
    usuario.nome && h('span', { class: 'line user-name' }, usuario.nome),
    usuario.email && h('span', { class: 'line user-meta' }, usuario.email),
    usuario.user_id !== undefined &&
      h('span', { class: 'line user-meta' }, `ID do usuário ${usuario.user_id}`)
  ].filter(Boolean)
}

function errorMessage(result) {
  const message =
    isObject(result.body) && typeof result.body.message === 'string'
      ? result.body.message
      : `HTTP ${result.status}`
  if (result.status === 401) return `${message} — informe a chave em “Chave de API”`
  if (result.status === 403) return `${message} — confira a chave em “Chave de API”`
  return message
}

async function runTestUser(button) {
  button.disabled = true
  button.setAttribute('aria-busy', 'true')
  showRun({
    id: '—',
    user: ['—'],
    status: 'enviando',
    message: 'Enviando POST /usuarios…',
    restart: true
  })
  try {
    const accepted = await request('/proxy/gateway/usuarios', {
      method: 'POST',
      body: {},
      timeoutMs: 15_000,
      withApiKey: true
    })
    if (accepted.status !== 202 || !isObject(accepted.body)) {
      showRun({ status: 'error', message: `Requisição recusada: ${errorMessage(accepted)}` })
      return
    }
    const id = String(accepted.body.correlation_id)
    lastRunId = id
    showRun({
      id,
      user: describeUser(accepted.body.usuario),
      status: 'pending',
      message: String(accepted.body.mensagem ?? '')
    })

    const deadline = Date.now() + RUN_DEADLINE_MS
    let record
    do {
      const result = await request(`/proxy/gateway/status/${encodeURIComponent(id)}?wait=10`, {
        timeoutMs: 15_000,
        withApiKey: true
      })
      if (result.status !== 200 || !isObject(result.body)) {
        showRun({ status: 'error', message: `Status indisponível: ${errorMessage(result)}` })
        return
      }
      record = result.body
    } while (record.status === 'pending' && Date.now() < deadline)

    const status = String(record.status)
    const duration =
      typeof record.duration_ms === 'number' ? ` (em ${formatLatency(record.duration_ms)})` : ''
    showRun({
      status,
      message:
        status === 'pending'
          ? `Ainda pendente após ${RUN_DEADLINE_MS / 1000} s; o processador está rodando?`
          : `${record.message ?? ''}${duration}`
    })
    refreshTransactions().catch((err) => console.error(err))
  } catch (err) {
    showRun({ status: 'error', message: `Gateway sem resposta: ${describeError(err)}` })
  } finally {
    button.disabled = false
    button.removeAttribute('aria-busy')
  }
}

buildLinks()
setUpApiKeyForm()
const button = document.getElementById('run-button')
button.addEventListener('click', () => runTestUser(button))
every(REFRESH_MS, refreshHealth)
every(REFRESH_MS, refreshTransactions)
