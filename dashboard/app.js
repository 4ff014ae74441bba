// The dashboard's behaviour: links built from this page's host, the tool cards as this run has
// them (/runtime.json), health tiles and recent transactions refreshed every 5 s through nginx's
// /proxy/ paths, the end-to-end test button, the trace of one transaction (a dialog opened from a
// row or the button's result) and the search by correlation id or user id.
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

// --- how the platform runs: nginx answers /runtime.json (dashboard/nginx.conf.template)

/**
 * Shows each tool card as this run has it: with compose every UI runs; natively (`npm run up`)
 * Kafka UI and Kibana give way to this page's own sections, Adminer's server is the platform's
 * PostgreSQL on its host address, and PLATFORM_TOOLS=0 leaves Adminer, Mongo Express and Redis
 * Commander out. Without an answer the page stays as written (compose's cards).
 */
async function applyRuntime() {
  let runtime
  try {
    const result = await request('/runtime.json')
    runtime = result.status === 200 && isObject(result.body) ? result.body : undefined
  } catch (err) {
    console.error(err)
  }
  if (!runtime || (runtime.runtime !== 'native' && runtime.runtime !== 'compose')) return
  const states = new Set([runtime.runtime, runtime.tools === false ? 'tools-off' : 'tools-on'])
  for (const element of document.querySelectorAll('[data-when]')) {
    element.hidden = !states.has(element.dataset.when)
  }
  const server = typeof runtime.adminer_server === 'string' ? runtime.adminer_server : ''
  const adminer = document.querySelector('.card[data-tool="adminer"] a[data-port]')
  if (server && adminer) {
    const url = new URL(adminer.dataset.path || '/', window.location.href)
    url.searchParams.set('pgsql', server)
    adminer.dataset.path = url.pathname + url.search
    document.querySelector('[data-role="adminer-server"]').textContent = server
    buildLinks()
  }
  document.documentElement.dataset.runtime = runtime.runtime
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
  return h('tr', {}, h('td', { colspan: String(TX_COLUMNS.length), class: `empty ${kind}` }, text))
}

/** The table's columns, as their headers read: each cell carries its header for the card layout. */
const TX_COLUMNS = [
  'ID de correlação',
  'Operação',
  'Status',
  'Processamento',
  'Ponta a ponta',
  'Horário'
]

/** The user whose transactions the table lists (set by the search); '' lists everyone's. */
let filterUserId = ''
/** Bumped whenever the filter changes, so a refresh that started before it is discarded. */
let filterGeneration = 0

function transactionRow(tx) {
  const id = String(tx.correlation_id ?? '')
  const userId = tx.user_id === null || tx.user_id === undefined ? '' : String(tx.user_id)
  const cell = (index, attributes, ...children) =>
    h('td', { 'data-label': TX_COLUMNS[index], ...attributes }, ...children)
  return h(
    'tr',
    {
      'data-correlation-id': id,
      'data-user-id': userId || undefined,
      class: ['clickable', id === lastRunId ? 'highlight' : ''].filter(Boolean).join(' '),
      tabindex: '0',
      title: 'Abrir o rastreamento desta transação'
    },
    cell(0, { class: 'tx-id' }, h('code', {}, id)),
    cell(
      1,
      {},
      h('code', { class: 'tx-operation' }, tx.operation ?? '—'),
      userId && h('span', { class: 'tx-user' }, `usuário ${userId}`)
    ),
    cell(2, {}, statusBadge(typeof tx.status === 'string' ? tx.status : '')),
    cell(3, { class: 'num', 'data-metric': 'processing' }, formatLatency(tx.processing_time_ms)),
    cell(4, { class: 'num', 'data-metric': 'end-to-end' }, formatLatency(tx.latency_ms)),
    cell(5, {}, formatTime(tx.timestamp))
  )
}

/**
 * Reads the recent transactions (one user's while the search filters by user) into the table.
 * Answers how many rows it shows, or null when the monitor did not answer with a list (or the
 * filter changed meanwhile).
 */
