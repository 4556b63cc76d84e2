import type { CatalogEntry, Registry } from '../../catalog/catalog.js'
import type { NewObservation, NewRelease } from '../../db/schema.js'
import type { HttpClient, Validators } from '../http.js'
import type { Metric } from '../../metrics.js'

export type ObservationDraft = Omit<NewObservation, 'framework_id' | 'source' | 'fetched_at' | 'metric'> & { metric: Metric }
export type ReleaseDraft = Omit<NewRelease, 'framework_id' | 'source' | 'fetched_at'>

/** What a source may ask of stored data, without touching the database itself. */
export interface SourceContext {
  http: HttpClient
  /** Newest stored day of a subject's metric, to fetch only what is missing. */
  latestDay(subject: string, metric: string): Promise<string | null>
  /** Newest stored value of a subject's metric (e.g. yesterday's total, to derive a daily count). */
  latestObservation(subject: string, metric: string): Promise<{ day: string; value: number } | null>
  /** Progress this source saved for this framework on an earlier run (see Collected.state). */
  state(key: string): Promise<unknown>
  /** Validators from the last successful fetch of a URL (conditional requests). */
  validators(url: string): Promise<Validators | undefined>
  /** Today in UTC, injectable so tests are deterministic. */
  today: string
  /** Ignore what is stored and fetch the full history window again. */
  backfill: boolean
}

export interface Collected {
  observations: ObservationDraft[]
  releases: ReleaseDraft[]
  /** Validators to store with the rows, in the same transaction (never ahead of the data). */
  validators: Map<string, Validators>
  /** Requests answered 304 Not Modified. */
  notModified: number
  /** Progress to save with the rows (same transaction), e.g. a backfill cursor; keys are per framework. */
  state: Map<string, unknown>
}

export interface Source {
  /** Stored in observations.source / releases.source, e.g. 'npm'. */
  name: string
  /** The catalog identities this source tracks for a framework (none: the source skips it). */
  subjects(framework: CatalogEntry): string[]
  collect(framework: CatalogEntry, ctx: SourceContext): Promise<Collected>
}

export function emptyCollected(): Collected {
  return { observations: [], releases: [], validators: new Map(), notModified: 0, state: new Map() }
}

/** Collects one of a framework's packages into `out`. */
export type CollectPackage = (
  pkg: string,
  framework: CatalogEntry,
  ctx: SourceContext,
  out: Collected,
) => Promise<void>

/**
 * A registry's source: its subjects are the framework's packages there (catalog
 * `packages.<registry>`), collected one after another into one Collected.
 */
export function packageSource(registry: Registry, collectPackage: CollectPackage): Source {
  return {
    name: registry,
    subjects: (framework) => framework.packages[registry] ?? [],
    async collect(framework, ctx) {
      const out = emptyCollected()
      for (const pkg of framework.packages[registry] ?? []) {
        await collectPackage(pkg, framework, ctx, out)
      }
      return out
    },
  }
}
