import type { Bucket, Point } from '../db/queries/series.js'
import type { Smoothing, View } from './options.js'

export interface CompareSeries {
  framework: string
  frameworkName: string
  source: string
  subject: string
  fetchedAt: Date | null
  points: Point[]
}

const WINDOW_DAYS: Record<Smoothing, number> = { none: 1, '7d': 7, '28d': 28 }

/**
 * Rolling mean over the last `smooth` days. Weekly buckets already hold 7 days each, so the
 * window counts weeks there (28 days = 4 weeks, 7 days = the bucket itself). Points before the
 * first full window are dropped rather than drawn from fewer values, and a gap in the data
 * restarts the window, so a partial window never reads as a dip.
 */
export function smooth(points: Point[], smoothing: Smoothing, bucket: Bucket): Point[] {
  const window = bucket === 'week' ? Math.max(1, Math.round(WINDOW_DAYS[smoothing] / 7)) : WINDOW_DAYS[smoothing]
  if (window === 1) return points
  const step = bucket === 'week' ? 7 : 1
  const out: Point[] = []
  let run: Point[] = []
  for (const p of points) {
    const prev = run[run.length - 1]
    if (prev && daysApart(prev.day, p.day) !== step) run = []
    run.push(p)
    if (run.length > window) run.shift()
    if (run.length === window) out.push({ day: p.day, value: run.reduce((a, q) => a + q.value, 0) / window })
  }
  return out
}

/**
 * absolute and log keep values (log drops values ≤ 0, which a log axis cannot show); indexed
 * divides by the first non-zero value. Share needs every tracked framework's series: share.ts.
 */
export function applyView(series: CompareSeries[], view: Exclude<View, 'share'>): CompareSeries[] {
  if (view === 'absolute') return series
  if (view === 'log') return series.map((s) => ({ ...s, points: s.points.filter((p) => p.value > 0) }))
  return series.map((s) => {
    const base = s.points.find((p) => p.value !== 0)?.value
    return { ...s, points: base === undefined ? [] : s.points.map((p) => ({ day: p.day, value: (p.value / base) * 100 })) }
  })
}

/** Evenly thinned to at most `max` points (first and last kept): the ~1,000-point bound, held by construction. */
export function downsample(points: Point[], max = 1000): Point[] {
  if (points.length <= max) return points
  const out: Point[] = []
  for (let i = 0; i < max; i++) out.push(points[Math.round((i * (points.length - 1)) / (max - 1))]!)
  return out
}

function daysApart(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000)
}
