import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import { setTimeout as sleep } from 'node:timers/promises'
import cron, { type ScheduledTask } from 'node-cron'
import { acquireLease, claimTick, pruneTicks, releaseLease, renewLease } from '../db/job-coordination.js'
import { interruptRuns, lastSuccessAt } from '../db/job-runs.js'
import type { Job } from './jobs.js'
import type { RunContext } from './run-source.js'

export type RunOutcome = 'ran' | 'skipped'

export interface JobRunner {
  /**
   * Runs a job unless it is running already, here or in another process. With a `tick`, only
   * the one process that claims that tick runs it. `catalog` narrows it to some frameworks.
   */
  run(job: Job, options?: { tick?: Date; catalog?: RunContext['catalog'] }): Promise<RunOutcome>
  isRunning(job: string): boolean
  /**
   * Asks running jobs to stop after their current step and waits up to `graceMs`; runs still
   * going then are marked interrupted (they resume on a later run).
   */
  stop(graceMs: number): Promise<void>
}

/**
 * Any number of processes may run jobs against one database: a lease (a row, not an advisory
 * lock, so no connection is held for a run's length and a dead holder's lease simply expires)
 * keeps a job from overlapping itself, in this process or another.
 */
export function createJobRunner(ctx: RunContext, leaseMs = 120_000): JobRunner {
  const holder = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`
  const abort = new AbortController()
  const running = new Map<string, Promise<RunOutcome>>()

  async function coordinated(job: Job, tick?: Date, catalog?: RunContext['catalog']): Promise<RunOutcome> {
    if (tick && !(await claimTick(ctx.db, job.name, tick, holder))) return 'skipped'
    if (!(await acquireLease(ctx.db, job.name, holder, leaseMs))) {
      ctx.log.info({ job: job.name }, 'job is running in another process: skipped')
      return 'skipped'
    }
    const renew = setInterval(() => void renewLease(ctx.db, job.name, holder, leaseMs).catch(() => {}), leaseMs / 3)
    try {
      await job.run({ ...ctx, catalog: catalog ?? ctx.catalog, signal: abort.signal })
      return 'ran'
    } finally {
      clearInterval(renew)
      await releaseLease(ctx.db, job.name, holder)
    }
  }

  return {
    run(job, options = {}) {
      if (running.has(job.name) || abort.signal.aborted) return Promise.resolve('skipped')
      const run = coordinated(job, options.tick, options.catalog)
        .catch((error: unknown): RunOutcome => {
          ctx.log.error({ job: job.name, err: error }, 'job crashed')
          return 'ran'
        })
        .finally(() => running.delete(job.name))
      running.set(job.name, run)
      return run
    },
    isRunning: (job) => running.has(job),
    async stop(graceMs) {
      abort.abort()
      const finished = Promise.allSettled(running.values()).then(() => true)
      if (await Promise.race([finished, sleep(graceMs).then(() => false)])) return
      const cutOff = [...running.keys()]
      ctx.log.warn({ jobs: cutOff }, 'jobs still running at shutdown: marked interrupted')
      await interruptRuns(ctx.db, cutOff)
      await Promise.all(cutOff.map((job) => releaseLease(ctx.db, job, holder)))
    },
  }
}

export interface Scheduler {
  /** Resolves when the start-up catch-up runs are done (tests and `npm start` logs use it). */
  caughtUp: Promise<void>
  stop(): Promise<void>
}

/**
 * Schedules every job with node-cron (UTC) and runs the stale ones once at start. Each tick is
 * claimed by one process only, so several workers run each scheduled job once per tick.
 */
export function startScheduler(ctx: RunContext, runner: JobRunner, jobs: Job[], options: { catchUp: boolean }): Scheduler {
  const tasks: ScheduledTask[] = jobs.map((job) =>
    cron.schedule(job.cron, (tick) => runner.run(job, { tick: tick.date }), { name: job.name, timezone: 'UTC', noOverlap: true }),
  )
  const prune = cron.schedule(
    '0 3 * * *',
    () => pruneTicks(ctx.db, new Date(Date.now() - 7 * 86_400_000)).catch((error: unknown) => ctx.log.warn({ err: error }, 'pruning job ticks failed')),
    { timezone: 'UTC' },
  )
  let stopped = false
  // A catch-up cut short by a shutdown (its next query meets a closed pool) is no crash.
  const caughtUp = options.catchUp
    ? catchUp(ctx, jobs, runner, () => stopped).catch((error: unknown) => {
        if (!stopped) ctx.log.error({ err: error }, 'start-up catch-up failed')
      })
    : Promise.resolve()
  return {
    caughtUp,
    async stop() {
      stopped = true
      await Promise.all([...tasks, prune].map((task) => task.destroy()))
    },
  }
}

async function catchUp(ctx: RunContext, jobs: Job[], runner: JobRunner, stopped: () => boolean): Promise<void> {
  const now = ctx.now?.() ?? new Date()
  for (const job of jobs) {
    if (stopped()) return
    const last = await lastSuccessAt(ctx.db, job.name)
    if (last && now.getTime() - last.getTime() < job.staleAfterMs) continue
    ctx.log.info({ job: job.name, lastSuccess: last }, 'data is stale: running now')
    await runner.run(job)
  }
}
