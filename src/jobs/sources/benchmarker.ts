import { z } from 'zod'
import type { CatalogEntry } from '../../catalog/catalog.js'
import { groupBy } from '../../group-by.js'
import { assignRanks, parseShape, type ParsedRun, type ResultDraft } from './benchmark.js'

// the-benchmarker/web-frameworks data.min.json (the-benchmarker.md): one metric per
// (framework, connection level, label); `-1.0` means "not measured", not a value, and so does
// null (vibed_light's percentiles at 256 connections in the 2026-02-11 file).
const metricSchema = z.object({
  level: z.number().int().positive(),
  label: z.string().min(1),
  value: z.number().nullable(),
  framework_id: z.number().int(),
})

const frameworkSchema = z.object({
  id: z.number().int(),
  // A number (6 for "6.0", 0.128), a string ("4.50") or null.
  version: z.union([z.number(), z.string()]).nullish(),
  label: z.string().min(1),
  language: z.string().min(1),
  website: z.string().nullish(),
})

export const benchmarkerSchema = z.object({
  metrics: z.array(metricSchema),
  frameworks: z.array(frameworkSchema).min(1),
  hardware: z
    .looseObject({
      cpus: z.number().nullish(),
      memory: z.number().nullish(),
      cpu_name: z.string().nullish(),
    })
    .nullish(),
  updated_at: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/, 'must be "YYYY-MM-DD hh:mm:ss UTC"'),
})
type BenchmarkerData = z.infer<typeof benchmarkerSchema>
type Framework = z.infer<typeof frameworkSchema>

export const BENCHMARKER_TEST = 'hello-world'

// Latencies are in seconds in the file; pages show milliseconds like TFB's.
const SECONDS = [
  'average_latency',
  'standard_deviation',
  'percentile50',
  'percentile75',
  'percentile90',
  'percentile99',
  'percentile99999',
]

/** A data.min.json → one run, one result per framework and connection level, ranked per level. */
export function toBenchmarkerRun(
  json: unknown,
  catalog: CatalogEntry[],
  origin: { label: string; url: string },
): ParsedRun {
  const data = parseShape('the-benchmarker', origin.label, benchmarkerSchema, json)
  const frameworks = new Map(data.frameworks.map((f) => [f.id, f]))
  const labels = catalogLabels(catalog)
  const results: ResultDraft[] = []
  const cells = groupBy(data.metrics, (m) => `${m.framework_id}\u0000${m.level}`)
  for (const metrics of cells.values()) {
    const { framework_id: id, level } = metrics[0]!
    const framework = frameworks.get(id)
    // A metric for an id the file does not list cannot be named: there is nothing to show it as.
    if (!framework) continue
    const figures = Object.fromEntries(metrics.map((m) => [m.label, measured(m.value, m.label)]))
    results.push(toResult(framework, level, figures, labels))
  }
  for (const group of groupBy(results, (r) => String(r.concurrency)).values()) assignRanks(group)
  return { run: toRun(data, origin.url), results }
}

function toResult(
  framework: Framework,
  level: number,
  figures: Record<string, number | null>,
  labels: Map<string, CatalogLabel>,
): ResultDraft {
  const name = `${framework.language}/${framework.label}`
  const tracked = labels.get(name)
  return {
    slug: tracked?.slug ?? null,
    framework: name,
    test_type: BENCHMARKER_TEST,
    variant: name,
    metadata: {
      language: framework.language,
      label: framework.label,
      website: framework.website ?? null,
    },
    version:
      framework.version === null || framework.version === undefined
        ? null
        : String(framework.version),
    // The catalog lists a framework's labels with the one people use first; untracked labels each
    // stand for themselves.
    represents: tracked ? tracked.first : true,
    requests_per_s: figures.total_requests_per_s ?? null,
    concurrency: level,
    queries: null,
    latency_avg_ms: figures.average_latency ?? null,
    latency_stdev_ms: figures.standard_deviation ?? null,
    latency_max_ms: null,
    latency_p50_ms: figures.percentile50 ?? null,
    latency_p75_ms: figures.percentile75 ?? null,
    latency_p90_ms: figures.percentile90 ?? null,
    latency_p99_ms: figures.percentile99 ?? null,
    latency_p99999_ms: figures.percentile99999 ?? null,
    rank: null,
    out_of: null,
    raw: figures,
  }
}

/** -1 or null → null ("not measured"); seconds → milliseconds for latencies. */
function measured(value: number | null, label: string): number | null {
  if (value === null || value === -1) return null
  return SECONDS.includes(label) ? value * 1000 : value
}

function toRun(data: BenchmarkerData, url: string): ParsedRun['run'] {
  const hw = data.hardware
  const memory = hw?.memory ? `${Math.round((hw.memory / 1024 / 1024) * 10) / 10} GiB RAM` : null // KiB in the file
  const environment = [hw?.cpu_name, hw?.cpus ? `${hw.cpus} CPUs` : null, memory]
    .filter(Boolean)
    .join(', ')
  const levels = [...new Set(data.metrics.map((m) => m.level))].sort((a, b) => a - b)
  return {
    source: 'the-benchmarker',
    // A new run is a new data.min.json with a new updated_at; the same one again is the same run.
    run_key: data.updated_at,
    // The project names runs by nothing but their date.
    name: data.updated_at,
    uuid: null,
    environment: environment || null,
    hardware: hw ? JSON.stringify(hw) : null,
    started_at: null,
    completed_at: new Date(data.updated_at.replace(' UTC', 'Z').replace(' ', 'T')),
    commit: commitOf(url),
    duration_s: null,
    levels: { connections: levels },
  }
}

// raw.githubusercontent.com/<owner>/<repo>/<ref>/data.min.json: a hex ref is the commit of that run.
function commitOf(url: string): string | null {
  const ref = /^https:\/\/raw\.githubusercontent\.com\/[^/]+\/[^/]+\/([^/]+)\//.exec(url)?.[1]
  return ref && /^[0-9a-f]{7,40}$/.test(ref) ? ref : null
}

interface CatalogLabel {
  slug: string
  first: boolean
}

function catalogLabels(catalog: CatalogEntry[]): Map<string, CatalogLabel> {
  const labels = new Map<string, CatalogLabel>()
  for (const entry of catalog) {
    entry.benchmarker.forEach((name, i) => labels.set(name, { slug: entry.slug, first: i === 0 }))
  }
  return labels
}
