import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { finishRun, startRun } from '../../src/db/job-runs.js'
import type { Job } from '../../src/jobs/jobs.js'
import type { RunContext } from '../../src/jobs/run-source.js'
import { createJobRunner, startScheduler } from '../../src/jobs/scheduler.js'
import { createLogger } from '../../src/logger.js'
import { openDatabase } from '../../src/db/database.js'
import { migrateToLatest } from '../../src/db/migrate.js'
import { useTestDatabase } from '../helpers/test-db.js'

const t = useTestDatabase()
const ctx = (): RunContext => ({ db: t.db, catalog: t.catalog, log: createLogger('silent'), http: () => { throw new Error('no HTTP here') } })

/** A job that records when it runs and takes `ms` to finish. */
function slowJob(name: string, ms: number, cron = '* * * * * *') {
  const spans: Array<[number, number]> = []
  const job: Job = {
    name,
    cron,
    staleAfterMs: 3_600_000,
    run: async () => {
      const start = Date.now()
      await sleep(ms)
      spans.push([start, Date.now()])
      return []
    },
  }
  return { job, spans }
}

describe('scheduler', () => {
  it('runs a stale job at start, and never overlaps a job with itself', async () => {
    const { job, spans } = slowJob('slow', 2500)
    const runner = createJobRunner(ctx())
    const scheduler = startScheduler(ctx(), runner, [job], { catchUp: true })
    await scheduler.caughtUp
    await sleep(3000)
    await scheduler.stop()
    await runner.stop(5000)
    // Ticks every second while each run takes 2.5 s: runs follow each other, never overlap.
    expect(spans.length).toBeGreaterThanOrEqual(2)
    for (let i = 1; i < spans.length; i++) expect(spans[i]![0]).toBeGreaterThanOrEqual(spans[i - 1]![1])
  }, 15_000)

  it('skips the start-up run when the job succeeded recently', async () => {
    const id = await startRun(t.db, { job: 'fresh', source: 'fresh', frameworkId: null })
    await finishRun(t.db, id, { status: 'succeeded' })
    const { job, spans } = slowJob('fresh', 10, '0 0 1 1 *')
    const scheduler = startScheduler(ctx(), createJobRunner(ctx()), [job], { catchUp: true })
    await scheduler.caughtUp
    await scheduler.stop()
    expect(spans).toHaveLength(0)
  })

  it('a job that throws is logged, and the scheduler keeps going', async () => {
    let calls = 0
    const job: Job = { name: 'broken', cron: '* * * * * *', staleAfterMs: 0, run: async () => { calls++; throw new Error('boom') } }
    const scheduler = startScheduler(ctx(), createJobRunner(ctx()), [job], { catchUp: true })
    await scheduler.caughtUp
    await sleep(2200)
    await scheduler.stop()
    expect(calls).toBeGreaterThanOrEqual(2)
  }, 10_000)

  it('a job running in another process (its lease is live) is skipped, then runs once it is free', async () => {
    const other = createJobRunner(ctx())
    const mine = createJobRunner(ctx())
    const { job, spans } = slowJob('shared', 500)
    const first = other.run(job)
    await sleep(100)
    expect(await mine.run(job)).toBe('skipped')
    expect(await first).toBe('ran')
    expect(await mine.run(job)).toBe('ran')
    expect(spans).toHaveLength(2)
  })

  it('a tick is claimed by one runner only', async () => {
    const a = createJobRunner(ctx())
    const b = createJobRunner(ctx())
    const { job, spans } = slowJob('ticked', 10)
    const tick = new Date('2026-11-25T12:00:00Z')
    const outcomes = await Promise.all([a.run(job, { tick }), b.run(job, { tick })])
    expect(outcomes.sort()).toEqual(['ran', 'skipped'])
    expect(spans).toHaveLength(1)
  })

  it('stop() lets the running step finish within the grace period, else marks the run interrupted', async () => {
    const runner = createJobRunner(ctx())
    const job: Job = {
      name: 'stuck',
      cron: '0 0 1 1 *',
      staleAfterMs: 0,
      run: async () => {
        await startRun(t.db, { job: 'stuck', source: 'stuck', frameworkId: null })
        await sleep(5000)
        return []
      },
    }
    void runner.run(job)
    await sleep(200)
    await runner.stop(300)
    const run = await t.db.selectFrom('job_runs').selectAll().where('job', '=', 'stuck').executeTakeFirstOrThrow()
    expect(run).toMatchObject({ status: 'interrupted', error: 'stopped by shutdown; resumes on the next run' })
    expect(await t.db.selectFrom('job_leases').selectAll().execute()).toEqual([])
  })

  it('a shutdown during the start-up catch-up ends it quietly, though the database closes under it', async () => {
    // Its own database, closed as main.ts closes it: the catch-up's next query must not be left to reject.
    const handle = await openDatabase({ dataDir: 'memory://' })
    await migrateToLatest(handle.db)
    const own: RunContext = { ...ctx(), db: handle.db }
    // Never due by the clock during the test (once a year): only the catch-up runs them.
    const first = slowJob('first', 300, '0 0 1 1 *')
    const second = slowJob('second', 10, '0 0 1 1 *')
    const runner = createJobRunner(own)
    const scheduler = startScheduler(own, runner, [first.job, second.job], { catchUp: true })
    await expect.poll(() => runner.isRunning('first')).toBe(true)
    await scheduler.stop()
    await runner.stop(5_000)
    await handle.close()
    await scheduler.caughtUp
    expect(first.spans).toHaveLength(1)
    expect(second.spans).toEqual([])
  })
})

