// The dashboard's Kafka section and live charts. Data from the monitor (through the page's own
// nginx): GET /kafka/topics, GET /kafka/topics/{topic}/partitions/{p}/messages and
// GET /metrics/summary, whose counters become rates here (the difference of two reads over the
// time between them). Charts drawn by uPlot (vendor/uplot.iife.min.js, the dashboard's npm
// dependency, loaded before this module). Data is always shown with textContent.

const REFRESH_MS = 5000
/** Points kept per chart: 5 minutes at one read every 5 s. */
const WINDOW = 60
const MESSAGES_LIMIT = 20
const CHART_HEIGHT = 180
const SPAN_S = (WINDOW * REFRESH_MS) / 1000
const INTEGER_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 1e6]
const PALETTE = ['#4f46e5', '#0891b2', '#16a34a', '#ca8a04', '#dc2626', '#9333ea', '#db2777']

const decimal = new Intl.NumberFormat('pt-BR', { maximumFractionDigits: 2 })
const integer = new Intl.NumberFormat('pt-BR', { maximumFractionDigits: 0 })
const clock = new Intl.DateTimeFormat('pt-BR', { timeStyle: 'medium' })
const minutes = new Intl.DateTimeFormat('pt-BR', { timeStyle: 'short' })

const OPERATION_LABELS = {
  criar_usuario: 'criar usuário',
  registrar_visualizacao: 'registrar visualização',
  buscar_usuario: 'buscar usuário'
}
const operationLabel = (type) => OPERATION_LABELS[type] ?? type.replaceAll('_', ' ')

async function getJson(path, timeoutMs = 6000) {
  const response = await fetch(path, {
    headers: { accept: 'application/json' },
    signal: AbortSignal.timeout(timeoutMs)
  })
  let body
  try {
    body = await response.json()
  } catch {
    body = undefined
  }
  if (!response.ok) {
    const message =
      body && typeof body.message === 'string' ? body.message : `HTTP ${response.status}`
    throw new Error(message)
  }
  return body
}

const el = (tag, className, text) => {
  const node = document.createElement(tag)
  if (className) node.className = className
  if (text !== undefined) node.textContent = text
  return node
}

const sum = (record) => Object.values(record ?? {}).reduce((total, value) => total + value, 0)

// --- rates and quantiles from two reads of the summary -----------------------------------------

/** The q-quantile of cumulative buckets ([le, count], le "+Inf" last), as histogram_quantile. */
export function quantile(q, buckets) {
  const sorted = buckets
    .map(([le, count]) => [le === '+Inf' ? Infinity : Number(le), count])
    .sort((a, b) => a[0] - b[0])
  const total = sorted.at(-1)?.[1] ?? 0
  if (total <= 0) return null
  const rank = q * total
  let lowerBound = 0
  let lowerCount = 0
  for (const [le, count] of sorted) {
    if (count >= rank) {
      if (le === Infinity) return lowerBound
      if (count === lowerCount) return le
      return lowerBound + (le - lowerBound) * ((rank - lowerCount) / (count - lowerCount))
    }
    lowerBound = le
    lowerCount = count
  }
  return lowerBound
}

const deltaBuckets = (now, before) => {
  const previous = new Map((before ?? []).map(([le, count]) => [String(le), count]))
  return now.map(([le, count]) => [le, Math.max(0, count - (previous.get(String(le)) ?? 0))])
}

/** The rates between two summaries (a counter that went back, a restart, counts from zero). */
export function ratesBetween(before, now) {
  const seconds = Math.max(0.001, (now.at - before.at) / 1000)
  const rate = (a, b) => Math.max(0, (a - (b > a ? 0 : b)) / seconds)
  const operations = {}
  const latency = {}
  let errors = 0
  for (const [type, op] of Object.entries(now.processor.operations ?? {})) {
    const old = before.processor.operations?.[type]
    operations[type] = rate(sum(op.replies), sum(old?.replies))
    errors += rate(op.replies.error ?? 0, old?.replies?.error ?? 0)
    const restarted = !old || old.duration.count > op.duration.count
    const window = restarted
      ? op.duration.buckets
      : deltaBuckets(op.duration.buckets, old.duration.buckets)
    const p50 = quantile(0.5, window)
    const p95 = quantile(0.95, window)
    latency[type] = {
      p50: p50 === null ? null : p50 * 1000,
      p95: p95 === null ? null : p95 * 1000
    }
  }
  const gatewayErrors = rate(now.gateway.requests['5xx'] ?? 0, before.gateway.requests['5xx'] ?? 0)
  const deadLetters = rate(sum(now.processor.dead_letters), sum(before.processor.dead_letters))
  return { operations, errors, gatewayErrors, latency, deadLetters, lag: now.lag ?? {} }
}

