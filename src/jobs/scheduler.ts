import cron, { type ScheduledTask } from 'node-cron'
import { lastSuccessAt } from '../db/job-runs.js'
import type { Job } from './jobs.js'
import type { RunContext } from './run-source.js'

export interface Scheduler {
  /** Resolves when the start-up catch-up runs are done (tests and `npm start` logs use it). */
  caughtUp: Promise<void>
  stop(): Promise<void>
}

/**
 * Schedules every job with node-cron and runs the stale ones once at start. A job never
 * overlaps itself: a tick that finds it running (from a tick or the catch-up) is skipped.
 */
export function startScheduler(ctx: RunContext, jobs: Job[], options: { catchUp: boolean }): Scheduler {
  const running = new Map<string, Promise<void>>()
  const runOnce = (job: Job): Promise<void> => {
    const current = running.get(job.name)
    if (current) return current
    const run = job
      .run(ctx)
      .then(() => undefined)
      .catch((error: unknown) => ctx.log.error({ job: job.name, err: error }, 'job crashed'))
      .finally(() => running.delete(job.name))
    running.set(job.name, run)
    return run
  }

  const tasks: ScheduledTask[] = jobs.map((job) =>
    cron.schedule(job.cron, () => runOnce(job), { name: job.name, timezone: 'UTC', noOverlap: true }),
  )

  const caughtUp = options.catchUp ? catchUp(ctx, jobs, runOnce) : Promise.resolve()
  return {
    caughtUp,
    async stop() {
      await Promise.all(tasks.map((task) => task.destroy()))
      await Promise.allSettled(running.values())
    },
  }
}

async function catchUp(ctx: RunContext, jobs: Job[], runOnce: (job: Job) => Promise<void>): Promise<void> {
  const now = ctx.now?.() ?? new Date()
  for (const job of jobs) {
    const last = await lastSuccessAt(ctx.db, job.name)
    if (last && now.getTime() - last.getTime() < job.staleAfterMs) continue
    ctx.log.info({ job: job.name, lastSuccess: last }, 'data is stale: running now')
    await runOnce(job)
  }
}