async function refreshTransactions() {
  const body = document.getElementById('tx-body')
  const updated = document.getElementById('tx-updated')
  const generation = filterGeneration
  const userId = filterUserId
  const query = `limit=${RECENT_LIMIT}${userId ? `&user_id=${encodeURIComponent(userId)}` : ''}`
  let result
  try {
    result = await request(`/proxy/monitor/transactions/recent?${query}`, { timeoutMs: 4500 })
  } catch (err) {
    result = { status: 0, body: null, error: describeError(err) }
  }
  if (generation !== filterGeneration) return null
  if (result.status !== 200 || !Array.isArray(result.body)) {
    const reason = result.error ?? errorMessage(result)
    body.replaceChildren(messageRow(`Monitor indisponível: ${reason}`, 'error'))
    updated.textContent = `Falhou às ${timeFormat.format(new Date())}`
    return null
  }
  // A refresh replaces the rows: the row that had the focus keeps it.
  const focused = document.activeElement?.closest?.('#tx-body tr[data-correlation-id]')
  const focusedId = focused?.dataset.correlationId
  const rows = result.body.filter(isObject).map(transactionRow)
  const empty = userId
    ? `Nenhuma transação encontrada para o usuário ${userId}.`
    : 'Nenhuma transação registrada ainda.'
  body.replaceChildren(...(rows.length > 0 ? rows : [messageRow(empty, '')]))
  if (focusedId) rowOf(focusedId)?.focus({ preventScroll: true })
  updated.textContent = `Atualizado às ${timeFormat.format(new Date())}`
  return rows.length
}

const rowOf = (id) =>
  Array.from(document.querySelectorAll('#tx-body tr[data-correlation-id]')).find(
    (row) => row.dataset.correlationId === id
  )

/** A click, Enter or Space on a row opens its trace. */
function setUpTransactionRows() {
  const body = document.getElementById('tx-body')
  body.addEventListener('click', (event) => {
    const row = event.target.closest('tr[data-correlation-id]')
    // Selecting an id to copy it is not a click on the row.
    if (!row || String(window.getSelection?.() ?? '') !== '') return
    openTrace(row.dataset.correlationId, { opener: row })
  })
  body.addEventListener('keydown', (event) => {
    const row = event.target
    if (!(row instanceof window.HTMLTableRowElement) || !row.dataset.correlationId) return
    if (event.key !== 'Enter' && event.key !== ' ') return
    event.preventDefault()
    openTrace(row.dataset.correlationId, { opener: row })
  })
}

/** Lists one user's transactions (or everyone's with ''), refreshed like the full list. */
function showUserTransactions(userId) {
  filterUserId = userId
  filterGeneration += 1
  document.getElementById('tx-filter').hidden = !userId
  document.getElementById('tx-filter-user').textContent = userId
  document.getElementById('transacoes-titulo').textContent = userId
    ? 'Transações do usuário'
    : 'Transações recentes'
  document.getElementById('tx-caption').textContent = userId
    ? `As ${RECENT_LIMIT} transações mais recentes do usuário ${userId}, da mais nova para a mais antiga`
    : `As ${RECENT_LIMIT} transações mais recentes indexadas pelo monitor, da mais nova para a mais antiga`
  document
    .getElementById('tx-body')
    .replaceChildren(
      messageRow(userId ? `Buscando as transações do usuário ${userId}…` : 'Carregando…', '')
    )
  return refreshTransactions()
}

// --- the search: a correlation id opens its trace, a user id lists that user's transactions

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** What a search text is: `{ kind: 'correlation' | 'user', value }`, or `{ kind: 'invalid' }`. */
function parseSearch(text) {
  const value = text.trim()
  if (value === '') return { kind: 'empty' }
  if (UUID.test(value)) return { kind: 'correlation', value: value.toLowerCase() }
  if (/^\d{1,16}$/.test(value)) {
    const number = Number(value)
    if (number >= 1 && Number.isSafeInteger(number)) return { kind: 'user', value: String(number) }
  }
  return { kind: 'invalid' }
}

function showSearchState(text, tone = '') {
  const state = document.getElementById('search-state')
  state.textContent = text
  state.dataset.tone = tone
}