// --- charts -------------------------------------------------------------------------------------

/**
 * One chart: a uPlot of named series over time, rebuilt when its set of series changes, and
 * a list beside it with each series' latest value (textContent).
 */
function createChart(container, { unit, format = decimal }) {
  const integers = format === integer
  const canvasBox = container.querySelector('.chart-canvas')
  const values = container.querySelector('.chart-values')
  const times = []
  /** name → array aligned with times */
  const series = new Map()
  let plot
  let keys = ''

  const width = () => Math.max(240, canvasBox.clientWidth || 300)

  function build() {
    plot?.destroy()
    canvasBox.replaceChildren()
    const names = [...series.keys()]
    const UPlot = globalThis.uPlot
    if (typeof UPlot !== 'function') {
      canvasBox.append(el('p', 'empty', 'Biblioteca de gráficos não carregou'))
      return
    }
    plot = new UPlot(
      {
        width: width(),
        height: CHART_HEIGHT,
        legend: { show: false },
        cursor: { drag: { x: false, y: false } },
        scales: {
          // Always the last 5 minutes, ending at the newest read.
          x: { time: true, range: (_u, _min, max) => [max - SPAN_S, max] },
          y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : integers ? 4 : 1] }
        },
        axes: [
          {
            stroke: '#8491a7',
            grid: { stroke: 'rgba(132,145,167,0.15)' },
            // Times as the rest of the page writes them (pt-BR, 24 h).
            values: (_u, ticks) => ticks.map((tick) => minutes.format(new Date(tick * 1000)))
          },
          {
            stroke: '#8491a7',
            grid: { stroke: 'rgba(132,145,167,0.15)' },
            size: 48,
            // Whole numbers (records) get whole-number ticks only.
            ...(integers ? { incrs: INTEGER_STEPS } : {}),
            values: (_u, ticks) => ticks.map((tick) => format.format(tick))
          }
        ],
        series: [
          {},
          ...names.map((name, index) => ({
            label: name,
            stroke: PALETTE[index % PALETTE.length],
            width: 2,
            spanGaps: false,
            // A point alone (the first read, or one between gaps) still shows.
            points: { show: true, size: 4 }
          }))
        ]
      },
      [times, ...names.map((name) => series.get(name))],
      canvasBox
    )
  }

  function showValues() {
    const items = [...series.entries()].map(([name, points], index) => {
      const item = el('li')
      const swatch = el('span', `swatch swatch-${index % PALETTE.length}`)
      swatch.setAttribute('aria-hidden', 'true')
      const latest = points.at(-1)
      item.append(
        swatch,
        el('span', 'series-name', name),
        el(
          'span',
          'series-value',
          latest === null || latest === undefined ? '—' : `${format.format(latest)} ${unit}`
        )
      )
      item.dataset.series = name
      item.dataset.value = latest === null || latest === undefined ? '' : String(latest)
      return item
    })
    if (items.length === 0) items.push(el('li', 'empty', 'Sem dados ainda'))
    values.replaceChildren(...items)
  }

  return {
    /** Adds one point in time: `point` maps series names to values (null: none this time). */
    push(at, point) {
      times.push(at / 1000)
      for (const name of Object.keys(point)) {
        if (!series.has(name))
          series.set(
            name,
            times.slice(0, -1).map(() => null)
          )
      }
      for (const [name, points] of series) points.push(point[name] ?? null)
      if (times.length > WINDOW) {
        times.shift()
        for (const points of series.values()) points.shift()
      }
      const now = [...series.keys()].join('\u0000')
      if (now !== keys || !plot) {
        keys = now
        build()
      } else {
        plot.setData([times, ...[...series.values()]])
      }
      showValues()
      container.dataset.points = String(times.length)
    },
    resize() {
      plot?.setSize({ width: width(), height: CHART_HEIGHT })
    }
  }
}

