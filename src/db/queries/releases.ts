import type { Db } from '../database.js'
import type { ReleaseRow } from '../schema.js'

/** A framework's newest releases across its sources, for the release list and feeds. */
export async function recentReleases(db: Db, frameworkId: number, limit: number): Promise<ReleaseRow[]> {
  return db
    .selectFrom('releases')
    .selectAll()
    .where('framework_id', '=', frameworkId)
    .orderBy('published_at', 'desc')
    .orderBy('version', 'desc')
    .limit(limit)
    .execute()
}
