/** What a rule measured: the value judged and the figures behind it, as the page shows them. */
export interface Measurement {
  value: number
  /** The judged value in words, e.g. "+31.2% mean daily downloads". */
  text: string
  /** Where the figures come from: a registry, GitHub, or a benchmark run by name. */
  source: string
  /** The days measured, inclusive; null for a benchmark run or a current count. */
  period: { from: string; to: string } | null
  /** When the newest figure used was fetched or imported (ISO). */
  fetched_at: string | null
  figures: Array<{ label: string; value: string }>
  /** The page that draws the figures: a framework chart with its range, or /benchmarks. */
  chart: string
}

export type Measured = { ok: true; measurement: Measurement } | { ok: false; reason: string }

export const unmeasurable = (reason: string): Measured => ({ ok: false, reason })
export const measured = (measurement: Measurement): Measured => ({ ok: true, measurement })

const number = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 })
export const fmt = (n: number): string => number.format(n)
export const pct = (n: number): string => `${n > 0 ? '+' : ''}${fmt(n)}%`

/** The framework chart whose range covers `days`: the page's ranges are 30d, 90d, 1y and all. */
export function chartUrl(slug: string, days: number): string {
  const range = days <= 30 ? '30d' : days <= 90 ? '90d' : days <= 365 ? '1y' : 'all'
  return `/frameworks/${slug}?range=${range}#trend-chart`
}
