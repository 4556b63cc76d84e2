import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { finishRun, startRun } from '../../src/db/job-runs.js'
import type { Job } from '../../src/jobs/jobs.js'
import type { RunContext } from '../../src/jobs/run-source.js'
import { startScheduler } from '../../src/jobs/scheduler.js'
import { createLogger } from '../../src/logger.js'
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
    const scheduler = startScheduler(ctx(), [job], { catchUp: true })
    await scheduler.caughtUp
    await sleep(3000)
    await scheduler.stop()
    // Ticks every second while each run takes 2.5 s: runs follow each other, never overlap.
    expect(spans.length).toBeGreaterThanOrEqual(2)
    for (let i = 1; i < spans.length; i++) expect(spans[i]![0]).toBeGreaterThanOrEqual(spans[i - 1]![1])
  }, 15_000)

  it('skips the start-up run when the job succeeded recently', async () => {
    const id = await startRun(t.db, { job: 'fresh', source: 'fresh', frameworkId: null })
    await finishRun(t.db, id, { status: 'succeeded' })
    const { job, spans } = slowJob('fresh', 10, '0 0 1 1 *')
    const scheduler = startScheduler(ctx(), [job], { catchUp: true })
    await scheduler.caughtUp
    await scheduler.stop()
    expect(spans).toHaveLength(0)
  })

  it('a job that throws is logged, and the scheduler keeps going', async () => {
    let calls = 0
    const job: Job = { name: 'broken', cron: '* * * * * *', staleAfterMs: 0, run: async () => { calls++; throw new Error('boom') } }
    const scheduler = startScheduler(ctx(), [job], { catchUp: true })
    await scheduler.caughtUp
    await sleep(2200)
    await scheduler.stop()
    expect(calls).toBeGreaterThanOrEqual(2)
  }, 10_000)
})
