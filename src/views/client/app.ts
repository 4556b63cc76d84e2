// The one client script: draws every canvas[data-series] with Chart.js, again after each htmx
// swap, and turns absolute <time data-ago> stamps into "n min ago". No inline script anywhere.
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

function draw(canvas: HTMLCanvasElement): void {
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
  root.querySelectorAll<HTMLCanvasElement>('canvas[data-series]').forEach(draw)
  root.querySelectorAll<HTMLTimeElement>('time[data-ago]').forEach((el) => {
    el.title = el.textContent ?? ''
    el.textContent = ago(new Date(el.dateTime))
  })
}

document.addEventListener('DOMContentLoaded', () => enhance(document))
// Chart colours come from CSS variables that follow the colour scheme: redraw when it changes.
matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
  document.querySelectorAll<HTMLCanvasElement>('canvas[data-series]').forEach(draw)
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
