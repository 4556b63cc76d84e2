import type { Db } from '../database.js'

/** A stored release's key and pre-release flag, with its framework's slug (the catalog's key). */
export interface StoredReleaseFlag {
  framework_id: number
  slug: string
  source: string
  subject: string
  version: string
  prerelease: boolean
}

/** Every stored release's flag, for reclassifying at start (reclassify-releases.ts). */
export function storedReleaseFlags(db: Db): Promise<StoredReleaseFlag[]> {
  return db
    .selectFrom('releases as r')
    .innerJoin('frameworks as f', 'f.id', 'r.framework_id')
    .select(['r.framework_id', 'f.slug', 'r.source', 'r.subject', 'r.version', 'r.prerelease'])
    .orderBy('r.framework_id')
    .orderBy('r.source')
    .orderBy('r.subject')
    .orderBy('r.version')
    .execute()
}