let searchSession = 0

async function search(text) {
  const session = ++searchSession
  const query = parseSearch(text)
  if (query.kind === 'empty') {
    showSearchState('Digite um ID de correlação ou um ID de usuário.', 'error')
    return
  }
  if (query.kind === 'invalid') {
    showSearchState(
      `“${text.trim().slice(0, 80)}” não é um ID de correlação (UUID, como ` +
        '3f2b8c1e-4d5a-4b6c-9d7e-0f1a2b3c4d5e) nem um ID de usuário (número inteiro positivo).',
      'error'
    )
    return
  }
  if (query.kind === 'user') {
    showSearchState(`Buscando as transações do usuário ${query.value}…`)
    const count = await showUserTransactions(query.value)
    if (session !== searchSession || count === null) {
      if (session === searchSession)
        showSearchState('O monitor não respondeu; veja a tabela.', 'error')
      return
    }
    showSearchState(
      count === 0
        ? `Nenhuma transação encontrada para o usuário ${query.value}.`
        : `${count === 1 ? '1 transação' : `${count} transações`} do usuário ${query.value}.`,
      count === 0 ? 'error' : ''
    )
    return
  }
  // A correlation id: its trace opens once the monitor has it (a fresh one takes a moment).
  showSearchState('Procurando a transação…')
  const found = await fetchTraceWithin(query.value, TRACE_INDEX_WAIT_MS, (attempt) => {
    if (session === searchSession) {
      showSearchState(`Ainda não indexada pelo monitor; tentando de novo (${attempt})…`)
    }
  })
  if (session !== searchSession) return
  if (found.status === 200) {
    showSearchState('')
    openTrace(query.value, { opener: document.getElementById('search-input'), prefetched: found })
  } else if (found.status === 404) {
    showSearchState(`Nenhuma transação encontrada com o ID de correlação ${query.value}.`, 'error')
  } else {
    showSearchState(`Não foi possível buscar: ${found.error ?? errorMessage(found)}`, 'error')
  }
}

function setUpSearch() {
  const form = document.getElementById('search-form')
  const input = document.getElementById('search-input')
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    search(input.value).catch((err) => console.error(err))
  })
  document.getElementById('tx-filter-clear').addEventListener('click', () => {
    searchSession += 1
    showSearchState('')
    showUserTransactions('').catch((err) => console.error(err))
  })
}

// --- the trace of one transaction

/** How long the page waits for a fresh operation to be indexed (404 meanwhile), and for its reply. */
const TRACE_INDEX_WAIT_MS = 8_000
const TRACE_REPLY_WAIT_MS = 15_000
const TRACE_RETRY_MS = 700

/** The five stages of an operation, as the monitor names them, with what each one is. */
const TRACE_STAGES = [
  ['accepted', 'Aceita', 'o gateway recebeu a requisição'],
  ['published', 'Publicada', 'a requisição está no Kafka'],
  ['processed', 'Processada', 'o processador aplicou a operação'],
  ['replied', 'Respondida', 'a resposta está no Kafka'],
  ['indexed', 'Indexada', 'o monitor gravou no Elasticsearch']
]

