import { z } from 'zod'
import type { CatalogEntry } from '../../catalog/catalog.js'
import { SourceError } from '../errors.js'
import { formatPath } from '../http.js'
import { groupBy } from '../../group-by.js'
import {
  assignRanks,
  parseShape,
  type ParsedRun,
  type ResultDraft,
  type RunDraft,
} from './benchmark.js'
import {
  entrySchema,
  HEADER_FIELDS,
  headerSchema,
  latencyMs,
  levelsSchema,
  rawDataSchema,
  testMetadataListSchema,
  testTypeOf,
  testTypeSchema,
  type Entry,
  type TestMetadata,
  type TestType,
  type TfbHeader,
} from './techempower-format.js'
import { chosenLevel, successful } from './techempower-rps.js'
import { mainProjects, representative } from './techempower-variant.js'

/** Where a file came from, for error messages, and its digest (the run key of a file without a uuid). */
export interface FileOrigin {
  label: string
  sha256: string
}

/** One implementation's levels array reduced to the level whose figure TFB reports. */
interface ReducedTest {
  type: TestType
  variant: string
  path: (string | number)[]
  /** The chosen level's index in the array, and its entry. */
  index: number
  entry: Entry
}

const HEADER = new Set(HEADER_FIELDS)

/**
 * What an import keeps of a TFB results.json while reading it: the header fields, testMetadata,
 * and for each rawData.<type>.<test> array only the level TFB's rule picks, reduced as soon as the
 * array is complete, so memory is bounded by one levels array and the results, not by the file.
 * The pieces may come in any order (the 2019 file has rawData first, duration after it); `toRun`
 * turns them into a run once the file has ended. Each piece is checked with zod as it arrives and
 * throws a SourceError naming its field.
 */
export class TechempowerReducer {
  private readonly header = new Map<string, unknown>()
  private metadata: TestMetadata[] = []
  private readonly tests = new Map<string, ReducedTest>()
  private rawDataSeen = false

  constructor(readonly label: string) {}

  /** Whether the file has a rawData (a tfb-status metadata document has none). */
  get hasRawData(): boolean {
    return this.rawDataSeen
  }

  /** The document begins: it must be an object. */
  root(value: unknown): void {
    this.parse(z.looseObject({}), value)
  }

  /** A top-level field; only the header's (uuid, duration, levels, ...) are kept. */
  field(name: string, value: unknown): void {
    if (HEADER.has(name)) this.header.set(name, value)
  }

  testMetadata(value: unknown): void {
    this.metadata = this.parse(testMetadataListSchema, value, ['testMetadata'])
  }

  /** rawData begins (an object, or any other value to be rejected). */
  rawData(value: unknown): void {
    this.parse(rawDataSchema, value, ['rawData'])
    this.rawDataSeen = true
  }

  /** rawData.<key> begins: for a test type it must be an object of test names. */
  testType(key: string, value: unknown): void {
    if (testTypeOf(key)) this.parse(testTypeSchema, value, ['rawData', key])
  }

  /** rawData.<key>.<variant>, an entry per load level: reduced at once to the level TFB reports. */
  levels(key: string, variant: string, value: unknown): void {
    const type = testTypeOf(key)
    if (!type) return // commitCounts, slocCounts
    const path = ['rawData', key, variant]
    const raw = this.parse(levelsSchema, value, path)
    if (raw.length === 0) return // did not run
    const entries = raw.map((entry, i) => this.parse(entrySchema, entry, [...path, i]))
    const index = chosenLevel(type, entries)
    // A file with both spellings of cached-query keeps one result per implementation.
    this.tests.set(`${type}\u0000${variant}`, {
      type,
      variant,
      path,
      index,
      entry: entries[index]!,
    })
  }

  /**
   * The run and a result per (test type, implementation), every implementation in the file, with
   * requests/s as TFB computes them, ranks over the whole run and the variant that represents each
   * framework marked.
   */
  toRun(catalog: CatalogEntry[], sha256: string): ParsedRun {
    if (!this.rawDataSeen) this.parse(rawDataSchema, undefined, ['rawData'])
    const header = this.parse(headerSchema, Object.fromEntries(this.header))
    const metadata = new Map(this.metadata.map((m) => [m.name, m]))
    const slugs = catalogNames(catalog)
    const results = [...this.tests.values()].map((test) => {
      const result = toResult(header, test, metadata.get(test.variant), this.label)
      result.slug = slugs.get(result.framework.toLowerCase()) ?? null
      return result
    })
    const projects = mainProjects(metadata.values())
    for (const [type, group] of groupBy(results, (r) => r.test_type)) {
      assignRanks(group)
      markRepresentatives(type as TestType, group, metadata, projects)
    }
    return { run: toRun(header, { label: this.label, sha256 }), results }
  }

