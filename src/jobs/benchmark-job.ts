import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { insertBenchmarkRun } from '../db/benchmark-writes.js'
import { finishRun, startRun } from '../db/job-runs.js'
import { frameworkIds } from '../db/queries/frameworks.js'
import type { BenchmarkSource } from '../db/schema.js'
import { bumpDataVersion, type Executor } from '../db/writes.js'
import { SourceError } from './errors.js'
import type { HttpClient, Validators } from './http.js'
import { describeError, type RunContext, type SubjectResult } from './run-source.js'
import type { ParsedRun } from './sources/benchmark.js'

export interface BenchmarkJobOptions {
  locations: string[]
  maxBodyBytes: number
  /**
   * Read at each run rather than taken from the run context: a run is imported once, so it is
   * matched against the whole catalog even when `npm run sync -- --framework` narrows the others.
   */
  catalogFile: string
}

export interface ImportOutcome {
  rowsWritten: number
  /** Nothing new: already imported, 304 Not Modified, or not published yet. */
  skipped: number
}

export const SKIPPED: ImportOutcome = { rowsWritten: 0, skipped: 1 }

/**
 * One job_runs row per job run, like the guide's. Each configured location is imported in its own
 * transaction: one failing never stops the others or leaves a partial run; every failure is named
 * in the row's error, and the job never throws.
 */
export async function runBenchmarkJob(
  ctx: RunContext,
  source: BenchmarkSource,
  locations: string[],
  importOne: (location: string) => Promise<ImportOutcome>,
): Promise<SubjectResult[]> {
  const runId = await startRun(ctx.db, { job: source, source, frameworkId: null })
  let rowsWritten = 0
  let skipped = 0
  const errors: string[] = []
  for (const location of locations) {
    try {
      const outcome = await importOne(location)
      rowsWritten += outcome.rowsWritten
      skipped += outcome.skipped
    } catch (error) {
      errors.push(describeError(error))
      ctx.log.warn({ source, location, err: errors.at(-1) }, 'benchmark import failed')
    }
  }
  const error = errors.length > 0 ? errors.join('\n') : undefined
  const status = error ? 'failed' : 'succeeded'
  await finishRun(ctx.db, runId, {
    status,
    rowsWritten,
    notModified: skipped,
    error: error ?? null,
  })
  ctx.log.info({ source, rowsWritten, skipped, failed: errors.length }, 'benchmark import finished')
  const result: SubjectResult = {
    source,
    framework: '*',
    status,
    rowsWritten,
    notModified: skipped,
    ...(error ? { error } : {}),
  }
  ctx.onResult?.(result, 1, 1)
  return [result]
}

export interface Document extends Digest {
  /** Where the text came from: the URL, or the local path as configured. */
  url: string
  text: string
  validators: Validators | null
}

/** A document whose body is read as it arrives, in byte chunks, never held whole. */
export interface OpenedDocument {
  /** The URL, or the local path as configured. */
  url: string
  /** Iterate to the end (or stop early with `break`): an unread HTTP body holds its connection. */
  chunks: AsyncIterable<Uint8Array>
  validators: Validators | null
}

/** What identifies a file's bytes: its SHA-256 and length, taken as it streams. */
export interface Digest {
  sha256: string
  bytes: number
}

/**
 * An http(s) URL through the shared client (timeout, size cap, retries, rate limits), or a local
 * file, opened as a stream of chunks; the size cap holds for both. Null on 304 Not Modified.
 */
export async function openDocument(
  http: HttpClient,
  source: BenchmarkSource,
  location: string,
  options: { maxBytes: number; validators?: Validators | undefined },
): Promise<OpenedDocument | null> {
  if (/^https?:\/\//i.test(location)) {
    const response = await http.getStream({
      url: location,
      framework: null,
      validators: options.validators,
    })
    return response.notModified
      ? null
      : { url: location, chunks: response.body, validators: response.validators }
  }
  const path = location.startsWith('file://') ? fileURLToPath(location) : location
  let size: number
  try {
    size = (await stat(path)).size
  } catch (cause) {
    throw cannotRead(source, location, cause)
  }
  if (size > options.maxBytes) {
    const detail = `${location} is ${size} bytes, over the ${options.maxBytes}-byte limit`
    throw new SourceError(source, null, detail)
  }
  return {
    url: location,
    chunks: fileChunks(source, location, path, options.maxBytes),
    validators: null,
  }
}

