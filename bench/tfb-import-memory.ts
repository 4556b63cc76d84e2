// Peak memory of a TechEmpower import, the file parsed whole against streamed (BENCHMARKS.md,
// "Benchmark import"):
//   node_modules/.bin/tsx bench/tfb-import-memory.ts            every case below, 3 runs each
//   node_modules/.bin/tsx bench/tfb-import-memory.ts <file> whole|stream [--store]   one run
// `whole` is the import before streaming: the file as one string, its SHA-256, JSON.parse, then
// the same reduction. `stream` is today's: chunks through the digest and @streamparser/json, each
// levels array reduced as it completes. `--store` runs the whole job into an in-memory PGlite.
// Each run is a fresh process: resourceUsage().maxRSS is the process's high-water mark, so
// "before" includes tsx and the modules; RSS also counts garbage not collected yet. One more run
// per case (node --expose-gc, `--live`) collects garbage and samples the heap after each step
// (whole) or each chunk (stream): what the import really holds, at its peak and at the end (the
// results). A synchronous JSON.parse cannot be sampled inside: its figure is a lower bound.
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { loadCatalog } from '../src/catalog/catalog.js'
import { digesting, openDocument } from '../src/jobs/benchmark-job.js'
import { HttpClient } from '../src/jobs/http.js'
import type { ParsedRun } from '../src/jobs/sources/benchmark.js'
import { readTechempowerFile } from '../src/jobs/sources/techempower-stream.js'
import { toTechempowerRun } from '../src/jobs/sources/techempower.js'

const REAL = 'tests/fixtures/techempower/results-2019-citrine.json'
const RUNS = 3
const MB = 1024 * 1024

interface Measurement {
  ms: number
  rssBefore: number
  rssPeak: number
  /** Live heap over the start's, with --live: the highest sample and the last (null otherwise). */
  heapPeak: number | null
  heapEnd: number | null
  results: number
  checksum: string
}

const gc = (globalThis as { gc?: () => void }).gc

const [file, mode] = process.argv.slice(2).filter((a) => !a.startsWith('--'))
if (file && (mode === 'whole' || mode === 'stream')) {
  const measured = process.argv.includes('--store')
    ? await storeOnce(file)
    : await importOnce(file, mode)
  console.log(JSON.stringify(measured))
} else {
  compareAll()
}

async function importOnce(file: string, mode: 'whole' | 'stream'): Promise<Measurement> {
  const catalog = loadCatalog()
  const http = new HttpClient('techempower', {
    timeoutMs: 60_000,
    retries: 0,
    maxBodyBytes: 256 * MB,
    userAgent: 'bench',
    backoffMs: 1,
    hostConcurrency: 1,
  })
  const live = process.argv.includes('--live') && gc !== undefined
  const heap = () => {
    gc?.()
    return process.memoryUsage().heapUsed
  }
  const heapBefore = live ? heap() : 0
  let heapPeak = heapBefore
  let heapEnd = heapBefore
  const sample = () => {
    if (live) heapPeak = Math.max(heapPeak, (heapEnd = heap()))
  }
  const rssBefore = process.resourceUsage().maxRSS * 1024
  const started = performance.now()
  let parsed: ParsedRun
  if (mode === 'whole') {
    const text = await readFile(file, 'utf8')
    sample()
    // The old import hashed the text it had read whole.
    const sha256 = createHash('sha256').update(text).digest('hex')
    const json: unknown = JSON.parse(text)
    sample()
    parsed = toTechempowerRun(json, catalog, { label: file, sha256 })
  } else {
    const opened = (await openDocument(http, 'techempower', file, { maxBytes: 256 * MB }))!
    const hashed = digesting(opened.chunks)
    async function* sampled() {
      for await (const chunk of hashed.chunks) {
        sample()
        yield chunk
      }
    }
    const { file: reduced } = await readTechempowerFile(sampled(), file)
    parsed = reduced.toRun(catalog, hashed.digest().sha256)
  }
  sample()
  const ms = performance.now() - started
  return {
    ms,
    rssBefore,
    rssPeak: process.resourceUsage().maxRSS * 1024,
    heapPeak: live ? heapPeak - heapBefore : null,
    heapEnd: live ? heapEnd - heapBefore : null,
    results: parsed.results.length,
    checksum: createHash('sha256')
      .update(JSON.stringify(parsed.results))
      .digest('hex')
      .slice(0, 12),
  }
}

