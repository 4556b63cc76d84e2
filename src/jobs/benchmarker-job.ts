import { loadCatalog } from '../catalog/catalog.js'
import { validatorsFor } from '../db/queries/sync-state.js'
import { saveValidators } from '../db/writes.js'
import {
  loadDocument,
  runBenchmarkJob,
  SKIPPED,
  storeRun,
  type BenchmarkJobOptions,
} from './benchmark-job.js'
import type { RunContext, SubjectResult } from './run-source.js'
import { parseJsonText } from './sources/benchmark.js'
import { toBenchmarkerRun } from './sources/benchmarker.js'

/**
 * Imports the-benchmarker's data.min.json when it holds a run not stored yet. The file is
 * rewritten by each run (the-benchmarker.md), so it is asked for conditionally and every run
 * found is kept: the pages show how figures changed between runs.
 */
export async function runBenchmarker(
  ctx: RunContext,
  options: BenchmarkJobOptions,
): Promise<SubjectResult[]> {
  const http = ctx.http('the-benchmarker')
  return runBenchmarkJob(ctx, 'the-benchmarker', options.locations, async (url) => {
    const catalog = loadCatalog(options.catalogFile)
    const validators = await validatorsFor(ctx.db, url)
    const document = await loadDocument(http, 'the-benchmarker', url, {
      maxBytes: options.maxBodyBytes,
      validators,
    })
    if (!document) return SKIPPED
    const parsed = toBenchmarkerRun(parseJsonText('the-benchmarker', url, document.text), catalog, {
      label: url,
      url,
    })
    const written = await storeRun(ctx, parsed, { document, listedAs: url }, async (trx, now) => {
      if (document.validators) await saveValidators(trx, url, document.validators, now)
    })
    return written === null ? SKIPPED : { rowsWritten: written, skipped: 0 }
  })
}
