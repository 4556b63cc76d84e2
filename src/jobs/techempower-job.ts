import { z } from 'zod'
import { loadCatalog, type CatalogEntry } from '../catalog/catalog.js'
import { hasBenchmarkRun, importedFrom } from '../db/queries/benchmarks.js'
import {
  digesting,
  openDocument,
  runBenchmarkJob,
  SKIPPED,
  storeRun,
  type BenchmarkJobOptions,
  type Digest,
  type ImportOutcome,
  type OpenedDocument,
} from './benchmark-job.js'
import type { HttpClient } from './http.js'
import type { RunContext, SubjectResult } from './run-source.js'
import { parseShape } from './sources/benchmark.js'
import { readTechempowerFile, type TechempowerDocument } from './sources/techempower-stream.js'

/** Imports each TFB results file in TFB_RESULTS_URLS that is not stored yet. */
export async function runTechempower(
  ctx: RunContext,
  options: BenchmarkJobOptions,
): Promise<SubjectResult[]> {
  const http = ctx.http('techempower')
  if (options.locations.length === 0) {
    ctx.log.info('TFB_RESULTS_URLS is empty: no TechEmpower run to import')
  }
  return runBenchmarkJob(ctx, 'techempower', options.locations, (location) =>
    importLocation(ctx, http, location, {
      maxBytes: options.maxBodyBytes,
      catalog: loadCatalog(options.catalogFile),
    }),
  )
}

// tfb-status `GET /results/{uuid}.json` (techempower.md): a run's metadata, naming its raw file.
const metadataSchema = z.object({
  result: z.object({
    uuid: z.string().min(1),
    jsonFileName: z.string().min(1).nullish(),
    completionTime: z.number().nullish(),
  }),
})

async function importLocation(
  ctx: RunContext,
  http: HttpClient,
  location: string,
  options: { maxBytes: number; catalog: CatalogEntry[] },
): Promise<ImportOutcome> {
  // "A published round never changes" (techempower.md): once imported, a file is not even requested.
  if (await importedFrom(ctx.db, 'techempower', location)) return SKIPPED
  // No validators are sent, so there is no 304: a null here cannot happen.
  let document = (await openDocument(http, 'techempower', location, {
    maxBytes: options.maxBytes,
  }))!
  let read = await readDigested(document)
  if (read.runMetadata !== undefined) {
    const raw = await resultsFileOf(ctx, http, location, read.runMetadata, options.maxBytes)
    if (!raw) return SKIPPED
    document = raw
    read = await readDigested(raw)
  }
  // The file has been read to its end (a truncated one threw above): only now is anything written.
  const parsed = read.file.toRun(options.catalog, read.digest.sha256)
  const written = await storeRun(ctx, parsed, {
    document: { url: document.url, ...read.digest },
    listedAs: location,
  })
  if (written !== null) return { rowsWritten: written, skipped: 0 }
  ctx.log.info({ location, run: parsed.run.run_key }, 'TechEmpower run imported before: skipped')
  return SKIPPED
}

/** Streams a document through the digest and the reducer at once: the file is never held whole. */
async function readDigested(
  document: OpenedDocument,
): Promise<TechempowerDocument & { digest: Digest }> {
  const hashed = digesting(document.chunks)
  const read = await readTechempowerFile(hashed.chunks, document.url)
  return { ...read, digest: hashed.digest() }
}

/** The raw results.json a tfb-status metadata document names, unless the run is unfinished or stored. */
async function resultsFileOf(
  ctx: RunContext,
  http: HttpClient,
  location: string,
  json: unknown,
  maxBytes: number,
): Promise<OpenedDocument | null> {
  const { result } = parseShape('techempower', location, metadataSchema, { result: json })
  if (!result.jsonFileName || result.completionTime == null) {
    // A run in progress publishes a growing file: only a completed run is imported (and only once).
    ctx.log.info(
      { location, uuid: result.uuid },
      'TechEmpower run not complete yet: will try again',
    )
    return null
  }
  if (await hasBenchmarkRun(ctx.db, 'techempower', result.uuid)) return null
  const rawUrl = new URL(`../raw/${encodeURIComponent(result.jsonFileName)}`, location).href
  if (await importedFrom(ctx.db, 'techempower', rawUrl)) return null
  return openDocument(http, 'techempower', rawUrl, { maxBytes })
}
