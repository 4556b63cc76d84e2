import type { CatalogEntry } from '../../catalog/catalog.js'
import { SourceError } from '../errors.js'
import { formatPath } from '../http.js'
import {
  assignRanks,
  groupBy,
  parseShape,
  type ParsedRun,
  type ResultDraft,
  type RunDraft,
} from './benchmark.js'
import {
  entrySchema,
  latencyMs,
  RAW_DATA_KEYS,
  resultsSchema,
  testTypeSchema,
  type TestMetadata,
  type TestType,
  type TfbResults,
} from './techempower-format.js'
import { chosenLevel, successful } from './techempower-rps.js'
import { mainProjects, representative } from './techempower-variant.js'

/** Where a file came from, for error messages, and its digest (the run key of a file without a uuid). */
export interface FileOrigin {
  label: string
  sha256: string
}

/**
 * A TFB results.json → one run and a result per (test type, implementation), every implementation
 * in the file, with requests/s as TFB computes them, ranks over the whole run and the variant that
 * represents each framework marked. Throws a SourceError naming the field on any malformed part.
 */
export function toTechempowerRun(
  json: unknown,
  catalog: CatalogEntry[],
  origin: FileOrigin,
): ParsedRun {
  const file = parseShape('techempower', origin.label, resultsSchema, json)
  const metadata = new Map(file.testMetadata.map((m) => [m.name, m]))
  const slugs = catalogNames(catalog)
  const byKey = new Map<string, ResultDraft>()
  for (const [key, value] of Object.entries(file.rawData)) {
    const type = RAW_DATA_KEYS[key]
    if (!type) continue // commitCounts, slocCounts
    const tests = parseShape('techempower', origin.label, testTypeSchema, value, ['rawData', key])
    for (const [variant, entries] of Object.entries(tests)) {
      const meta = metadata.get(variant)
      const result = toResult(
        file,
        { type, variant, meta, path: ['rawData', key, variant], origin: origin.label },
        entries,
      )
      if (!result) continue
      result.slug = slugs.get(result.framework.toLowerCase()) ?? null
      // A file with both spellings of cached-query keeps one result per implementation.
      byKey.set(`${type}\u0000${variant}`, result)
    }
  }
  const results = [...byKey.values()]
  const projects = mainProjects(metadata.values())
  for (const [type, group] of groupBy(results, (r) => r.test_type)) {
    assignRanks(group)
    markRepresentatives(type as TestType, group, metadata, projects)
  }
  return { run: toRun(file, origin), results }
}

interface Subject {
  type: TestType
  variant: string
  meta: TestMetadata | undefined
  path: (string | number)[]
  origin: string
}

function toResult(file: TfbResults, subject: Subject, rawEntries: unknown[]): ResultDraft | null {
  if (rawEntries.length === 0) return null
  const entries = rawEntries.map((entry, i) =>
    parseShape('techempower', subject.origin, entrySchema, entry, [...subject.path, i]),
  )
  const index = chosenLevel(subject.type, entries)
  const entry = entries[index]!
  return {
    slug: null,
    framework: subject.meta?.framework ?? subject.variant,
    test_type: subject.type,
    variant: subject.variant,
    metadata: subject.meta ?? {},
    version: null,
    represents: false,
    requests_per_s: successful(entry) / file.duration,
    ...levelOf(file, subject, index),
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
  file: TfbResults,
  subject: Subject,
  index: number,
): { concurrency: number; queries: number | null } {
  const [field, list] =
    subject.type === 'plaintext'
      ? (['pipelineConcurrencyLevels', file.pipelineConcurrencyLevels] as const)
      : subject.type === 'query' || subject.type === 'update'
        ? (['queryIntervals', file.queryIntervals] as const)
        : subject.type === 'cached-query'
          ? (['cachedQueryIntervals', file.cachedQueryIntervals] as const)
          : (['concurrencyLevels', file.concurrencyLevels] as const)
  const level = list[index]
  if (level === undefined) {
    const where = formatPath([...subject.path, index])
    throw new SourceError(
      'techempower',
      null,
      `${subject.origin}: ${where}: entry ${index + 1} has no level (${field} lists ${list.length})`,
    )
  }
  if (field === 'queryIntervals' || field === 'cachedQueryIntervals') {
    return { concurrency: Math.max(...file.concurrencyLevels), queries: level }
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

function toRun(file: TfbResults, origin: FileOrigin): RunDraft {
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
