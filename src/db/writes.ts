import { sql, type Transaction } from 'kysely'
import type { CatalogEntry } from '../catalog/catalog.js'
import type { Db } from './database.js'
import type { Validators } from '../jobs/http.js'
import type { Database, NewEvent, NewGuideSection, NewObservation, NewRelease } from './schema.js'

export type Executor = Db | Transaction<Database>

// 1,000 rows × 7 columns stays far below Postgres' 65,535 bind-parameter limit.
const CHUNK = 1000

/** Writes `rows` a chunk per statement and adds up the rows each statement inserted or changed. */
async function inChunks<T>(rows: T[], write: (chunk: T[]) => Promise<{ numInsertedOrUpdatedRows?: bigint | undefined }>): Promise<number> {
  let changed = 0
  for (let i = 0; i < rows.length; i += CHUNK) changed += Number((await write(rows.slice(i, i + CHUNK))).numInsertedOrUpdatedRows ?? 0)
  return changed
}

/**
 * Inserts or updates observations, and counts only rows that are new or whose value changed,
 * so a re-sync of unchanged data reports 0 and leaves the data version alone.
 */
export async function upsertObservations(db: Executor, rows: NewObservation[]): Promise<number> {
  return inChunks(rows, (chunk) =>
    db
      .insertInto('observations')
      .values(chunk)
      .onConflict((oc) =>
        oc
          .columns(['framework_id', 'metric', 'source', 'subject', 'day'])
          .doUpdateSet({ value: (eb) => eb.ref('excluded.value'), fetched_at: (eb) => eb.ref('excluded.fetched_at') })
          .where('observations.value', 'is distinct from', (eb) => eb.ref('excluded.value')),
      )
      .executeTakeFirst(),
  )
}

/** Same contract as upsertObservations, for releases (a version's date or flags can be corrected). */
export async function upsertReleases(db: Executor, rows: NewRelease[]): Promise<number> {
  return inChunks(rows, (chunk) =>
    db
      .insertInto('releases')
      .values(chunk)
      .onConflict((oc) =>
        oc
          .columns(['framework_id', 'source', 'subject', 'version'])
          .doUpdateSet({
            published_at: (eb) => eb.ref('excluded.published_at'),
            prerelease: (eb) => eb.ref('excluded.prerelease'),
            url: (eb) => eb.ref('excluded.url'),
            title: (eb) => eb.ref('excluded.title'),
            notes_html: (eb) => eb.ref('excluded.notes_html'),
            fetched_at: (eb) => eb.ref('excluded.fetched_at'),
          })
          .where(({ or, eb }) =>
            or(
              (['published_at', 'prerelease', 'url', 'title', 'notes_html'] as const).map((col) =>
                eb(`releases.${col}`, 'is distinct from', eb.ref(`excluded.${col}`)),
              ),
            ),
          ),
      )
      .executeTakeFirst(),
  )
}

/** Replaces a framework's guide section; unchanged text (same post revision) writes nothing. */
export async function upsertGuideSection(db: Executor, row: NewGuideSection): Promise<number> {
  const result = await db
    .insertInto('guide_sections')
    .values(row)
    .onConflict((oc) =>
      oc
        .column('framework_id')
        .doUpdateSet({
          rank: (eb) => eb.ref('excluded.rank'),
          heading: (eb) => eb.ref('excluded.heading'),
          paragraphs: (eb) => eb.ref('excluded.paragraphs'),
          post_url: (eb) => eb.ref('excluded.post_url'),
          post_title: (eb) => eb.ref('excluded.post_title'),
          post_modified_at: (eb) => eb.ref('excluded.post_modified_at'),
          origin: (eb) => eb.ref('excluded.origin'),
          fetched_at: (eb) => eb.ref('excluded.fetched_at'),
        })
        .where(({ or, eb }) =>
          or(
            (['rank', 'heading', 'paragraphs', 'post_modified_at', 'origin'] as const).map((col) =>
              eb(`guide_sections.${col}`, 'is distinct from', eb.ref(`excluded.${col}`)),
            ),
          ),
        ),
    )
    .executeTakeFirst()
  return Number(result.numInsertedOrUpdatedRows ?? 0)
}

/**
 * Inserts events whose id is not stored yet and returns how many were new. An existing event is
 * never updated: a re-sync neither duplicates an item nor changes its date or text (upsertEvents
 * is for the events whose content follows their data).
 */
export async function insertEvents(db: Executor, rows: NewEvent[]): Promise<number> {
  return inChunks(rows, (chunk) =>
    db
      .insertInto('events')
      .values(chunk)
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst(),
  )
}

