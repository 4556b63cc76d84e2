import type { CatalogEntry, Registry } from '../../catalog/catalog.js'
import type { NewObservation, NewRelease, SignalName } from '../../db/schema.js'
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
  /** How many frameworks this run visits after this one: what a shared budget must keep for them. */
  laterFrameworks: number
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

/**
 * One kind of data a source collects for a framework, from its own endpoints. run-source runs
 * each as its own unit (its own job_runs row, transaction, validators and state), so an endpoint
 * that fails loses only its own signal: npm's downloads API down leaves the registry's releases.
 */
export interface SourceSignal {
  name: SignalName
  /** Whether it is collected for this framework on this run (false: nothing asked, no row). */
  applies?(framework: CatalogEntry, ctx: SourceContext): Promise<boolean>
  collect(framework: CatalogEntry, ctx: SourceContext): Promise<Collected>
}

export interface Source {
  /** Stored in observations.source / releases.source, e.g. 'npm'. */
  name: string
  /** The catalog identities this source tracks for a framework (none: the source skips it). */
  subjects(framework: CatalogEntry): string[]
  /**
   * Collected in this order for each framework. A signal that needs another's result (GitHub's
   * repository name, whether it publishes releases) reads what that one stored (ctx.state), since
   * the earlier one's transaction is committed, or its last stored state when it failed.
   */
  signals: SourceSignal[]
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
 * `packages.<registry>`). Each signal, in the order given, collects every package one after
 * another into one Collected.
 */
export function packageSource(registry: Registry, signals: Partial<Record<SignalName, CollectPackage>>): Source {
  return {
    name: registry,
    subjects: (framework) => framework.packages[registry] ?? [],
    signals: Object.entries(signals).map(([name, collectPackage]) => ({
      name: name as SignalName,
      async collect(framework, ctx) {
        const out = emptyCollected()
        for (const pkg of framework.packages[registry] ?? []) {
          await collectPackage!(pkg, framework, ctx, out)
        }
        return out
      },
    })),
  }
}
