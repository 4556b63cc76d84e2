import { REGISTRIES, type CatalogEntry, type Registry } from '../catalog/catalog.js'
import { storedReleaseFlags, type StoredReleaseFlag } from '../db/queries/release-flags.js'
import { setReleaseFlags } from '../db/release-flag-writes.js'
import { bumpDataVersion } from '../db/writes.js'
import { isPrerelease, tagScheme } from '../versions.js'
import { runEvents, type EventJobOptions } from './events-job.js'
import type { RunContext, SubjectResult } from './run-source.js'
import { runVerdicts, type VerdictJobOptions } from './verdicts-job.js'

export type ReclassifyOptions = EventJobOptions & VerdictJobOptions

export interface Reclassified {
  /** Stored releases whose pre-release flag changed. */
  changed: number
  /** The events and verdicts steps, run again when a flag changed; none otherwise. */
  derived: SubjectResult[]
}

/**
 * At start, every stored release is classified again by versions.ts, the rules the adapters use.
 * A release stored under an older rule (npm's 1.0.0rc4 once counted as stable) would otherwise
 * stay wrong until its upstream changed, since the registries answer unchanged documents with a
 * 304 and nothing is parsed again. Cadence and release counts are read from the flags at query
 * time; the events and verdicts stored from them are derived again when any flag changed.
 */
export async function reclassifyStoredReleases(ctx: RunContext, options: ReclassifyOptions): Promise<Reclassified> {
  const bySlug = new Map(ctx.catalog.map((f) => [f.slug, f]))
  const wrong = (await storedReleaseFlags(ctx.db)).flatMap((row) => {
    const prerelease = classify(row, bySlug.get(row.slug))
    return prerelease === row.prerelease ? [] : [{ ...row, prerelease }]
  })
  if (wrong.length === 0) return { changed: 0, derived: [] }
  const changed = await ctx.db.transaction().execute(async (trx) => {
    const n = await setReleaseFlags(trx, wrong)
    // Pages read the flags: every process's render cache must see the change.
    if (n > 0) await bumpDataVersion(trx)
    return n
  })
  // Another process starting at the same moment may have set them first: it derives then.
  if (changed === 0) return { changed: 0, derived: [] }
  ctx.log.info({ changed }, 'reclassified stored releases')
  const events = await runEvents(ctx, options)
  return { changed, derived: [events, await runVerdicts(ctx, options)] }
}

/**
 * A registry's row by its registry's rules. A GitHub row keeps a stored `true`, which may be
 * GitHub's own flag (authoritative, and not stored apart), and is otherwise judged as its tag
 * under the framework's registry rules, as github-releases.ts and github-tags.ts do.
 */
function classify(row: StoredReleaseFlag, framework: CatalogEntry | undefined): boolean {
  if ((REGISTRIES as readonly string[]).includes(row.source)) return isPrerelease(row.source as Registry, row.version)
  if (row.source === 'github') return row.prerelease || isPrerelease(framework ? tagScheme(framework) : null, row.version)
  return row.prerelease
}