// What a re-derivation may rewrite: never the id, occurred_at or created_at, so an item keeps its
// place and date in every reader.
const REVISABLE = ['kind', 'title', 'summary', 'content_html', 'url', 'data'] as const

/**
 * Inserts new events and rewrites stored ones whose content differs, stamping revised_at with the
 * row's created_at (the derivation time). Counts only rows inserted or changed, so re-deriving
 * unchanged data writes nothing and leaves the data version (and every feed's bytes) alone.
 */
export async function upsertEvents(db: Executor, rows: NewEvent[]): Promise<number> {
  return inChunks(rows, (chunk) =>
    db
      .insertInto('events')
      .values(chunk)
      .onConflict((oc) =>
        oc
          .column('id')
          .doUpdateSet((eb) => ({
            ...Object.fromEntries(REVISABLE.map((col) => [col, eb.ref(`excluded.${col}`)])),
            revised_at: eb.ref('excluded.created_at'),
          }))
          .where(({ or, eb }) => or(REVISABLE.map((col) => eb(`events.${col}`, 'is distinct from', eb.ref(`excluded.${col}`))))),
      )
      .executeTakeFirst(),
  )
}

/** Tells every process's render cache that data changed. */
export async function bumpDataVersion(db: Executor): Promise<void> {
  await db
    .updateTable('data_version')
    .set({ version: sql`version + 1`, changed_at: sql`now()` })
    .execute()
}

/**
 * Mirrors the catalog file into `frameworks` and `framework_sources`. Frameworks removed from
 * the file are marked untracked rather than deleted, so editing the file never destroys history.
 */
export async function syncCatalog(db: Db, catalog: CatalogEntry[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = await catalogFingerprint(trx)
    await trx.updateTable('frameworks').set({ tracked: false }).execute()
    for (const [position, entry] of catalog.entries()) {
      const { id } = await trx
        .insertInto('frameworks')
        .values({
          slug: entry.slug,
          name: entry.name,
          language: entry.language,
          guide_heading: entry.guideHeading,
          position,
          tracked: true,
        })
        .onConflict((oc) =>
          oc.column('slug').doUpdateSet((eb) => ({
            name: eb.ref('excluded.name'),
            language: eb.ref('excluded.language'),
            guide_heading: eb.ref('excluded.guide_heading'),
            position: eb.ref('excluded.position'),
            tracked: true,
          })),
        )
        .returning('id')
        .executeTakeFirstOrThrow()
      await trx.deleteFrom('framework_sources').where('framework_id', '=', id).execute()
      const identities = sourceIdentities(entry).map((s) => ({ ...s, framework_id: id }))
      if (identities.length > 0) await trx.insertInto('framework_sources').values(identities).execute()
    }
    // Every process starts by syncing the catalog: only a real edit may invalidate the pages.
    if ((await catalogFingerprint(trx)) !== before) await bumpDataVersion(trx)
  })
}

async function catalogFingerprint(db: Executor): Promise<string> {
  const frameworks = await db.selectFrom('frameworks').selectAll().orderBy('id').execute()
  const sources = await db.selectFrom('framework_sources').selectAll().orderBy('framework_id').orderBy('source').orderBy('identity').execute()
  return JSON.stringify([frameworks, sources])
}

function sourceIdentities(entry: CatalogEntry) {
  const rows: { source: string; identity: string; note: string | null }[] = []
  for (const [registry, names] of Object.entries(entry.packages)) {
    const note = entry.packageNotes?.[registry as keyof typeof entry.packages] ?? null
    for (const identity of names ?? []) rows.push({ source: registry, identity, note })
  }
  rows.push({ source: 'github', identity: entry.github, note: null })
  for (const identity of entry.techempower) rows.push({ source: 'techempower', identity, note: null })
  return rows
}

/** Stores a URL's validators; called in the transaction that stores the data they vouch for. */
export async function saveValidators(db: Executor, url: string, v: Validators, now: Date): Promise<void> {
  const values = { etag: v.etag, last_modified: v.lastModified, checked_at: now }
  await db
    .insertInto('http_cache')
    .values({ url, ...values })
    .onConflict((oc) => oc.column('url').doUpdateSet(values))
    .execute()
}

/** Saves a source's progress (cursor, budget); in the data's transaction when it vouches for data. */
export async function saveSourceState(db: Executor, source: string, key: string, value: unknown, now: Date): Promise<void> {
  const json = JSON.stringify(value)
  await db
    .insertInto('source_state')
    .values({ source, key, value: json, updated_at: now })
    .onConflict((oc) => oc.columns(['source', 'key']).doUpdateSet({ value: json, updated_at: now }))
    .execute()
}