function startCharts() {
  const section = document.getElementById('graficos')
  if (!section) return
  const chart = (id, options) => createChart(section.querySelector(`[data-chart="${id}"]`), options)
  const charts = {
    operations: chart('operations', { unit: 'op/s' }),
    errors: chart('errors', { unit: '/s' }),
    latency: chart('latency', { unit: 'ms' }),
    lag: chart('lag', { unit: 'registros', format: integer }),
    deadLetters: chart('dead-letters', { unit: '/s' })
  }
  const state = document.getElementById('graficos-estado')
  let previous

  async function refresh() {
    let summary
    try {
      summary = await getJson('/proxy/monitor/metrics/summary')
    } catch (err) {
      state.textContent = `Sem dados do monitor: ${err.message}`
      state.dataset.state = 'error'
      return
    }
    const down = []
    if (!summary.gateway.up) down.push('gateway')
    if (!summary.processor.up) down.push('processador')
    if (!summary.kafka.up) down.push('Kafka')
    state.dataset.state = down.length ? 'partial' : 'ok'
    state.textContent =
      (down.length ? `Sem resposta de: ${down.join(', ')}. ` : '') +
      `Atualizado às ${clock.format(new Date(summary.at))}`
    if (previous && summary.at > previous.at) {
      const rates = ratesBetween(previous, summary)
      const named = (record, pick = (value) => value) =>
        Object.fromEntries(
          Object.entries(record).map(([type, value]) => [operationLabel(type), pick(value)])
        )
      charts.operations.push(summary.at, named(rates.operations))
      charts.errors.push(summary.at, {
        'respostas com erro': rates.errors,
        'gateway 5xx': rates.gatewayErrors
      })
      const latency = {}
      for (const [type, { p50, p95 }] of Object.entries(rates.latency)) {
        latency[`${operationLabel(type)} p50`] = p50
        latency[`${operationLabel(type)} p95`] = p95
      }
      charts.latency.push(summary.at, latency)
      charts.lag.push(summary.at, rates.lag)
      charts.deadLetters.push(summary.at, { 'dead letters': rates.deadLetters })
      section.dataset.ready = 'true'
    }
    previous = summary
  }

  refresh()
  setInterval(refresh, REFRESH_MS)
  let pending
  window.addEventListener('resize', () => {
    clearTimeout(pending)
    pending = setTimeout(() => {
      for (const each of Object.values(charts)) each.resize()
    }, 150)
  })
}

// --- Kafka --------------------------------------------------------------------------------------

