import { addDays, toDay } from '../days.js'
import type { Point } from '../db/queries/series.js'

/**
 * Calendar quarters (UTC), named by their first day ('2026-07-01'), so quarterly points share
 * the 'YYYY-MM-DD' shape of daily and weekly ones.
 */
export function quarterOf(day: string): string {
  const month = Number(day.slice(5, 7))
  return `${day.slice(0, 4)}-${String(month - ((month - 1) % 3)).padStart(2, '0')}-01`
}

export function addQuarters(quarter: string, n: number): string {
  const index = Number(quarter.slice(0, 4)) * 4 + (Number(quarter.slice(5, 7)) - 1) / 3 + n
  return `${Math.floor(index / 4)}-${String((index % 4) * 3 + 1).padStart(2, '0')}-01`
}

/** '2026-07-01' → '2026 Q3' */
export function quarterLabel(quarter: string): string {
  return `${quarter.slice(0, 4)} Q${(Number(quarter.slice(5, 7)) + 2) / 3}`
}

/** Quarters need at least this many points to draw a line. */
export const MIN_QUARTERS = 4

export interface QuarterWindow {
  /** The first quarter shown, or null for "from each framework's first release". */
  first: string | null
  /** The newest complete quarter. */
  last: string
  /** The quarter `now` is in: not over, so never drawn (a partial count would read as a dip). */
  current: string
  /** The range was widened to MIN_QUARTERS complete quarters. */
  widened: boolean
}

/**
 * The complete quarters overlapping the last `days` days before `now` (null: all), at least
 * MIN_QUARTERS of them: 30 d would otherwise show one point or none.
 */
export function quarterWindow(days: number | null, now: Date): QuarterWindow {
  const today = toDay(now)
  const current = quarterOf(today)
  const last = addQuarters(current, -1)
  if (days === null) return { first: null, last, current, widened: false }
  const overlapping = quarterOf(addDays(today, -(days - 1)))
  const earliest = addQuarters(last, -(MIN_QUARTERS - 1))
  return overlapping > earliest ? { first: earliest, last, current, widened: true } : { first: overlapping, last, current, widened: false }
}

/**
 * One framework's counts on every quarter from `from` to `to`, quarters without a release as 0
 * (a quarter with none is a real zero, not a gap).
 */
export function fillQuarters(counts: Map<string, number>, from: string, to: string): Point[] {
  const points: Point[] = []
  for (let q = from; q <= to; q = addQuarters(q, 1)) points.push({ day: q, value: counts.get(q) ?? 0 })
  return points
}
