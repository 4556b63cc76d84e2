import { sql } from 'kysely'
import { REGISTRIES } from '../../catalog/catalog.js'
import { addDays, toDay } from '../../days.js'
import type { Db } from '../database.js'
import type { BenchmarkSource } from '../schema.js'

export interface ClaimFramework {
  id: number
  slug: string
  name: string
  language: string
  /** The registries in its catalog entry (maven included, though Maven Central counts nothing). */
  registries: string[]
}

/** One day's downloads of a framework on one registry, summed over its packages. */
export interface DownloadDay {
  framework_id: number
  source: string
  day: string
  value: number
}

export interface StarsNow {
  framework_id: number
  day: string
  value: number
  fetched_at: Date
}

export interface StableRelease {
  framework_id: number
  version: string
  published_at: Date
  fetched_at: Date
}

/** A tracked framework's result in the newest run of a benchmark source. */
export interface BenchmarkEntry {
  source: BenchmarkSource
  run_name: string
  run_date: Date | null
  imported_at: Date
  framework_id: number
  test_type: string
  variant: string
  represents: boolean
  concurrency: number
  requests_per_s: number | null
  rank: number | null
  out_of: number | null
}

/** Everything the verdict engine reads, in a few queries however much is stored. */
export interface ClaimInputs {
  frameworks: ClaimFramework[]
  downloads: DownloadDay[]
  /** Newest fetch of each framework's downloads and star history. */
  fetched: Map<string, Date>
  stars: StarsNow[]
  starsGiven: DownloadDay[]
  releases: StableRelease[]
  benchmarks: BenchmarkEntry[]
}

// Rules look back at most 365 days, twice for growth; older rows are never read.
const LOOKBACK_DAYS = 2 * 365 + 7

export const fetchedKey = (frameworkId: number, metric: string): string => `${frameworkId}:${metric}`

/** One query after another, like eventInputs: a failing one leaves none running on a closing pool. */
export async function claimInputs(db: Db, now: Date): Promise<ClaimInputs> {
  const since = addDays(toDay(now), -LOOKBACK_DAYS)
  const frameworks = await trackedFrameworks(db)
  const downloads = await dailySums(db, 'downloads', since)
  const starsGiven = await dailySums(db, 'stars_retained', since)
  const fetched = await newestFetches(db)
  const stars = await db
    .selectFrom('observations')
    .select(['framework_id', 'day', 'value', 'fetched_at'])
    .distinctOn('framework_id')
    .where('metric', '=', 'stars')
    .orderBy('framework_id')
    .orderBy('day', 'desc')
    .execute()
  const releases = await db
    .selectFrom('releases')
    .select(['framework_id', 'version', 'published_at', 'fetched_at'])
    .distinct()
    .where('prerelease', '=', false)
    .where('published_at', '>=', new Date(`${since}T00:00:00Z`))
    .orderBy('framework_id')
    .orderBy('version')
    .execute()
  return { frameworks, downloads, fetched, stars, starsGiven, releases, benchmarks: await newestBenchmarks(db) }
}

async function trackedFrameworks(db: Db): Promise<ClaimFramework[]> {
  const rows = await db
    .selectFrom('frameworks as f')
    .leftJoin('framework_sources as s', 's.framework_id', 'f.id')
    .select(['f.id', 'f.slug', 'f.name', 'f.language', 's.source'])
    .where('f.tracked', '=', true)
    .orderBy('f.position')
    .orderBy('s.source')
    .execute()
  const byId = new Map<number, ClaimFramework>()
  for (const row of rows) {
    const fw = byId.get(row.id) ?? { id: row.id, slug: row.slug, name: row.name, language: row.language, registries: [] }
    if (row.source && (REGISTRIES as readonly string[]).includes(row.source) && !fw.registries.includes(row.source)) {
      fw.registries.push(row.source)
    }
    byId.set(row.id, fw)
  }
  return [...byId.values()]
}

function dailySums(db: Db, metric: string, since: string): Promise<DownloadDay[]> {
  return db
    .selectFrom('observations')
    .select(['framework_id', 'source', 'day'])
    .select(sql<number>`sum(value)::float8`.as('value'))
    .where('metric', '=', metric)
    .where('day', '>=', since)
    .groupBy(['framework_id', 'source', 'day'])
    .orderBy('framework_id')
    .orderBy('source')
    .orderBy('day')
    .execute()
}

async function newestFetches(db: Db): Promise<Map<string, Date>> {
  const rows = await db
    .selectFrom('observations')
    .select(['framework_id', 'metric'])
    .select((eb) => eb.fn.max('fetched_at').as('fetched_at'))
    .where('metric', 'in', ['downloads', 'stars_retained'])
    .groupBy(['framework_id', 'metric'])
    .execute()
  return new Map(rows.map((r) => [fetchedKey(r.framework_id, r.metric), new Date(r.fetched_at)]))
}

/** Every tracked framework's results in the newest run of each source (as /benchmarks shows it). */
async function newestBenchmarks(db: Db): Promise<BenchmarkEntry[]> {
  const newest = db
    .selectFrom('benchmark_runs')
    .select('id')
    .distinctOn('source')
    .orderBy('source')
    .orderBy('completed_at', (ob) => ob.desc().nullsLast())
    .orderBy('id', 'desc')
  return db
    .selectFrom('benchmark_results as r')
    .innerJoin('benchmark_runs as b', 'b.id', 'r.run_id')
    .innerJoin('frameworks as f', 'f.id', 'r.framework_id')
    .select(['b.source', 'b.name as run_name', 'b.completed_at as run_date', 'b.imported_at'])
    .select(['r.test_type', 'r.variant', 'r.represents', 'r.concurrency', 'r.requests_per_s', 'r.rank', 'r.out_of'])
    .select('f.id as framework_id')
    .where('r.run_id', 'in', newest)
    .where('f.tracked', '=', true)
    .orderBy('f.id')
    .orderBy('r.test_type')
    .orderBy('r.concurrency')
    .orderBy('r.variant')
    .execute()
}
