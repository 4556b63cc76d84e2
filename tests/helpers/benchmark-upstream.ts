import { readFileSync } from 'node:fs'
import type { Config } from '../../src/config.js'
import { jobs } from '../../src/jobs/jobs.js'
import type { SubjectResult } from '../../src/jobs/run-source.js'
import type { TestDatabase } from './test-db.js'
import type { FakeResponse, FakeUpstream } from './fake-upstream.js'
import { testConfig, testRunContext } from './run-context.js'

export const fixturePath = (path: string) =>
  new URL(`../fixtures/${path}`, import.meta.url).pathname
export const fixtureText = (path: string) => readFileSync(fixturePath(path), 'utf8')

export const TFB_2019 = 'techempower/results-2019-citrine.json'
export const TFB_MICRONAUT = 'techempower/results-micronaut-2025.json'
export const BENCHMARKER = 'the-benchmarker/data.min.json'

/** The real files, byte for byte, at the paths the public services use. */
export function serveBenchmarks(fake: FakeUpstream): void {
  const tfb = fixtureText(TFB_2019)
  fake.on(/^\/benchmarks\/results\/round19\/ph\.json$/, {
    body: tfb,
    headers: { 'content-type': 'application/json' },
  })
  fake.on(/^\/raw\/results\.2019-12-11-13-21-02-404\.json$/, {
    body: tfb,
    headers: { 'content-type': 'application/json' },
  })
  fake.on(/^\/the-benchmarker\/web-frameworks\/develop\/data\.min\.json$/, (req): FakeResponse =>
    req.headers['if-none-match'] === '"bm-1"'
      ? { status: 304, headers: { etag: '"bm-1"' } }
      : {
          body: fixtureText(BENCHMARKER),
          headers: { etag: '"bm-1"', 'content-type': 'text/plain; charset=utf-8' },
        },
  )
}

export const roundUrl = (fake: FakeUpstream) => `${fake.url}/benchmarks/results/round19/ph.json`
export const benchmarkerUrl = (fake: FakeUpstream) =>
  `${fake.url}/the-benchmarker/web-frameworks/develop/data.min.json`

/** Runs a benchmark job through the scheduler's own table (jobs.ts), as production does. */
export async function runBenchmarkJob(
  t: TestDatabase,
  fake: FakeUpstream,
  name: 'techempower' | 'the-benchmarker',
  env: Record<string, string>,
  now?: Date,
): Promise<SubjectResult> {
  const config: Config = testConfig(fake.url, {
    TFB_RESULTS_URLS: '',
    BENCHMARKER_DATA_URL: benchmarkerUrl(fake),
    ...env,
  })
  const job = jobs(config).find((j) => j.name === name)!
  const results = await job.run(testRunContext(t.db, t.catalog, config, now))
  return results.find((r) => r.source === name)!
}

export async function storedRuns(t: TestDatabase) {
  return t.db.selectFrom('benchmark_runs').selectAll().orderBy('id').execute()
}

/** One stored result by run source, test type, variant (and level). */
export async function storedResult(
  t: TestDatabase,
  where: { test: string; variant: string; concurrency?: number },
) {
  let q = t.db
    .selectFrom('benchmark_results')
    .selectAll()
    .where('test_type', '=', where.test)
    .where('variant', '=', where.variant)
  if (where.concurrency !== undefined) q = q.where('concurrency', '=', where.concurrency)
  return q.executeTakeFirstOrThrow()
}
