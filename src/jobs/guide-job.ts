import { readFileSync } from 'node:fs'
import type { CatalogEntry } from '../catalog/catalog.js'
import type { Db } from '../db/database.js'
import { finishRun, startRun } from '../db/job-runs.js'
import { frameworkIds } from '../db/queries/frameworks.js'
import { validatorsFor } from '../db/queries/sync-state.js'
import { bumpDataVersion, saveValidators, upsertGuideSection, type Executor } from '../db/writes.js'
import type { RunContext, SubjectResult } from './run-source.js'
import { describeError } from './run-source.js'
import { parseGuide, wpPostSchema, type ParsedGuide } from './sources/guide.js'

export const GUIDE_SNAPSHOT_FILE = new URL('../guide/backend-frameworks-2026.wp-post.json', import.meta.url).pathname

/** Fetches the guide post (conditionally) and replaces the stored sections. */
export async function runGuide(ctx: RunContext, guideUrl: string): Promise<SubjectResult[]> {
  const runId = await startRun(ctx.db, { job: 'guide', source: 'guide', frameworkId: null })
  const http = ctx.http('guide')
  try {
    const validators = await validatorsFor(ctx.db, guideUrl)
    const result = await http.getJson({ url: guideUrl, schema: wpPostSchema, framework: null, validators })
    let rowsWritten = 0
    if (!result.notModified) {
      const guide = parseGuide(result.body, ctx.catalog)
      if (guide.sections.length === 0) throw new Error(`guide: no numbered framework sections found in ${guideUrl}`)
      rowsWritten = await storeGuide(ctx.db, guide, 'live', ctx.now?.() ?? new Date(), async (trx, now) =>
        saveValidators(trx, guideUrl, result.validators, now),
      )
      if (guide.unmatched.length > 0) {
        ctx.log.warn({ unmatched: guide.unmatched }, 'guide sections without a catalog entry')
      }
    }
    const notModified = result.notModified ? 1 : 0
    await finishRun(ctx.db, runId, { status: 'succeeded', rowsWritten, notModified })
    ctx.log.info({ source: 'guide', rowsWritten, notModified }, 'guide synced')
    return report(ctx, { source: 'guide', framework: '*', status: 'succeeded', rowsWritten, notModified })
  } catch (error) {
    const message = describeError(error)
    await finishRun(ctx.db, runId, { status: 'failed', error: message })
    ctx.log.warn({ source: 'guide', err: message }, 'guide sync failed')
    return report(ctx, { source: 'guide', framework: '*', status: 'failed', rowsWritten: 0, notModified: 0, error: message })
  }
}

function report(ctx: RunContext, result: SubjectResult): SubjectResult[] {
  ctx.onResult?.(result, 1, 1)
  return [result]
}

/**
 * Loads the bundled copy of the post when no guide text is stored yet, so descriptions show
 * on a machine that has never reached the guide's site. A live fetch later replaces it.
 */
export async function loadGuideSnapshot(db: Db, catalog: CatalogEntry[], file = GUIDE_SNAPSHOT_FILE): Promise<number> {
  const stored = await db.selectFrom('guide_sections').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirst()
  if (Number(stored?.n ?? 0) > 0) return 0
  const post = wpPostSchema.parse(JSON.parse(readFileSync(file, 'utf8')))
  return storeGuide(db, parseGuide(post, catalog), 'snapshot', new Date())
}

async function storeGuide(
  db: Db,
  guide: ParsedGuide,
  origin: 'snapshot' | 'live',
  now: Date,
  alsoInTransaction?: (trx: Executor, now: Date) => Promise<void>,
): Promise<number> {
  const ids = await frameworkIds(db)
  return db.transaction().execute(async (trx) => {
    let rows = 0
    for (const section of guide.sections) {
      const frameworkId = ids.get(section.slug)
      if (frameworkId === undefined) continue
      rows += await upsertGuideSection(trx, {
        framework_id: frameworkId,
        rank: section.rank,
        heading: section.heading,
        paragraphs: JSON.stringify(section.paragraphs),
        post_url: guide.url,
        post_title: guide.title,
        post_modified_at: guide.modifiedAt,
        origin,
        fetched_at: now,
      })
    }
    await alsoInTransaction?.(trx, now)
    if (rows > 0) await bumpDataVersion(trx)
    return rows
  })
}
