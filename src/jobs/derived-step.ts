import { finishRun, startRun } from '../db/job-runs.js'
import { describeError, type RunContext, type SubjectResult } from './run-source.js'

export interface DerivedStep {
  /** job_runs.job and .source: 'events', 'verdicts'. */
  name: 'events' | 'verdicts'
  /** The log line of a success ('events derived') and of a failure. */
  done: string
  failed: string
  /** Derives and stores; returns the rows written. */
  run: (now: Date) => Promise<number>
}

/**
 * A step after each job that derives rows from the stored data, with a job_runs row of its own.
 * A failure is that row and a log line, never the job's crash: the job's data is already safe.
 */
export async function runDerivedStep(ctx: RunContext, step: DerivedStep): Promise<SubjectResult> {
  const result = { source: step.name, framework: '*', notModified: 0 }
  let runId: string | undefined
  try {
    runId = await startRun(ctx.db, { job: step.name, source: step.name, frameworkId: null })
    const written = await step.run(ctx.now?.() ?? new Date())
    await finishRun(ctx.db, runId, { status: 'succeeded', rowsWritten: written })
    ctx.log.info({ source: step.name, written }, step.done)
    return { ...result, status: 'succeeded', rowsWritten: written }
  } catch (error) {
    const message = `${step.name}: ${describeError(error)}`
    ctx.log.warn({ source: step.name, err: message }, step.failed)
    if (runId !== undefined) await finishRun(ctx.db, runId, { status: 'failed', error: message }).catch(() => undefined)
    return { ...result, status: 'failed', rowsWritten: 0, error: message }
  }
}
