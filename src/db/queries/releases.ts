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

export interface ReleaseFacts {
  version: string
  published_at: Date
  prerelease: boolean
  source: string
  fetched_at: Date
}

/** Every stored release, grouped by framework id, for release cadence. */
export async function releaseFacts(db: Db): Promise<Map<number, ReleaseFacts[]>> {
  const rows = await db
    .selectFrom('releases')
    .select(['framework_id', 'version', 'published_at', 'prerelease', 'source', 'fetched_at'])
    .execute()
  const map = new Map<number, ReleaseFacts[]>()
  for (const { framework_id, ...row } of rows) map.set(framework_id, [...(map.get(framework_id) ?? []), row])
  return map
}
