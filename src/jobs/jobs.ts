import type { Config } from '../config.js'
import { runGuide } from './guide-job.js'
import { HttpClient } from './http.js'
import { runSource, type RunContext, type SubjectResult } from './run-source.js'
import { sources } from './sources/index.js'

export interface Job {
  name: string
  cron: string
  staleAfterMs: number
  run(ctx: RunContext): Promise<SubjectResult[]>
}

const DAY = 86_400_000

/** The scheduler's table: the guide, then one job per source. */
export function jobs(config: Config): Job[] {
  return [
    { name: 'guide', cron: config.SCHEDULE_GUIDE, staleAfterMs: DAY, run: (ctx) => runGuide(ctx, config.GUIDE_URL) },
    ...sources(config).map(({ source, cron, staleAfterMs }) => ({
      name: source.name,
      cron,
      staleAfterMs,
      run: (ctx: RunContext) => runSource(ctx, source),
    })),
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
