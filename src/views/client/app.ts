// The one client script: draws every canvas[data-series] with Chart.js, again after each htmx
// swap, turns absolute <time data-ago> stamps into "n min ago" (and keeps them current), and
// polls the page's live regions for new data. No inline script anywhere.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Filler,
  Legend,
  LinearScale,
  LogarithmicScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type LegendItem,
} from 'chart.js'

Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Tooltip, Legend, Filler)
// Benchmark results (/benchmarks): horizontal bars, one per framework and dataset.
Chart.register(BarController, BarElement)
// /compare's log-scale view (canvas data-scale="log").
Chart.register(LogarithmicScale)

interface SeriesData {
  labels: string[]
  datasets: { label: string; data: (number | null)[] }[]
}

// Okabe–Ito palette: distinguishable with the common colour-vision deficiencies. app.css sets
// --series per colour scheme; this is the fallback.
const COLORS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000']

const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 })
const whole = new Intl.NumberFormat('en')

// What each canvas was last drawn from: a swap morphs canvases in place, and only those whose data
// or scale changed are drawn again (/compare's log view has the same data as the absolute one).
const drawn = new WeakMap<HTMLCanvasElement, string>()
const drawing = (canvas: HTMLCanvasElement) => `${canvas.dataset.chart ?? 'line'} ${canvas.dataset.scale ?? 'linear'} ${canvas.dataset.series}`

// Chart.js never wraps a legend item: on a phone a long "Retained stars … (GitHub)" would run off
// the canvas. Shorten each to the chart's width; the tooltip and the data table keep the full name.
function fittedLabels(chart: Chart): LegendItem[] {
  const max = Math.max(12, Math.floor(chart.width / 6.5) - 4)
  return Chart.defaults.plugins.legend.labels.generateLabels(chart).map((item) => ({ ...item, text: item.text.length > max ? `${item.text.slice(0, max - 1)}…` : item.text }))
}

