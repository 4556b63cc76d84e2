import type { DailyValue } from '../../db/queries/events.js'

export interface SeriesOf {
  framework_id: number
  source: string
  subject: string
  /** Ordered by day. */
  points: DailyValue[]
}

/** Rows ordered by framework, source, subject and day (as the queries return them) → series. */
export function splitSeries(rows: DailyValue[]): SeriesOf[] {
  const out: SeriesOf[] = []
  for (const row of rows) {
    const last = out.at(-1)
    if (last && last.framework_id === row.framework_id && last.source === row.source && last.subject === row.subject) {
      last.points.push(row)
    } else {
      out.push({ framework_id: row.framework_id, source: row.source, subject: row.subject, points: [row] })
    }
  }
  return out
}
