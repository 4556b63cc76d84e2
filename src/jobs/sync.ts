import { bootstrap } from '../bootstrap.js'
import { loadConfig } from '../config.js'
import { createLogger } from '../logger.js'
import { exitWithStartupError } from '../startup-error.js'
import { httpClientFactory, jobs } from './jobs.js'
import type { SubjectResult } from './run-source.js'

/** `npm run sync`: every job once, in the foreground; exit code 1 if anything failed. */
async function sync(): Promise<void> {
  const config = loadConfig()
  const log = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL)
  const { handle, catalog } = await bootstrap(config, log)
  const ctx = { db: handle.db, catalog, log, http: httpClientFactory(config) }
  const results: SubjectResult[] = []
  try {
    for (const job of jobs(config)) results.push(...(await job.run(ctx)))
  } finally {
    await handle.close()
  }
  printSummary(results)
  process.exitCode = results.some((r) => r.status === 'failed') ? 1 : 0
}

function printSummary(results: SubjectResult[]): void {
  console.table(
    results.map((r) => ({
      source: r.source,
      framework: r.framework,
      status: r.status,
      rows: r.rowsWritten,
      '304s': r.notModified,
      error: r.error ?? '',
    })),
  )
  const failed = results.filter((r) => r.status === 'failed').length
  console.log(failed === 0 ? 'sync finished: all succeeded' : `sync finished: ${failed} failed`)
}

sync().catch(exitWithStartupError)