const EVENT_KINDS = {
  request: 'Requisição',
  reply: 'Resposta',
  dead_letter: 'Mensagem morta (DLQ)',
  malformed: 'Mensagem malformada'
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

async function fetchTrace(id) {
  try {
    return await request(`/proxy/monitor/transactions/${encodeURIComponent(id)}`, {
      timeoutMs: 4500
    })
  } catch (err) {
    return { status: 0, body: null, error: describeError(err) }
  }
}

/**
 * The trace, asked again while the monitor has not indexed it (404) or cannot read it (503,
 * network) until `withinMs` passed; `onRetry(attempt, result)` runs before each new attempt.
 */
async function fetchTraceWithin(id, withinMs, onRetry = () => {}, stillWanted = () => true) {
  const deadline = Date.now() + withinMs
  for (let attempt = 1; ; attempt++) {
    const result = await fetchTrace(id)
    const retryable = result.status === 404 || result.status === 503 || result.status === 0
    if (!retryable || Date.now() >= deadline || !stillWanted()) return result
    onRetry(attempt, result)
    await sleep(TRACE_RETRY_MS)
    if (!stillWanted()) return result
  }
}

/** The open trace: bumped on every open and close, so a stale poll stops. */
let traceSession = 0
/** What opened the trace (a row's id, or an element), to put the focus back on close. */
let traceOpener = null

function showTraceState(text, tone = '', { retry = false } = {}) {
  const box = document.getElementById('trace-state-box')
  box.hidden = text === ''
  box.dataset.tone = tone
  document.getElementById('trace-state').textContent = text
  document.getElementById('trace-retry').hidden = !retry
}

function openTrace(id, { opener, prefetched } = {}) {
  const dialog = document.getElementById('trace')
  traceOpener = {
    id: opener instanceof window.HTMLTableRowElement ? opener.dataset.correlationId : undefined,
    element: opener
  }
  document.getElementById('trace-id').textContent = id
  document.getElementById('trace-body').hidden = true
  dialog.dataset.correlationId = id
  showTraceState('Carregando o rastreamento…')
  if (!dialog.open) dialog.showModal()
  followTrace(id, prefetched).catch((err) => console.error(err))
}

/** Reads the trace, and reads it again while it is not indexed yet or still waits for its reply. */
async function followTrace(id, prefetched) {
  const session = ++traceSession
  const current = () => session === traceSession
  const started = Date.now()
  let result = prefetched
  for (;;) {
    result ??= await fetchTraceWithin(
      id,
      TRACE_INDEX_WAIT_MS - (Date.now() - started),
      (attempt, failed) => {
        if (!current()) return
        showTraceState(
          failed.status === 404
            ? 'A operação ainda não foi indexada pelo monitor (leva alguns instantes depois de ' +
                `aceita); tentando de novo (${attempt})…`
            : `Monitor indisponível: ${failed.error ?? errorMessage(failed)}; tentando de novo…`,
          'waiting'
        )
      },
      current
    )
    if (!current()) return
    if (result.status !== 200 || !isObject(result.body)) {
      const reason =
        result.status === 404
          ? 'Nenhuma transação com este ID foi indexada pelo monitor. Uma operação recém-aceita ' +
            'aparece em alguns instantes; confira o ID ou tente de novo.'
          : `Não foi possível ler o rastreamento: ${result.error ?? errorMessage(result)}`
      showTraceState(reason, 'error', { retry: result.status !== 400 })
      return
    }
    renderTrace(result.body)
    const stages = new Set(asArray(result.body.timeline).map((stage) => stage?.stage))
    const complete =
      result.body.status !== 'pending' && TRACE_STAGES.every(([stage]) => stages.has(stage))
    if (complete) {
      showTraceState('')
      return
    }
    if (Date.now() - started >= TRACE_REPLY_WAIT_MS) {
      showTraceState(
        result.body.status === 'pending'
          ? `Ainda sem resposta do processador após ${TRACE_REPLY_WAIT_MS / 1000} s; ` +
              'o processador está rodando?'
          : 'Algumas etapas ainda não foram indexadas pelo monitor.',
        'waiting',
        { retry: true }
      )
      return
    }
    showTraceState(
      result.body.status === 'pending'
        ? 'Aguardando a resposta do processador; atualizando…'
        : 'Aguardando o monitor indexar as etapas que faltam; atualizando…',
      'waiting'
    )
    await sleep(TRACE_RETRY_MS)
    if (!current()) return
    result = undefined
  }
}

const asArray = (value) => (Array.isArray(value) ? value : [])
const textOf = (value) =>
  value === null || value === undefined || value === '' ? '' : String(value)

function preciseTime(timestamp, attributes = {}) {
  const date = new Date(timestamp)
  if (Number.isNaN(date.getTime())) return h('span', attributes, textOf(timestamp) || '—')
  return h('time', { datetime: date.toISOString(), ...attributes }, preciseTimeFormat.format(date))
}

/** A gap between two stages: "+3 ms"; clocks of different hosts can make it negative. */
function formatGap(ms) {
  const sign = ms < 0 ? '−' : '+'
  return `${sign}${formatLatency(Math.abs(ms))}`
}

function renderTrace(trace) {
  document.getElementById('trace-body').hidden = false
  document.getElementById('trace-operation').textContent = textOf(trace.operation) || '—'
  const status = typeof trace.status === 'string' ? trace.status : ''
  const badge = document.getElementById('trace-status')
  badge.textContent = statusLabel(status)
  badge.dataset.status = status
  const user = document.getElementById('trace-user')
  const userId = textOf(trace.user_id)
  if (userId) {
    const list = h(
      'button',
      { type: 'button', class: 'link-button', 'data-user-id': userId },
      'ver as transações deste usuário'
    )
    list.addEventListener('click', () => {
      const input = document.getElementById('search-input')
      traceOpener = { element: input }
      closeTrace()
      input.value = userId
      search(userId).catch((err) => console.error(err))
    })
    user.replaceChildren(h('span', { class: 'trace-user-id' }, userId), ' ', list)
  } else user.replaceChildren('—')
  document.getElementById('trace-processing').textContent = formatLatency(trace.processing_time_ms)
  document.getElementById('trace-end-to-end').textContent = formatLatency(
    trace.end_to_end_latency_ms
  )

  const events = asArray(trace.events).filter(isObject)
  renderOutcome(status, events)

  const at = new Map(
    asArray(trace.timeline)
      .filter(isObject)
      .map((stage) => [stage.stage, stage.at])
  )
  let previous
  const stages = TRACE_STAGES.map(([stage, label, description]) => {
    const time = at.get(stage)
    const ms = Date.parse(time)
    const done = time !== undefined && !Number.isNaN(ms)
    let gap = ''
    if (done && previous !== undefined) gap = formatGap(ms - previous)
    else if (done) gap = 'início'
    if (done) previous = ms
    return h(
      'li',
      { 'data-stage': stage, 'data-state': done ? 'done' : 'missing' },
      h(
        'div',
        { class: 'stage-name' },
        h('strong', {}, label),
        h('span', { class: 'stage-description' }, description)
      ),
      done
        ? preciseTime(time, { class: 'stage-time' })
        : h('span', { class: 'stage-time' }, 'ainda não'),
      h(
        'span',
        {
          class: 'stage-gap',
          title: gap && gap !== 'início' ? 'tempo desde a etapa anterior' : undefined
        },
        gap
      )
    )
  })
  document.getElementById('trace-timeline').replaceChildren(...stages)
  document.getElementById('trace-events').replaceChildren(...events.map(eventItem))
}

/** The outcome: the reply's message; for a failure, why (the error and its code) in front. */
function renderOutcome(status, events) {
  const reply = events.find((event) => event.kind === 'reply')
  const letter = events.find((event) => event.kind === 'dead_letter' || event.kind === 'malformed')
  const failed = status === 'error' || (!reply && letter)
  const source = failed ? (reply ?? letter) : reply
  let message = textOf(source?.message) || textOf(source?.error)
  if (!message && status === 'pending') message = 'Aguardando a resposta do processador.'
  const code = textOf(source?.error_code) || textOf(letter?.error_code)
  const outcome = document.getElementById('trace-outcome')
  outcome.dataset.status = failed ? 'error' : status
  document.getElementById('trace-outcome-title').textContent = failed
    ? 'Por que falhou'
    : 'Mensagem'
  document.getElementById('trace-message').textContent = message || '—'
  const codeElement = document.getElementById('trace-code')
  codeElement.hidden = !(failed && code)
  codeElement.replaceChildren(...(failed && code ? ['Código do erro: ', h('code', {}, code)] : []))
}

function eventItem(event) {
  const kind = String(event.kind ?? '')
  const status = typeof event.status === 'string' ? event.status : ''
  const times = [
    h('span', {}, 'evento ', preciseTime(event.timestamp)),
    h('span', {}, 'Kafka ', preciseTime(event.kafka_timestamp)),
    event.indexed_at ? h('span', {}, 'indexado ', preciseTime(event.indexed_at)) : undefined
  ]
  const metrics = []
  if (typeof event.duration_ms === 'number') {
    metrics.push(h('span', {}, 'processamento ', formatLatency(event.duration_ms)))
  }
  if (typeof event.latency_ms === 'number') {
    metrics.push(h('span', {}, 'ponta a ponta ', formatLatency(event.latency_ms)))
  }
  const message = textOf(event.message)
  const error = textOf(event.error)
  const payload =
    event.payload === null || event.payload === undefined
      ? ''
      : JSON.stringify(event.payload, null, 2)
  return h(
    'li',
    { class: 'event', 'data-kind': kind },
    h(
      'div',
      { class: 'event-head' },
      h('strong', { class: 'event-kind' }, EVENT_KINDS[kind] ?? (kind || '—')),
      status ? statusBadge(status) : undefined,
      event.event_type ? h('code', { class: 'event-type' }, event.event_type) : undefined
    ),
    h(
      'p',
      { class: 'event-where' },
      h('code', {}, textOf(event.topic) || '—'),
      ` · partição ${textOf(event.partition) || '—'} · offset ${textOf(event.offset) || '—'}`
    ),
    h('p', { class: 'event-times' }, ...times),
    metrics.length > 0 ? h('p', { class: 'event-metrics' }, ...metrics) : undefined,
    message ? h('p', { class: 'event-message' }, message) : undefined,
    error && error !== message
      ? h('p', { class: 'event-error' }, h('span', { class: 'check-reason', lang: 'en' }, error))
      : undefined,
    event.error_code
      ? h('p', { class: 'event-code' }, 'código ', h('code', {}, String(event.error_code)))
      : undefined,
    payload
      ? h(
          'details',
          { class: 'event-payload' },
          h('summary', {}, 'Conteúdo bruto (JSON)'),
          h('pre', {}, payload)
        )
      : undefined
  )
}

function closeTrace() {
  const dialog = document.getElementById('trace')
  if (dialog.open) dialog.close()
}

function setUpTrace() {
  const dialog = document.getElementById('trace')
  document.getElementById('trace-close').addEventListener('click', closeTrace)
  document.getElementById('trace-retry').addEventListener('click', () => {
    const id = dialog.dataset.correlationId
    if (!id) return
    showTraceState('Carregando o rastreamento…')
    followTrace(id).catch((err) => console.error(err))
  })
  // A click on the backdrop (outside the box) closes it too; Escape closes a modal dialog natively.
  // The box's own scroll bar is the dialog element as well: only a click outside its edges counts.
  dialog.addEventListener('click', (event) => {
    if (event.target !== dialog) return
    const box = dialog.getBoundingClientRect()
    const inside =
      event.clientX >= box.left &&
      event.clientX <= box.right &&
      event.clientY >= box.top &&
      event.clientY <= box.bottom
    if (!inside) closeTrace()
  })
  dialog.addEventListener('close', () => {
    traceSession += 1
    // The row may have been redrawn by a refresh meanwhile: focus its current element.
    const target = (traceOpener?.id && rowOf(traceOpener.id)) || traceOpener?.element
    if (target?.isConnected) target.focus({ preventScroll: false })
    traceOpener = null
  })
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
  if (id !== undefined) {
    document.getElementById('run-id').textContent = id
    // The trace opens once the gateway gave the operation its id.
    document.getElementById('run-trace-field').hidden = !UUID.test(id)
  }
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
      typeof record.duration_ms === 'number'
        ? ` (processamento: ${formatLatency(record.duration_ms)})`
        : ''
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
applyRuntime()
setUpApiKeyForm()
setUpTransactionRows()
setUpSearch()
setUpTrace()
const button = document.getElementById('run-button')
button.addEventListener('click', () => runTestUser(button))
const runTrace = document.getElementById('run-trace')
runTrace.addEventListener('click', () => {
  const id = document.getElementById('run-id').textContent.trim()
  if (UUID.test(id)) openTrace(id, { opener: runTrace })
})
every(REFRESH_MS, refreshHealth)
every(REFRESH_MS, refreshTransactions)
