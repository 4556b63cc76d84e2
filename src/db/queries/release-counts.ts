import { sql } from 'kysely'
import type { Db } from '../database.js'

export interface QuarterCounts {
  framework_id: number
  /** Stable releases per quarter ('2026-07-01' = 2026 Q3); a quarter with only prereleases is 0. */
  quarters: Map<string, number>
  /** The quarter of the framework's first stored release of any kind: before it, nothing is known. */
  first: string
  /** The sources and subjects the versions came from, and when the newest row was fetched. */
  sources: { source: string; subject: string }[]
  fetched_at: Date
}

/**
 * Stable releases per calendar quarter (UTC) of each framework. A registry and GitHub often list
 * the same version ("v5.1.0" on GitHub, "5.1.0" on npm): a version counts once per framework,
 * whichever sources list it, with a leading "v" ignored, dated by its earliest publication and
 * judged stable or not by that earliest row, as release cadence does (src/cadence.ts).
 *
 * ```sql
 * select distinct on (framework_id, regexp_replace(version, '^[vV]', '')) … order by …, published_at
 * ```
 */
export async function stableReleasesPerQuarter(db: Db, frameworkIds: number[]): Promise<Map<number, QuarterCounts>> {
  const out = new Map<number, QuarterCounts>()
  if (frameworkIds.length === 0) return out
  const ids = sql.join(frameworkIds.map((id) => sql`${id}`))
  const [counts, sources] = await Promise.all([
    sql<{ framework_id: number; quarter: string; stable: number | string }>`
      select framework_id, to_char(date_trunc('quarter', published_at at time zone 'UTC'), 'YYYY-MM-DD') as quarter,
        count(*) filter (where not prerelease) as stable
      from (
        select distinct on (framework_id, regexp_replace(version, '^[vV]', '')) framework_id, published_at, prerelease
        from releases where framework_id in (${ids})
        order by framework_id, regexp_replace(version, '^[vV]', ''), published_at, source
      ) versions
      group by 1, 2
      order by 1, 2`.execute(db),
    db
      .selectFrom('releases')
      .select(['framework_id', 'source', 'subject', (eb) => eb.fn.max('fetched_at').as('fetched_at')])
      .where('framework_id', 'in', frameworkIds)
      .groupBy(['framework_id', 'source', 'subject'])
      .orderBy('framework_id')
      .orderBy('source')
      .orderBy('subject')
      .execute(),
  ])
  for (const row of counts.rows) {
    const entry = out.get(row.framework_id) ?? { framework_id: row.framework_id, quarters: new Map(), first: row.quarter, sources: [], fetched_at: new Date(0) }
    entry.quarters.set(row.quarter, Number(row.stable))
    out.set(row.framework_id, entry)
  }
  for (const row of sources) {
    const entry = out.get(row.framework_id)!
    entry.sources.push({ source: row.source, subject: row.subject })
    const fetched = new Date(row.fetched_at)
    if (fetched > entry.fetched_at) entry.fetched_at = fetched
  }
  return out
}
