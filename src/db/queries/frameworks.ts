import { REGISTRIES } from '../../catalog/catalog.js'
import type { Db } from '../database.js'
import type { FrameworkRow } from '../schema.js'

export interface FrameworkWithGuide extends FrameworkRow {
  rank: number | null
  heading: string | null
  paragraphs: string[] | null
  post_url: string | null
  post_title: string | null
  post_modified_at: Date | null
  guide_origin: 'snapshot' | 'live' | null
  guide_fetched_at: Date | null
}

function withGuide(db: Db) {
  return db
    .selectFrom('frameworks as f')
    .leftJoin('guide_sections as g', 'g.framework_id', 'f.id')
    .selectAll('f')
    .select([
      'g.rank',
      'g.heading',
      'g.paragraphs',
      'g.post_url',
      'g.post_title',
      'g.post_modified_at',
      'g.origin as guide_origin',
      'g.fetched_at as guide_fetched_at',
    ])
    .where('f.tracked', '=', true)
}

/** Tracked frameworks in the catalog's (the guide's) order, with their guide section if any. */
export async function listFrameworks(db: Db): Promise<FrameworkWithGuide[]> {
  return withGuide(db).orderBy('f.position').execute()
}

export async function frameworkBySlug(db: Db, slug: string): Promise<FrameworkWithGuide | undefined> {
  return withGuide(db).where('f.slug', '=', slug).executeTakeFirst()
}

export async function frameworkIdOf(db: Db, slug: string): Promise<number> {
  const row = await db.selectFrom('frameworks').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()
  return row.id
}

export async function frameworkIds(db: Db): Promise<Map<string, number>> {
  const rows = await db.selectFrom('frameworks').select(['id', 'slug']).execute()
  return new Map(rows.map((r) => [r.slug, r.id]))
}

export interface SourceIdentity {
  framework_id: number
  source: string
  identity: string
  note: string | null
}

/** Which packages/repos each tracked framework has per source, keyed by framework id. */
export async function sourceIdentities(db: Db): Promise<Map<number, SourceIdentity[]>> {
  const rows = await db.selectFrom('framework_sources').selectAll().orderBy('framework_id').execute()
  const map = new Map<number, SourceIdentity[]>()
  for (const row of rows) map.set(row.framework_id, [...(map.get(row.framework_id) ?? []), row])
  return map
}

/**
 * Of the given frameworks, those whose only registry is Maven Central (which publishes no download
 * counts), by name: their downloads are missing for good, not yet.
 */
export async function mavenOnlyFrameworks(db: Db, slugs: readonly string[]): Promise<string[]> {
  if (slugs.length === 0) return []
  const rows = await db
    .selectFrom('framework_sources')
    .innerJoin('frameworks', 'frameworks.id', 'framework_sources.framework_id')
    .select(['frameworks.name', 'framework_sources.source'])
    .where('frameworks.slug', 'in', slugs)
    .where('framework_sources.source', 'in', [...REGISTRIES])
    .execute()
  const names = [...new Set(rows.map((r) => r.name))]
  return names.filter((name) => rows.every((r) => r.name !== name || r.source === 'maven'))
}
