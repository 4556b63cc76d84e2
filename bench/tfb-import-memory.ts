// Peak memory of a TechEmpower import (BENCHMARKS.md, "Benchmark import"):
//   node_modules/.bin/tsx bench/tfb-import-memory.ts [file]           read, digest, parse, reduce
//   node_modules/.bin/tsx bench/tfb-import-memory.ts [file] --store   the whole job into in-memory PGlite
// resourceUsage().maxRSS is the process's high-water mark, so "before" includes tsx and the modules.
import { readFile } from 'node:fs/promises'
import { loadCatalog } from '../src/catalog/catalog.js'
import { sha256Of } from '../src/jobs/benchmark-job.js'
import { toTechempowerRun } from '../src/jobs/sources/techempower.js'

const file =
  process.argv[2]?.startsWith('--') === false
    ? process.argv[2]
    : 'tests/fixtures/techempower/results-2019-citrine.json'
const mb = (kib: number) => `${(kib / 1024).toFixed(1)} MB`
const catalog = loadCatalog()
const importJob = process.argv.includes('--store') ? await storingJob() : undefined
const before = process.resourceUsage().maxRSS
const started = performance.now()
if (importJob) {
  console.log(await importJob())
} else {
  const text = await readFile(file, 'utf8')
  const parsed = toTechempowerRun(JSON.parse(text), catalog, {
    label: file,
    sha256: sha256Of(text),
  })
  console.log(`parsed ${parsed.results.length} results`)
}
const peak = process.resourceUsage().maxRSS
console.log(
  `${file}: ${(performance.now() - started).toFixed(0)} ms; peak RSS ${mb(before)} before, ${mb(peak)} after (+${mb(peak - before)})`,
)

// Loaded only with --store: PGlite alone costs several hundred MB of RSS.
async function storingJob() {
  const { openDatabase } = await import('../src/db/database.js')
  const { migrateToLatest } = await import('../src/db/migrate.js')
  const { syncCatalog } = await import('../src/db/writes.js')
  const { loadConfig } = await import('../src/config.js')
  const { httpClientFactory } = await import('../src/jobs/jobs.js')
  const { runTechempower } = await import('../src/jobs/techempower-job.js')
  const { createLogger } = await import('../src/logger.js')
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
  return async () => {
    const [result] = await runTechempower(ctx, {
      locations: [file],
      maxBodyBytes: 64 * 1024 * 1024,
      catalogFile: config.CATALOG_FILE,
    })
    await handle.close()
    return `stored ${result!.rowsWritten} results (${result!.status})`
  }
}
