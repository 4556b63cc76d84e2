import { addDays } from '../../days.js'
import type { ObservationDraft } from './source.js'

export interface Snapshot {
  day: string
  value: number
}

/**
 * Today's running total as a 'downloads_total' snapshot, plus the daily 'downloads' it implies.
 * RubyGems and NuGet publish running totals only ("no download time series", rubygems.md; "There
 * is no time series; snapshot it yourself each day", nuget.md), so a day's count is the difference
 * of two snapshots. `previous` is the newest stored snapshot (SourceContext.latestObservation).
 *
 * - Consecutive days only: the difference is stored when `previous` is exactly yesterday's. After a
 *   gap of n days it covers n days, and spreading it over them would draw a flat line nobody
 *   measured, so the gap stays empty: only the total is stored, and the next day's run resumes.
 * - The difference goes on the earlier day (yesterday): the scheduled runs fetch early in the UTC
 *   day (SCHEDULE_RUBYGEMS 01:07, SCHEDULE_NUGET 03:29), so most of the ~24 h between two
 *   snapshots is yesterday; and, as with npm's and Hex's series, a day appears once it is over.
 * - The first snapshot of a day stands: another run that day writes nothing, so the next
 *   difference still spans about a whole day instead of the hours since the last run.
 * - A total that went down says nothing about downloads (NuGet's leaves out versions unlisted
 *   since, nuget.md): no daily value then, only the total.
 */
export function totalAndDaily(
  subject: string,
  total: number,
  today: string,
  previous: Snapshot | null,
): ObservationDraft[] {
  if (previous?.day === today) return []
  const rows: ObservationDraft[] = [
    { subject, metric: 'downloads_total', day: today, value: total },
  ]
  const yesterday = addDays(today, -1)
  if (previous?.day === yesterday && total >= previous.value) {
    rows.push({ subject, metric: 'downloads', day: yesterday, value: total - previous.value })
  }
  return rows
}
