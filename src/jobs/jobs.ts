import type { Config } from '../config.js'
import { runEvents } from './events-job.js'
import { runBenchmarker } from './benchmarker-job.js'
import { runGuide } from './guide-job.js'
import { HttpClient } from './http.js'
import { runSource, type RunContext, type SubjectResult } from './run-source.js'
import { sources } from './sources/index.js'
import { runTechempower } from './techempower-job.js'
import { runVerdicts } from './verdicts-job.js'

export interface Job {
  name: string
  cron: string
  staleAfterMs: number
  run(ctx: RunContext): Promise<SubjectResult[]>
}

const DAY = 86_400_000

/** The scheduler's table: the guide, then one job per source; each derives feed events and claim verdicts after it. */
export function jobs(config: Config): Job[] {
  const withEvents = (job: Job): Job => ({
    ...job,
    run: async (ctx) => {
      const results = await job.run(ctx)
      // At shutdown the next run derives instead: derivation reads all stored data, misses nothing.
      if (ctx.signal?.aborted) return results
      // runEvents and runVerdicts catch their own failures: each adds a result, never throws.
      const events = await runEvents(ctx, { trendThresholdPct: config.FEED_TREND_THRESHOLD_PCT })
      return [...results, events, await runVerdicts(ctx, { catalogFile: config.CATALOG_FILE })]
    },
  })
  const all: Job[] = [
    { name: 'guide', cron: config.SCHEDULE_GUIDE, staleAfterMs: DAY, run: (ctx) => runGuide(ctx, config.GUIDE_URL) },
    ...sources(config).map(({ source, cron, staleAfterMs }) => ({
      name: source.name,
      cron,
      staleAfterMs,
      run: (ctx: RunContext) => runSource(ctx, source),
    })),
    ...benchmarkJobs(config),
  ]
  return all.map(withEvents)
}

/** The benchmark imports (issue 6): whole files, each imported once, never per framework. */
function benchmarkJobs(config: Config): Job[] {
  const options = (locations: string[]) => ({
    locations,
    maxBodyBytes: config.HTTP_MAX_BODY_MB * 1024 * 1024,
    catalogFile: config.CATALOG_FILE,
  })
  return [
    {
      name: 'techempower',
      cron: config.SCHEDULE_TECHEMPOWER,
      staleAfterMs: 7 * DAY,
      run: (ctx) => runTechempower(ctx, options(config.TFB_RESULTS_URLS)),
    },
    {
      name: 'the-benchmarker',
      cron: config.SCHEDULE_BENCHMARKER,
      staleAfterMs: DAY,
      run: (ctx) => runBenchmarker(ctx, options([config.BENCHMARKER_DATA_URL])),
    },
  ]
}

export function httpClientFactory(config: Config): (source: string) => HttpClient {
  return (source) =>
    new HttpClient(source, {
      timeoutMs: config.HTTP_TIMEOUT_MS,
      retries: config.HTTP_RETRIES,
      backoffMs: config.HTTP_BACKOFF_MS,
      hostConcurrency: config.HTTP_HOST_CONCURRENCY,
      maxBodyBytes: config.HTTP_MAX_BODY_MB * 1024 * 1024,
      userAgent: `FrameworkPulse/0.1 (self-hosted trend dashboard; ${config.PUBLIC_URL})`,
    })
}