// The job as production runs it (local path → stream → one transaction), into in-memory PGlite;
// loaded only here: PGlite alone costs several hundred MB of RSS.
async function storeOnce(file: string): Promise<Measurement> {
  const { openDatabase } = await import('../src/db/database.js')
  const { migrateToLatest } = await import('../src/db/migrate.js')
  const { syncCatalog } = await import('../src/db/writes.js')
  const { loadConfig } = await import('../src/config.js')
  const { httpClientFactory } = await import('../src/jobs/jobs.js')
  const { runTechempower } = await import('../src/jobs/techempower-job.js')
  const { createLogger } = await import('../src/logger.js')
  const catalog = loadCatalog()
  const handle = await openDatabase({ dataDir: 'memory://' })
  await migrateToLatest(handle.db)
  await syncCatalog(handle.db, catalog)
  const config = loadConfig({ LOG_LEVEL: 'silent' })
  const ctx = {
    db: handle.db,
    catalog,
    log: createLogger('silent'),
    http: httpClientFactory(config),
  }
  const rssBefore = process.resourceUsage().maxRSS * 1024
  const started = performance.now()
  const [result] = await runTechempower(ctx, {
    locations: [file],
    maxBodyBytes: 256 * MB,
    catalogFile: config.CATALOG_FILE,
  })
  await handle.close()
  const ms = performance.now() - started // with the close, as the script before streaming timed it
  const rssPeak = process.resourceUsage().maxRSS * 1024
  if (result!.status !== 'succeeded') throw new Error(result!.error)
  return {
    ms,
    rssBefore,
    rssPeak,
    heapPeak: null,
    heapEnd: null,
    results: result!.rowsWritten,
    checksum: '',
  }
}

/** Runs every case in fresh processes and prints a Markdown table. */
function compareAll(): void {
  const synthetic = path.join(tmpdir(), 'tfb-synthetic-15mb.json')
  writeSynthetic(synthetic, 15_000_000)
  const cases: [string, string, string[]][] = [
    [REAL, 'whole', []],
    [REAL, 'stream', []],
    [synthetic, 'whole', []],
    [synthetic, 'stream', []],
    [REAL, 'stream', ['--store']],
    [synthetic, 'stream', ['--store']],
  ]
  console.log(
    '| file | mode | time | peak RSS before | peak RSS after | added RSS | live heap: peak, at end | results |',
  )
  console.log('|---|---|---|---|---|---|---|---|')
  const checksums = new Map<string, string>()
  const once = (file: string, mode: string, flags: string[]): Measurement => {
    const node = flags.includes('--live') ? ['--expose-gc'] : []
    const args = [...node, '--import', 'tsx', 'bench/tfb-import-memory.ts', file, mode, ...flags]
    const out = execFileSync(process.execPath, args, { encoding: 'utf8' })
    const run = JSON.parse(out.trim().split('\n').at(-1)!) as Measurement
    // Both modes must give the very same results.
    if (run.checksum && (checksums.get(file) ?? run.checksum) !== run.checksum) {
      throw new Error(`${file}: ${mode} gives other results`)
    }
    if (run.checksum) checksums.set(file, run.checksum)
    return run
  }
  const mb = (n: number) => (n / MB).toFixed(1)
  for (const [file, mode, flags] of cases) {
    const runs = Array.from({ length: RUNS }, () => once(file, mode, flags))
    const range = (pick: (m: Measurement) => number, unit: (n: number) => string) => {
      const values = runs.map(pick).sort((a, b) => a - b)
      const [low, high] = [unit(values[0]!), unit(values.at(-1)!)]
      return low === high ? low : `${low}–${high}`
    }
    const live = flags.includes('--store') ? null : once(file, mode, [...flags, '--live'])
    const heap = live ? `${mb(live.heapPeak!)} MB, ${mb(live.heapEnd!)} MB` : 'n/a (PGlite)'
    const size = `${path.basename(file)} (${(statSync(file).size / 1e6).toFixed(1)} MB)`
    console.log(
      `| ${size} | ${mode}${flags.length ? ' + store' : ''} | ${range(
        (m) => m.ms,
        (n) => n.toFixed(0),
      )} ms | ` +
        `${range((m) => m.rssBefore, mb)} MB | ${range((m) => m.rssPeak, mb)} MB | ` +
        `+${range((m) => m.rssPeak - m.rssBefore, mb)} MB | ${heap} | ${runs[0]!.results} |`,
    )
  }
}

/**
 * The real file with its implementations repeated ("-copy2", "-copy3", ...: rawData entries and
 * testMetadata) until it is at least `bytes` long, in the real file's layout (2-space indent).
 */
function writeSynthetic(out: string, bytes: number): void {
  const real = JSON.parse(readFileSync(REAL, 'utf8')) as {
    rawData: Record<string, Record<string, unknown>>
    testMetadata: { name: string }[]
  }
  const copies = Math.ceil(bytes / statSync(REAL).size) + 1
  for (let copy = 2; ; copy++) {
    for (const [type, tests] of Object.entries(real.rawData)) {
      for (const [name, levels] of Object.entries(tests)) {
        if (name.includes('-copy')) continue
        real.rawData[type]![`${name}-copy${copy}`] = levels
      }
    }
    const metadata = real.testMetadata.filter((m) => !m.name.includes('-copy'))
    real.testMetadata.push(...metadata.map((m) => ({ ...m, name: `${m.name}-copy${copy}` })))
    const text = JSON.stringify(real, null, 2)
    if (text.length >= bytes || copy > copies) {
      writeFileSync(out, text)
      return
    }
  }
}