function draw(canvas: HTMLCanvasElement, force = false): void {
  if (!force && Chart.getChart(canvas) && drawn.get(canvas) === drawing(canvas)) return
  drawn.set(canvas, drawing(canvas))
  Chart.getChart(canvas)?.destroy()
  const data = JSON.parse(canvas.dataset.series!) as SeriesData
  const styles = getComputedStyle(document.documentElement)
  const text = styles.getPropertyValue('--muted').trim() || '#666'
  const grid = styles.getPropertyValue('--grid').trim() || 'rgba(0,0,0,.1)'
  const listed = styles.getPropertyValue('--series').split(',').map((c) => c.trim()).filter(Boolean)
  const colors = listed.length > 0 ? listed : COLORS
  const bar = canvas.dataset.chart === 'bar'
  // A bar per framework and dataset: the frame grows with them instead of squeezing the bars.
  if (bar) canvas.parentElement!.style.height = `${4 + data.labels.length * (0.6 + 0.8 * data.datasets.length)}rem`
  const log = canvas.dataset.scale === 'log'
  const valueAxis = { type: log ? ('logarithmic' as const) : ('linear' as const), beginAtZero: !log, ticks: { color: text, callback: (v: string | number) => compact.format(Number(v)) }, grid: { color: grid } }
  const categoryAxis = { ticks: { color: text, maxTicksLimit: bar ? undefined : 8, maxRotation: 0 }, grid: { color: grid } }
  new Chart(canvas, {
    // Chart.js types a config by its chart type; bars ignore the line-only options below.
    type: bar ? ('bar' as 'line') : 'line',
    data: {
      labels: data.labels,
      datasets: data.datasets.map((d, i) => ({
        ...d,
        borderColor: colors[i % colors.length],
        backgroundColor: colors[i % colors.length],
        borderWidth: 1.5,
        pointRadius: 0,
        pointHitRadius: 6,
        spanGaps: false,
        tension: 0,
      })),
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      interaction: { mode: 'index', intersect: false, ...(bar ? { axis: 'y' as const } : {}) },
      indexAxis: bar ? 'y' : 'x',
      scales: bar ? { x: valueAxis, y: categoryAxis } : { x: categoryAxis, y: valueAxis },
      plugins: {
        legend: { labels: { color: text, boxWidth: 12, generateLabels: fittedLabels } },
        tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${whole.format(Number(item.raw))}` } },
      },
    },
  })
}

function ago(date: Date): string {
  const minutes = Math.round((Date.now() - date.getTime()) / 60_000)
  if (minutes < 1) return 'just now'
  if (minutes < 60) return `${minutes} min ago`
  const hours = Math.round(minutes / 60)
  return hours < 48 ? `${hours} h ago` : `${Math.round(hours / 24)} days ago`
}

function enhance(root: ParentNode): void {
  root.querySelectorAll<HTMLCanvasElement>('canvas[data-series]').forEach((canvas) => draw(canvas))
  root.querySelectorAll<HTMLTimeElement>('time[data-ago]').forEach((el) => {
    // The server's text is the absolute instant: keep it as the tooltip.
    if (!el.title) el.title = el.textContent ?? ''
    el.textContent = ago(new Date(el.dateTime))
  })
}

document.addEventListener('DOMContentLoaded', () => enhance(document))

/**
 * /compare's Smoothing buttons do not apply to some metrics (data-off-for): the form is not
 * swapped, so they follow the metric here. Capturing, so htmx's request leaves them out too.
 */
document.addEventListener(
  'change',
  (event) => {
    const select = event.target
    if (!(select instanceof HTMLSelectElement) || select.name !== 'metric' || !select.form) return
    for (const set of select.form.querySelectorAll<HTMLFieldSetElement>('fieldset[data-off-for]')) {
      const off = set.dataset.offFor!.split(' ').includes(select.value)
      set.disabled = off
      set.setAttribute('aria-disabled', String(off))
      const why = set.getAttribute('aria-describedby')
      if (why) document.getElementById(why)?.toggleAttribute('hidden', !off)
    }
  },
  true,
)
// "3 min ago" becomes "4 min ago" without a reload.
setInterval(() => {
  document.querySelectorAll<HTMLTimeElement>('time[data-ago]').forEach((el) => {
    if (el.title) el.textContent = ago(new Date(el.dateTime))
  })
}, 30_000)
// Chart colours come from CSS variables that follow the colour scheme: redraw when it changes.
matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
  document.querySelectorAll<HTMLCanvasElement>('canvas[data-series]').forEach((canvas) => draw(canvas, true))
})
// htmx 4 fires htmx:after:swap on the swapped element (htmx 2 called it htmx:afterSwap).
document.addEventListener('htmx:after:swap', (event) => {
  const target = event.target
  enhance(target instanceof Element && target.isConnected ? target : document)
  // A swap (a live poll's morph, the range picker) can remove a drawn canvas: its Chart and the
  // Chart's resize observer would outlive it in a tab left open for days.
  for (const chart of Object.values(Chart.instances)) if (!chart.canvas.isConnected) chart.destroy()
})
// /compare's form triggers its swaps, and htmx fires after:swap on the form, not on the chart it
// replaced: enhance the form's target as well.
document.addEventListener('htmx:after:swap', (event) => {
  const form = event.target
  const selector = form instanceof HTMLFormElement ? form.getAttribute('hx-target') : null
  const target = selector ? document.querySelector(selector) : null
  if (target) enhance(target)
})

// --- Live regions (views/components/live-region.tsx; README, "Live updates") -------------------
// A [data-live] element shows exactly what its hx-get fragment answers, and data-etag is that
// answer's ETag. Every LIVE_POLL_SECONDS (the server says how many in X-Live-Poll-Seconds) each
// region asks again with If-None-Match: unchanged data is a 304, which htmx 4 never swaps
// (htmx.config.noSwap is [204, 304]); new data is morphed into the region in place. Polling
// stops while the tab is hidden and catches up when it shows again, and slows down while the
// server cannot be reached or fails. The timing lives here, not in hx-trigger: a cached page
// cannot carry the setting, and trigger conditions ([...]) need eval, which the CSP forbids.

interface HtmxContext {
  request: { action: string; headers: Record<string, string>; cache?: RequestCache; signal?: AbortSignal }
  response?: { status: number; headers: Headers }
  /** The element swapped into: a region itself, or the region a form targets (/compare). */
  target?: Element | null
  fetch?: typeof fetch
  /** Set here: the poll could not reach the server (network error, timeout). */
  liveUnreachable?: boolean
}
interface Htmx {
  registerExtension(name: string, extension: Record<string, unknown>): unknown
}
type HtmxEvent = CustomEvent<{ ctx: HtmxContext }>

/** After each failed round the wait doubles, up to this (or the interval itself, if longer). */
const MAX_BACKOFF_MS = 10 * 60_000
/** A server that accepts the connection and never answers counts as unreachable after this. */
const POLL_TIMEOUT_MS = 30_000

let pollMs = 60_000
/** Poll rounds in a row with a failure (network error, timeout, 5xx); an answer resets it. */
let failures = 0
let round = 0
let failedRound = 0
let timer: ReturnType<typeof setTimeout> | undefined
let missed = false

const isLive = (target: unknown): target is HTMLElement => target instanceof HTMLElement && target.hasAttribute('data-live')

/**
 * The region's URL with the address bar's query, every value of a repeated parameter (/compare's
 * fw) included: the reader's choices (the range picker, the compare form, the variants link) put
 * the state there. The region's own parameters stand in for those the address bar leaves out (a
 * bare /frameworks/express is its ?range=90d), every value of a repeated one (a bare /compare is
 * its fw=django&fw=express…).
 */
function liveUrl(region: HTMLElement): string {
  const own = new URL(region.getAttribute('hx-get')!, location.href)
  const query = new URLSearchParams(location.search)
  // Decided per key before any is copied: `has` after the first copied value would skip the
  // rest of a repeated key (a bare /compare's fw=django&fw=express).
  const missing = new Set([...own.searchParams.keys()].filter((key) => !query.has(key)))
  for (const key of missing) for (const value of own.searchParams.getAll(key)) query.append(key, value)
  const search = query.toString()
  return own.pathname + (search ? `?${search}` : '')
}

const ask = (region: Element) => region.dispatchEvent(new CustomEvent('live-poll'))

/** The wait before the next round: the server's interval, doubled for each failed round in a row. */
const wait = () => (failures === 0 ? pollMs : Math.min(pollMs * 2 ** failures, Math.max(MAX_BACKOFF_MS, pollMs)))

function schedule(): void {
  clearTimeout(timer)
  timer = setTimeout(poll, wait())
}

/** A new pace counts from now, unless polling is paused (a hidden tab catches up when shown). */
function repace(): void {
  if (timer !== undefined) schedule()
}

function poll(): void {
  timer = undefined
  if (document.visibilityState === 'hidden') {
    missed = true
    return
  }
  missed = false
  round++
  document.querySelectorAll('[data-live]').forEach(ask)
  schedule()
}

/** A 200 or 304: the server's interval applies again, and the region says it is live. */
function answered(region: HTMLElement, response: { headers: Headers }): void {
  region.classList.add('live-on')
  region.classList.remove('live-offline')
  const before = wait()
  const seconds = Number(response.headers.get('X-Live-Poll-Seconds'))
  if (seconds > 0) pollMs = seconds * 1000
  failures = 0
  if (wait() !== before) repace()
}

/** No answer, or a 5xx: the region says so, and the next round waits twice as long. */
function failed(region: HTMLElement): void {
  region.classList.add('live-offline')
  // Once per round, however many regions failed in it (or late, from an earlier round).
  if (failedRound === round) return
  failedRound = round
  failures++
  repace()
}

/**
 * fetch for a poll: with a timeout, and an unreachable server reported to htmx as an abort, which
 * it does not log. htmx logs every other failed request to the console, once per poll; here a
 * failure is expected, and the backoff and the region's "offline" note deal with it.
 */
function pollFetch(ctx: HtmxContext): typeof fetch {
  return async (input, init) => {
    const signals = [init?.signal, AbortSignal.timeout?.(POLL_TIMEOUT_MS)].filter((s): s is AbortSignal => !!s)
    const signal = signals.length > 1 && typeof AbortSignal.any === 'function' ? AbortSignal.any(signals) : init?.signal
    try {
      return await fetch(input, { ...init, signal })
    } catch (error) {
      // htmx's own abort (the region left the page, a timeout of its own) is htmx's to report.
      if (init?.signal?.aborted) throw error
      ctx.liveUnreachable = true
      throw new DOMException('server unreachable', 'AbortError')
    }
  }
}

// Regions are asked at once: the page may be older than the data (a tab restored, the back
// button), and the first answer tells the interval. In a later task than DOMContentLoaded, as
// htmx initializes the page in a task of its own (queued earlier, so it has run by then).
document.addEventListener('DOMContentLoaded', () => {
  if (document.querySelector('[data-live]')) setTimeout(poll)
})

// Morphing copies the server's attributes onto the kept elements and drops the others: keep what
// this page added itself (Chart.js's canvas size, the bar charts' frame height; the server never
// sends a style attribute, the CSP forbids them) and the reader's open data tables.
;(window as unknown as { htmx?: Htmx }).htmx?.registerExtension('live-morph', {
  htmx_before_morph_attr: (elt: Element, detail: { attrName: string }) =>
    !(
      detail.attrName === 'style' ||
      (elt instanceof HTMLCanvasElement && (detail.attrName === 'width' || detail.attrName === 'height')) ||
      (elt instanceof HTMLDetailsElement && detail.attrName === 'open')
    ),
})

document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible' && missed) poll()
})
// Back to a page kept in the back-forward cache: its data may be old.
addEventListener('pageshow', (event) => {
  if (event.persisted && document.querySelector('[data-live]')) poll()
})

document.addEventListener('htmx:config:request', (event) => {
  const region = event.target
  if (!isLive(region)) return
  const { ctx } = (event as HtmxEvent).detail
  ctx.request.action = liveUrl(region)
  if (region.dataset.etag) ctx.request.headers['If-None-Match'] = region.dataset.etag
  // Past the browser's cache: a 304 it revalidated would reach htmx as the stored 200, swapped
  // again for nothing. With no-store the server's 304 itself arrives, and is not swapped.
  ctx.request.cache = 'no-store'
  ctx.fetch = pollFetch(ctx)
})

document.addEventListener('htmx:finally:request', (event) => {
  const region = event.target
  if (!isLive(region)) return
  const { ctx } = (event as HtmxEvent).detail
  const status = ctx.response?.status
  if (ctx.liveUnreachable || (status !== undefined && status >= 500)) failed(region)
  else if (ctx.response && (status === 200 || status === 304)) answered(region, ctx.response)
})

document.addEventListener('htmx:before:swap', (event) => {
  const region = event.target
  if (!isLive(region)) return
  const { ctx } = (event as HtmxEvent).detail
  // Only fresh content for what the region shows now: never an error page (htmx 4 swaps 4xx and
  // 5xx), never the answer for a state the reader has left meanwhile (another range, another
  // /compare choice: the address bar has moved on).
  if (ctx.response?.status !== 200 || ctx.request.action !== liveUrl(region)) event.preventDefault()
})

// The region's tag follows what it shows: after a poll's swap, and after the /compare form's, whose
// fragment is the region's (same bytes, same ETag), so the next poll is a 304 again.
document.addEventListener('htmx:after:swap', (event) => {
  const ctx = (event as HtmxEvent).detail?.ctx
  const region = ctx?.target
  if (!ctx || !isLive(region) || ctx.response?.status !== 200) return
  const etag = ctx.response.headers.get('ETag')
  if (etag) region.dataset.etag = etag
  else delete region.dataset.etag
})
