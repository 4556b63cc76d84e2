import type { ReleasesTable } from './schema.js'
import type { Executor } from './writes.js'

export type ReleaseFlag = Pick<ReleasesTable, 'framework_id' | 'source' | 'subject' | 'version' | 'prerelease'>

// 1,000 keys × 4 parameters stays far below Postgres' 65,535 bind-parameter limit.
const CHUNK = 1000

/**
 * Sets releases' pre-release flags, 1,000 rows a statement, and counts the rows it changed. A row
 * already holding the flag is left alone, so of two processes starting at once only one counts
 * (and derives again): Postgres re-checks the condition on a row another update just changed.
 */
export async function setReleaseFlags(db: Executor, rows: ReleaseFlag[]): Promise<number> {
  let changed = 0
  for (const prerelease of [true, false]) {
    const keys = rows.filter((r) => r.prerelease === prerelease)
    for (let i = 0; i < keys.length; i += CHUNK) {
      const chunk = keys.slice(i, i + CHUNK)
      const result = await db
        .updateTable('releases')
        .set({ prerelease })
        .where('prerelease', '=', !prerelease)
        .where((eb) =>
          eb(
            eb.refTuple('framework_id', 'source', 'subject', 'version'),
            'in',
            chunk.map((r) => eb.tuple(r.framework_id, r.source, r.subject, r.version)),
          ),
        )
        .executeTakeFirst()
      changed += Number(result.numUpdatedRows)
    }
  }
  return changed
}
