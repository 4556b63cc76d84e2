import { jobs } from '../../src/jobs/jobs.js'
import type { SubjectResult } from '../../src/jobs/run-source.js'
import { sources } from '../../src/jobs/sources/index.js'
import { startAllUpstreams } from './all-upstreams.js'
import { testConfig, testRunContext } from './run-context.js'
import type { TestDatabase } from './test-db.js'

export type AllUpstreams = Awaited<ReturnType<typeof startAllUpstreams>>

/**
 * The jobs a first sync runs, in the scheduler's order: the guide, every registry, GitHub and
 * both benchmark imports. Each derives its feed events and claim verdicts after it, as in
 * production (jobs.ts), so the last one leaves every verdict computed over all the data.
 */
export const SEEDED_JOBS = ['guide', 'npm', 'pypi', 'packagist', 'rubygems', 'nuget', 'hex', 'maven', 'github', 'techempower', 'the-benchmarker'] as const

/**
 * Fills the test database through the real jobs against every fake upstream, as `npm run sync`
 * would: the data pages and screenshots show is fixture data, never real figures. Returns the
 * jobs' results; a test should check they all succeeded.
 */
export async function seedAllSources(t: TestDatabase, upstreams: AllUpstreams, now: Date, only: readonly string[] = SEEDED_JOBS): Promise<SubjectResult[]> {
  const config = testConfig('http://127.0.0.1:1', upstreams.env)
  const ctx = testRunContext(t.db, t.catalog, config, now)
  const results: SubjectResult[] = []
  for (const job of jobs(config).filter((j) => only.includes(j.name))) results.push(...(await job.run(ctx)))
  return results
}

/** Every source the app collects (main.ts passes the same set), for startAppServer's `collected`. */
export function allCollected(upstreams: AllUpstreams): ReadonlySet<string> {
  return new Set(sources(testConfig('http://127.0.0.1:1', upstreams.env)).map((s) => s.source.name))
}
