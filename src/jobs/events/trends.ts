import { addDays, daysBetween } from '../../days.js'
import type { DailyValue, FrameworkName } from '../../db/queries/events.js'
import { oneLine } from '../../xml-text.js'
import type { EventDraft } from '../events.js'
import { formatCount, formatPct, formatSize, paragraph } from './event-html.js'
import { splitSeries } from './series.js'
import { sourceName } from '../../source-names.js'

// Four whole weeks, so weekday/weekend swings cancel out in both means.
export const TREND_WINDOW_DAYS = 28
// Registries revise their newest days (npm.ts re-reads the last 3): a crossing is judged only on
// days this old, so a late or partial count never makes an event that later data would undo.
export const SETTLE_DAYS = 3
// A window with a day or two missing (an upstream outage) is judged on the days present; with
// more missing it is not judged at all, as a mean of what is left could invent a trend.
export const MAX_MISSING_DAYS = 2

export type Direction = 'up' | 'down'
type State = Direction | 'flat'

export interface TrendCrossing {
  /** Last day of the newer window. */
  day: string
  direction: Direction
  mean: number
  priorMean: number
  changePct: number
}

/**
 * Days on which the mean of the last 28 days moves beyond ±threshold % of the mean of the 28
 * days before. Leaving a trend takes falling back within half the threshold (hysteresis), so a
 * series hovering at the threshold makes one event, not one a day. The first day with two full
 * windows only sets the starting state: a trend already under way when data begins is no change.
 * Windows missing more than MAX_MISSING_DAYS values are not judged.
 */
export function trendCrossings(points: Array<{ day: string; value: number }>, thresholdPct: number): TrendCrossing[] {
  if (points.length === 0) return []
  const first = points[0]!.day
  const mean = windowMeans(first, points)
  const lastJudged = daysBetween(first, points.at(-1)!.day) - SETTLE_DAYS
  const crossings: TrendCrossing[] = []
  let state: State | null = null
  for (let end = 2 * TREND_WINDOW_DAYS - 1; end <= lastJudged; end++) {
    const now = mean(end)
    const prior = mean(end - TREND_WINDOW_DAYS)
    if (now === null || prior === null || prior === 0) continue
    const changePct = (now / prior - 1) * 100
    const next = nextState(state, changePct, thresholdPct)
    if (state !== null && next !== state && next !== 'flat') {
      crossings.push({ day: addDays(first, end), direction: next, mean: now, priorMean: prior, changePct })
    }
    state = next
  }
  return crossings
}

function nextState(state: State | null, changePct: number, threshold: number): State {
  if (changePct >= threshold) return 'up'
  if (changePct <= -threshold) return 'down'
  if (state === 'up' && changePct >= threshold / 2) return 'up'
  if (state === 'down' && changePct <= -threshold / 2) return 'down'
  return 'flat'
}

/** mean(end): the mean of the 28 days ending `end` days after `first`, or null if too many are missing. */
function windowMeans(first: string, points: Array<{ day: string; value: number }>) {
  const span = daysBetween(first, points.at(-1)!.day) + 1
  const sums = new Float64Array(span + 1)
  const missing = new Int32Array(span + 1)
  const values = new Map(points.map((p) => [daysBetween(first, p.day), p.value]))
  for (let i = 0; i < span; i++) {
    const value = values.get(i)
    sums[i + 1] = sums[i]! + (value ?? 0)
    missing[i + 1] = missing[i]! + (value === undefined ? 1 : 0)
  }
  return (end: number): number | null => {
    const start = end - TREND_WINDOW_DAYS + 1
    const absent = start < 0 ? TREND_WINDOW_DAYS : missing[end + 1]! - missing[start]!
    if (absent > MAX_MISSING_DAYS) return null
    return (sums[end + 1]! - sums[start]!) / (TREND_WINDOW_DAYS - absent)
  }
}

/** One event per crossing of each registry package's daily downloads. */
export function trendEvents(
  frameworks: Map<number, FrameworkName>,
  downloads: DailyValue[],
  thresholdPct: number,
): EventDraft[] {
  return splitSeries(downloads).flatMap(({ framework_id, source, subject, points }) => {
    const framework = frameworks.get(framework_id)
    if (!framework) return []
    return trendCrossings(points, thresholdPct).map((c) => toDraft(framework, source, subject, c, thresholdPct))
  })
}

function toDraft(
  framework: FrameworkName,
  source: string,
  subject: string,
  c: TrendCrossing,
  thresholdPct: number,
): EventDraft {
  const from = addDays(c.day, -(TREND_WINDOW_DAYS - 1))
  const priorTo = addDays(from, -1)
  const priorFrom = addDays(priorTo, -(TREND_WINDOW_DAYS - 1))
  const summary = oneLine(
    `${subject} on ${sourceName(source)} averaged ${formatCount(c.mean)} downloads a day from ${from} to ${c.day}, ` +
      `${formatPct(c.changePct)} against ${formatCount(c.priorMean)} a day from ${priorFrom} to ${priorTo} ` +
      `(a trend change is ±${thresholdPct}%).`,
    400,
  )
  return {
    id: `trend:${framework.slug}:${source}:${subject}:${c.day}:${c.direction}`,
    framework_id: framework.id,
    kind: 'trend',
    occurred_at: new Date(`${c.day}T00:00:00Z`),
    title: oneLine(
      `${framework.name}: ${subject} downloads on ${sourceName(source)} ${c.direction} ${formatSize(c.changePct)} (28-day mean)`,
      200,
    ),
    summary,
    content_html: paragraph(summary),
    url: null,
    data: {
      source,
      subject,
      direction: c.direction,
      window_days: TREND_WINDOW_DAYS,
      from,
      to: c.day,
      prior_from: priorFrom,
      prior_to: priorTo,
      mean: c.mean,
      prior_mean: c.priorMean,
      change_pct: c.changePct,
      threshold_pct: thresholdPct,
    },
  }
}