// The cap is checked again while reading: a file can grow between stat() and the last chunk.
async function* fileChunks(
  source: BenchmarkSource,
  location: string,
  path: string,
  maxBytes: number,
): AsyncGenerator<Uint8Array, void, undefined> {
  let size = 0
  try {
    // Opened on the first read, and closed by for-await however the loop ends.
    for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
      size += chunk.byteLength
      if (size > maxBytes) {
        throw new SourceError(source, null, `${location} exceeds the ${maxBytes}-byte limit`)
      }
      yield chunk
    }
  } catch (cause) {
    if (cause instanceof SourceError) throw cause
    throw cannotRead(source, location, cause)
  }
}

const cannotRead = (source: BenchmarkSource, location: string, cause: unknown) =>
  new SourceError(
    source,
    null,
    `cannot read ${location}: ${(cause as NodeJS.ErrnoException).code ?? cause}`,
    { cause },
  )

/** The whole text of a document (the-benchmarker's file is small); null on 304 Not Modified. */
export async function loadDocument(
  http: HttpClient,
  source: BenchmarkSource,
  location: string,
  options: { maxBytes: number; validators?: Validators | undefined },
): Promise<Document | null> {
  const opened = await openDocument(http, source, location, options)
  if (!opened) return null
  // The digest is of the bytes, as for a streamed TFB file, not of the decoded text.
  const read = digesting(opened.chunks)
  const decoder = new TextDecoder()
  let text = ''
  for await (const chunk of read.chunks) text += decoder.decode(chunk, { stream: true })
  return { url: opened.url, text: text + decoder.decode(), validators: opened.validators, ...read.digest() }
}

/**
 * Passes the chunks through unchanged while hashing them, so a streamed file is digested without
 * being held; `digest()` answers once the last chunk has passed.
 */
export function digesting(chunks: AsyncIterable<Uint8Array>): {
  chunks: AsyncIterable<Uint8Array>
  digest: () => Digest
} {
  const hash = createHash('sha256')
  let bytes = 0
  let digest: Digest | null = null
  async function* pass(): AsyncGenerator<Uint8Array, void, undefined> {
    for await (const chunk of chunks) {
      hash.update(chunk)
      bytes += chunk.byteLength
      yield chunk
    }
    digest = { sha256: hash.digest('hex'), bytes }
  }
  return {
    chunks: pass(),
    digest: () => {
      if (!digest) throw new Error('the digest is known only once the whole file has been read')
      return digest
    },
  }
}

/**
 * Stores a parsed run with its results, in one transaction with `alsoInTransaction` (validators):
 * returns the results written, or null when the run was imported before (nothing written).
 */
export async function storeRun(
  ctx: RunContext,
  parsed: ParsedRun,
  file: { document: { url: string } & Digest; listedAs: string },
  alsoInTransaction?: (trx: Executor, now: Date) => Promise<void>,
): Promise<number | null> {
  const ids = await frameworkIds(ctx.db)
  const now = ctx.now?.() ?? new Date()
  const { url, sha256, bytes } = file.document
  const run = {
    ...parsed.run,
    levels: JSON.stringify(parsed.run.levels),
    url,
    listed_as: file.listedAs,
    sha256,
    bytes,
    imported_at: now,
  }
  const results = parsed.results.map(({ slug, metadata, raw, ...result }) => ({
    ...result,
    framework_id: slug === null ? null : (ids.get(slug) ?? null),
    metadata: JSON.stringify(metadata),
    raw: JSON.stringify(raw),
  }))
  return ctx.db.transaction().execute(async (trx) => {
    const written = await insertBenchmarkRun(trx, run, results)
    await alsoInTransaction?.(trx, now)
    if (written !== null) await bumpDataVersion(trx)
    return written
  })
}
