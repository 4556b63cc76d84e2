import type { Db } from '../database.js'
import type { Metric } from '../../metrics.js'

// GH Archive's first hour of events (github-ossinsight.ts): OSS Insight sees no star before it.
const GH_ARCHIVE_START = '2011-02-12'

/**
 * Whether a framework's stored star history reaches back to its repository's creation, read from
 * the progress the GitHub source saves (source_state, key `<slug>:<key>`):
 * - stars_retained: GitHub's history is fetched newest weeks first, older pages over later runs;
 *   its state's `next` (github-star-history.ts, HistoryState) is null once nothing older is served.
 * - stars_given: OSS Insight is first asked from the creation day (github-ossinsight.ts), so a
 *   stored answer covers everything GH Archive holds, which misses repositories' stars before
 *   GH Archive began.
 * No saved state (a history stored before the cursor was kept) counts as not complete.
 */
export async function starHistoryComplete(db: Db, frameworkId: number, metric: Metric): Promise<boolean> {
  const fw = await db.selectFrom('frameworks').select('slug').where('id', '=', frameworkId).executeTakeFirst()
  if (!fw) return false
  const keys = ['history', 'ossinsight', 'repo'].map((key) => `${fw.slug}:${key}`)
  const rows = await db.selectFrom('source_state').select(['key', 'value']).where('source', '=', 'github').where('key', 'in', keys).execute()
  const state = (key: string) => rows.find((r) => r.key === `${fw.slug}:${key}`)?.value as Record<string, unknown> | undefined
  if (metric === 'stars_retained') return state('history')?.next === null
  const created = state('repo')?.created_at
  return state('ossinsight') !== undefined && typeof created === 'string' && created.slice(0, 10) >= GH_ARCHIVE_START
}