function startKafka() {
  const section = document.getElementById('kafka')
  if (!section) return
  const topicsBox = document.getElementById('kafka-topics')
  const groupsBox = document.getElementById('kafka-groups')
  const state = document.getElementById('kafka-estado')
  const messagesBox = document.getElementById('kafka-mensagens')
  const messagesTitle = document.getElementById('kafka-mensagens-titulo')
  const messagesList = document.getElementById('kafka-mensagens-lista')
  let selected

  function topicTable(topic) {
    const wrap = el('div', 'kafka-topic')
    wrap.dataset.topic = topic.topic
    const total = topic.partitions.reduce((n, p) => n + Number(p.high) - Number(p.low), 0)
    wrap.append(el('h3', 'kafka-topic-name', topic.topic))
    wrap.append(
      el(
        'p',
        'meta',
        `${topic.partitions.length} partições · ${integer.format(total)} mensagens retidas`
      )
    )
    const tableWrap = el('div', 'table-wrap')
    const table = el('table', 'kafka-table')
    const head = el('tr')
    for (const title of ['Partição', 'Líder', 'Início', 'Fim', '']) head.append(el('th', '', title))
    head.children[1].className = 'num'
    head.children[2].className = 'num'
    head.children[3].className = 'num'
    table.append(el('thead'))
    table.tHead.append(head)
    const body = el('tbody')
    for (const partition of topic.partitions) {
      const row = el('tr')
      row.dataset.partition = String(partition.partition)
      const button = el('button', 'button button-quiet kafka-open', 'Mensagens')
      button.type = 'button'
      button.setAttribute(
        'aria-label',
        `Últimas mensagens de ${topic.topic}, partição ${partition.partition}`
      )
      button.addEventListener('click', () => openMessages(topic.topic, partition.partition))
      const cells = [
        el('td', '', String(partition.partition)),
        el('td', 'num', String(partition.leader)),
        el('td', 'num', integer.format(Number(partition.low))),
        el('td', 'num', integer.format(Number(partition.high))),
        el('td', 'actions')
      ]
      cells[4].append(button)
      row.append(...cells)
      body.append(row)
    }
    table.append(body)
    tableWrap.append(table)
    wrap.append(tableWrap)
    return wrap
  }

  function groupList(groups) {
    if (groups.length === 0) return [el('p', 'empty', 'Nenhum grupo de consumidores com offsets')]
    return groups.map((group) => {
      const item = el('div', 'kafka-group')
      item.dataset.group = group.group_id
      item.dataset.lag = String(group.lag)
      const head = el('p', 'kafka-group-head')
      head.append(
        el('strong', '', group.group_id),
        el('span', 'meta', ` ${group.state}`),
        el(
          'span',
          `kafka-lag${group.lag > 0 ? ' kafka-lag-behind' : ''}`,
          `atraso ${integer.format(group.lag)}`
        )
      )
      const topics = el('ul', 'kafka-group-topics')
      for (const topic of group.topics) {
        const line = el('li')
        line.dataset.topic = topic.topic
        line.textContent = `${topic.topic}: atraso ${integer.format(topic.lag)} (${topic.partitions
          .map((p) => `p${p.partition} ${integer.format(p.lag)}`)
          .join(', ')})`
        topics.append(line)
      }
      item.append(head, topics)
      return item
    })
  }

  async function refresh() {
    try {
      const overview = await getJson('/proxy/monitor/kafka/topics')
      topicsBox.replaceChildren(
        ...(overview.topics.length
          ? overview.topics.map(topicTable)
          : [el('p', 'empty', 'Nenhum tópico')])
      )
      groupsBox.replaceChildren(...groupList(overview.groups))
      state.textContent = `Atualizado às ${clock.format(new Date())}`
      state.dataset.state = 'ok'
      section.dataset.ready = 'true'
    } catch (err) {
      state.textContent = `Kafka indisponível: ${err.message}`
      state.dataset.state = 'error'
    }
  }

  function messageItem(message) {
    const item = el('li', 'kafka-message')
    item.dataset.offset = message.offset
    const head = el('p', 'kafka-message-head')
    head.append(
      el('strong', '', `offset ${message.offset}`),
      el('span', 'meta', ` ${clock.format(new Date(message.timestamp))}`),
      el('span', 'meta', message.key === null ? ' · sem chave' : ` · chave ${message.key}`)
    )
    item.append(head)
    const headers = Object.entries(message.headers)
    if (headers.length) {
      item.append(
        el('p', 'kafka-headers', headers.map(([name, value]) => `${name}: ${value}`).join(' · '))
      )
    }
    const value = el('pre', 'kafka-value')
    value.textContent = message.json
      ? JSON.stringify(message.value, null, 2)
      : String(message.value ?? '(vazio)')
    item.append(value)
    return item
  }

  async function openMessages(topic, partition) {
    selected = `${topic}/${partition}`
    const mine = selected
    messagesBox.hidden = false
    messagesTitle.textContent = `Últimas mensagens de ${topic}, partição ${partition}`
    messagesBox.dataset.topic = topic
    messagesBox.dataset.partition = String(partition)
    messagesBox.dataset.state = 'loading'
    messagesList.replaceChildren(el('li', 'empty', 'Lendo do Kafka…'))
    try {
      const result = await getJson(
        `/proxy/monitor/kafka/topics/${encodeURIComponent(topic)}/partitions/${partition}/messages?limit=${MESSAGES_LIMIT}`,
        15000
      )
      if (mine !== selected) return
      const newest = [...result.messages].reverse()
      messagesList.replaceChildren(
        ...(newest.length ? newest.map(messageItem) : [el('li', 'empty', 'A partição está vazia')])
      )
      messagesBox.dataset.state = 'ok'
    } catch (err) {
      if (mine !== selected) return
      messagesList.replaceChildren(el('li', 'empty', `Não foi possível ler: ${err.message}`))
      messagesBox.dataset.state = 'error'
    }
    messagesBox.scrollIntoView({ block: 'nearest' })
  }

  document.getElementById('kafka-mensagens-fechar')?.addEventListener('click', () => {
    selected = undefined
    messagesBox.hidden = true
  })
  refresh()
  setInterval(refresh, REFRESH_MS)
}

startKafka()
startCharts()
