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

// The series each canvas was last drawn from: a live swap morphs canvases in place, and only those
// whose data changed are drawn again.
const drawn = new WeakMap<HTMLCanvasElement, string>()

function draw(canvas: HTMLCanvasElement, force = false): void {
  if (!force && Chart.getChart(canvas) && drawn.get(canvas) === canvas.dataset.series) return
  drawn.set(canvas, canvas.dataset.series!)
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
        legend: { labels: { color: text, boxWidth: 12 } },
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
// stops while the tab is hidden and catches up when it shows again. The timing lives here, not in
// hx-trigger: a cached page cannot carry the setting, and trigger conditions ([...]) need eval,
// which the CSP forbids.

interface HtmxContext {
  request: { action: string; headers: Record<string, string>; cache?: RequestCache }
  response?: { status: number; headers: Headers }
}
interface Htmx {
  registerExtension(name: string, extension: Record<string, unknown>): unknown
}
type HtmxEvent = CustomEvent<{ ctx: HtmxContext }>

let pollMs = 60_000
let timer: ReturnType<typeof setTimeout> | undefined
let missed = false

const isLive = (target: EventTarget | null): target is HTMLElement => target instanceof HTMLElement && target.hasAttribute('data-live')

/** The region's URL, its query following the address bar (the range picker changes ?range=). */
function liveUrl(region: HTMLElement): string {
  const url = new URL(region.getAttribute('hx-get')!, location.href)
  const page = new URLSearchParams(location.search)
  for (const key of [...url.searchParams.keys()]) {
    const value = page.get(key)
    if (value !== null) url.searchParams.set(key, value)
  }
  return url.pathname + url.search
}

const ask = (region: Element) => region.dispatchEvent(new CustomEvent('live-poll'))

function schedule(): void {
  clearTimeout(timer)
  timer = setTimeout(poll, pollMs)
}

function poll(): void {
  timer = undefined
  if (document.visibilityState === 'hidden') {
    missed = true
    return
  }
  missed = false
  document.querySelectorAll('[data-live]').forEach(ask)
  schedule()
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
  const { request } = (event as HtmxEvent).detail.ctx
  request.action = liveUrl(region)
  if (region.dataset.etag) request.headers['If-None-Match'] = region.dataset.etag
  // Past the browser's cache: a 304 it revalidated would reach htmx as the stored 200, swapped
  // again for nothing. With no-store the server's 304 itself arrives, and is not swapped.
  request.cache = 'no-store'
})

document.addEventListener('htmx:after:request', (event) => {
  const region = event.target
  const response = (event as HtmxEvent).detail.ctx.response
  if (!isLive(region) || !response) return
  const seconds = Number(response.headers.get('X-Live-Poll-Seconds'))
  if (seconds > 0 && seconds * 1000 !== pollMs) {
    pollMs = seconds * 1000
    if (timer !== undefined) schedule()
  }
  if (response.status === 200 || response.status === 304) region.classList.add('live-on')
})

document.addEventListener('htmx:before:swap', (event) => {
  const region = event.target
  if (!isLive(region)) return
  const { ctx } = (event as HtmxEvent).detail
  // Only fresh content for what the region shows now: never an error page (htmx 4 swaps 4xx and
  // 5xx), never the answer for a range the reader has left meanwhile.
  if (ctx.response?.status !== 200 || ctx.request.action !== liveUrl(region)) event.preventDefault()
})

document.addEventListener('htmx:after:swap', (event) => {
  const region = event.target
  const response = (event as HtmxEvent).detail.ctx.response
  if (!isLive(region) || response?.status !== 200) return
  const etag = response.headers.get('ETag')
  if (etag) region.dataset.etag = etag
  else delete region.dataset.etag
})
