import { parseArgs } from 'node:util'
import cliProgress from 'cli-progress'
import { bootstrap } from '../bootstrap.js'
import { loadCatalog } from '../catalog/catalog.js'
import { loadConfig, type Config } from '../config.js'
import { createLogger } from '../logger.js'
import { exitWithStartupError } from '../startup-error.js'
import { httpClientFactory, jobs, type Job } from './jobs.js'
import type { RunContext, SubjectResult } from './run-source.js'

const USAGE = 'usage: npm run sync -- [--source NAME]... [--framework SLUG]... [--backfill]'

/** `npm run sync`: the jobs once, in the foreground; exit code 1 if anything failed, 2 on bad arguments. */
async function sync(): Promise<void> {
  const config = loadConfig()
  const args = parseArguments(config)
  const log = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL)
  const { handle, catalog } = await bootstrap(config, log)
  const selected = catalog.filter((f) => args.frameworks.length === 0 || args.frameworks.includes(f.slug))
  const ctx: RunContext = { db: handle.db, catalog: selected, log, http: httpClientFactory(config), backfill: args.backfill }
  const results: SubjectResult[] = []
  try {
    for (const job of args.jobs) results.push(...(await runWithProgress(job, ctx)))
  } finally {
    await handle.close()
  }
  printSummary(results)
  process.exitCode = results.some((r) => r.status === 'failed') ? 1 : 0
}

function parseArguments(config: Config) {
  const all = jobs(config)
  let values
  try {
    ;({ values } = parseArgs({
      options: {
        source: { type: 'string', multiple: true, default: [] },
        framework: { type: 'string', multiple: true, default: [] },
        backfill: { type: 'boolean', default: false },
      },
    }))
  } catch (error) {
    usageError((error as Error).message)
  }
  const unknown = values.source.filter((s) => !all.some((j) => j.name === s))
  if (unknown.length > 0) usageError(`unknown source ${unknown.join(', ')}; sources: ${all.map((j) => j.name).join(', ')}`)
  const slugs = loadCatalog(config.CATALOG_FILE).map((f) => f.slug)
  const strangers = values.framework.filter((f) => !slugs.includes(f))
  if (strangers.length > 0) usageError(`unknown framework ${strangers.join(', ')}; frameworks: ${slugs.join(', ')}`)
  return {
    jobs: values.source.length === 0 ? all : all.filter((j) => values.source.includes(j.name)),
    frameworks: values.framework,
    backfill: values.backfill,
  }
}

function usageError(message: string): never {
  console.error(`framework-pulse sync: ${message}\n${USAGE}`)
  process.exit(2)
}

/** A progress bar per source on a terminal; one plain line per framework otherwise (CI, logs). */
async function runWithProgress(job: Job, ctx: RunContext): Promise<SubjectResult[]> {
  if (!process.stdout.isTTY) {
    return job.run({ ...ctx, onResult: (r, done, total) => console.log(`${r.source} ${done}/${total} ${r.framework}: ${r.status}`) })
  }
  const bar = new cliProgress.SingleBar(
    { format: `${job.name.padEnd(10)} {bar} {value}/{total} {framework}`, hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  )
  bar.start(1, 0, { framework: '' })
  try {
    return await job.run({ ...ctx, onResult: (r, done, total) => { bar.setTotal(total); bar.update(done, { framework: `${r.framework} ${r.status}` }) } })
  } finally {
    bar.stop()
  }
}

/** One line per signal of each framework (a source's run), or per step. */
function printSummary(results: SubjectResult[]): void {
  const lines = results.flatMap((r) => (r.signals ?? [r]).map((s) => ({ ...r, ...s, signal: 'signal' in s ? s.signal : '' })))
  console.table(
    lines.map((r) => ({
      source: r.source,
      framework: r.framework,
      signal: r.signal,
      status: r.status,
      rows: r.rowsWritten,
      '304s': r.notModified,
      error: r.error ?? '',
    })),
  )
  const failed = lines.filter((r) => r.status === 'failed').length
  const waiting = lines.filter((r) => r.status === 'waiting').length
  const waits = waiting > 0 ? `, ${waiting} waiting for a rate limit` : ''
  if (failed === 0 && waiting === 0) console.log('sync finished: all succeeded')
  else console.log(`sync finished: ${failed} failed${waits}`)
}

sync().catch(exitWithStartupError)