  private parse<T extends z.ZodType>(schema: T, value: unknown, path: PropertyKey[] = []) {
    return parseShape('techempower', this.label, schema, value, path)
  }
}

/** A whole parsed results.json → the run, through the same reduction as a streamed file. */
export function toTechempowerRun(
  json: unknown,
  catalog: CatalogEntry[],
  origin: FileOrigin,
): ParsedRun {
  const reducer = new TechempowerReducer(origin.label)
  reducer.root(json)
  for (const [name, value] of Object.entries(json as Record<string, unknown>)) {
    if (name === 'testMetadata') reducer.testMetadata(value)
    else if (name !== 'rawData') reducer.field(name, value)
    else {
      reducer.rawData(value)
      for (const [key, tests] of Object.entries(value as Record<string, unknown>)) {
        reducer.testType(key, tests)
        if (!testTypeOf(key)) continue
        for (const [variant, levels] of Object.entries(tests as Record<string, unknown>)) {
          reducer.levels(key, variant, levels)
        }
      }
    }
  }
  return reducer.toRun(catalog, origin.sha256)
}

function toResult(
  header: TfbHeader,
  test: ReducedTest,
  meta: TestMetadata | undefined,
  origin: string,
): ResultDraft {
  const { entry } = test
  return {
    slug: null,
    framework: meta?.framework ?? test.variant,
    test_type: test.type,
    variant: test.variant,
    metadata: meta ?? {},
    version: null,
    represents: false,
    requests_per_s: successful(entry) / header.duration,
    ...levelOf(header, test, origin),
    latency_avg_ms: latencyMs(entry.latencyAvg),
    latency_stdev_ms: latencyMs(entry.latencyStdev),
    latency_max_ms: latencyMs(entry.latencyMax),
    rank: null,
    out_of: null,
    raw: entry,
  }
}

/** Entry i's load: plaintext runs at the pipeline levels; query types vary queries at max concurrency. */
function levelOf(
  header: TfbHeader,
  test: ReducedTest,
  origin: string,
): { concurrency: number; queries: number | null } {
  const { type, index } = test
  const [field, list] =
    type === 'plaintext'
      ? (['pipelineConcurrencyLevels', header.pipelineConcurrencyLevels] as const)
      : type === 'query' || type === 'update'
        ? (['queryIntervals', header.queryIntervals] as const)
        : type === 'cached-query'
          ? (['cachedQueryIntervals', header.cachedQueryIntervals] as const)
          : (['concurrencyLevels', header.concurrencyLevels] as const)
  const level = list[index]
  if (level === undefined) {
    const where = formatPath([...test.path, index])
    throw new SourceError(
      'techempower',
      null,
      `${origin}: ${where}: entry ${index + 1} has no level (${field} lists ${list.length})`,
    )
  }
  if (field === 'queryIntervals' || field === 'cachedQueryIntervals') {
    return { concurrency: Math.max(...header.concurrencyLevels), queries: level }
  }
  return { concurrency: level, queries: null }
}

function markRepresentatives(
  type: TestType,
  results: ResultDraft[],
  metadata: Map<string, TestMetadata>,
  projects: Map<string, string>,
): void {
  for (const [framework, group] of groupBy(results, (r) => r.framework)) {
    const candidates = group.map((r) => ({
      variant: r.variant,
      requestsPerS: r.requests_per_s ?? 0,
      metadata: metadata.get(r.variant),
      result: r,
    }))
    const chosen = representative(
      type,
      candidates,
      projects.get(framework),
    ) as (typeof candidates)[number]
    chosen.result.represents = true
  }
}

function toRun(file: TfbHeader, origin: FileOrigin): RunDraft {
  const at = (ms: number | null | undefined) => (typeof ms === 'number' ? new Date(ms) : null)
  return {
    source: 'techempower',
    // Results files before March 2017 have no uuid: the file's digest then identifies the run.
    run_key: file.uuid ?? `sha256:${origin.sha256}`,
    name: file.name?.trim() || `TechEmpower run ${file.uuid ?? origin.sha256.slice(0, 12)}`,
    uuid: file.uuid ?? null,
    environment: file.environmentDescription?.trim() || null,
    hardware: null,
    started_at: at(file.startTime),
    completed_at: at(file.completionTime),
    commit: file.git?.commitId ?? null,
    duration_s: file.duration,
    levels: {
      concurrency: file.concurrencyLevels,
      pipeline: file.pipelineConcurrencyLevels,
      queries: file.queryIntervals,
      cachedQueries: file.cachedQueryIntervals,
    },
  }
}

/** Catalog TFB names (testMetadata.framework, e.g. "asp.net core"), lower-cased, to slugs. */
function catalogNames(catalog: CatalogEntry[]): Map<string, string> {
  const names = new Map<string, string>()
  for (const entry of catalog) {
    for (const name of entry.techempower) names.set(name.toLowerCase(), entry.slug)
  }
  return names
}
