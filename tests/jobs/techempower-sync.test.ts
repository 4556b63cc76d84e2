import { writeFileSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { dataVersion } from '../../src/db/queries/data-version.js'
import { toTechempowerRun } from '../../src/jobs/sources/techempower.js'
import { useFakeUpstream, type FakeResponse } from '../helpers/fake-upstream.js'
import {
  fixturePath,
  fixtureText,
  roundUrl,
  runBenchmarkJob,
  serveBenchmarks,
  storedResult,
  storedRuns,
  TFB_2019,
  TFB_MICRONAUT,
} from '../helpers/benchmark-upstream.js'
import { useTestDatabase } from '../helpers/test-db.js'

const t = useTestDatabase()
const fake = useFakeUpstream()
const tfb = (urls: string, env: Record<string, string> = {}) =>
  runBenchmarkJob(t, fake, 'techempower', { TFB_RESULTS_URLS: urls, ...env })
const ROUND = /^\/benchmarks\/results\/round19\/ph\.json$/

// Computed by hand from tests/fixtures/techempower/results-2019-citrine.json with TFB's rule
// (tfb-status Results.java): successful = totalRequests - 5xx; the max over levels for fortune,
// db, json and plaintext, the last level for query and update; divided by duration (15). Ranks
// count every implementation in rawData with a positive figure. Per test type: how many ranked,
// then each of the ten frameworks' default test with its requests/s and rank.
// e.g. django fortune: totalRequests per level 132973, 188963, 199342, 201148, 197088, 196823 →
// 201148 / 15 = 13409.8667; django query: the last level, 26956 / 15 = 1797.0667.
const HAND_COMPUTED = `
  fortune   386  django 13409.8667 325  spring 26652.5333 267  rails 8404.1333 344  laravel 4655.6667 364
                 fastapi 52971.7333 192  nestjs 51020.8 199  flask 9993.2667 338  phoenix 45219.3333 217
  db        410  django 24238.4 337  spring 99707.6667 167  rails 11914.2 371  laravel 5110 399
                 fastapi 66782 224  nestjs 62812.8 231  flask 14543.9333 363  phoenix 52990.5333 254
  query     373  django 1797.0667 330  spring 16717.6667 69  rails 2513.6667 309  laravel 2502.4667 310
                 fastapi 12984.9333 114  nestjs 5678.5333 240  flask 1803.6667 329  phoenix 618.7333 367
  update    289  django 793.1333 268  spring 7504 46  rails 671.0667 275  laravel 1369.5333 238
                 fastapi 5907.6 63  nestjs 2854.7333 133
  json      396  django 129846.4667 246  express 244729.2 186  spring 119240 252  rails 21452.5333 349
                 laravel 6699.9333 382  aspcore 863793.9333 66  fastapi 175997.1333 224
                 nestjs 211692.0667 213  flask 62887.4 297  phoenix 133307.2667 243
  plaintext 380  django 144549.3333 242  express 367812.8 174  spring 174979.2667 229  rails 20724 337
                 laravel 6259.2 357  aspcore 7009670.4 5  fastapi 163049.6 235  nestjs 366807.4667 175
                 flask 82764.2667 274  phoenix 168650.2 230
`

/** [test type, default test, requests/s, rank, out of] rows from the table above. */
function handComputed(): [string, string, number, number, number][] {
  const rows: [string, string, number, number, number][] = []
  let type = ''
  let outOf = 0
  for (const line of HAND_COMPUTED.trim().split('\n')) {
    let words = line.trim().split(/\s+/)
    if (['fortune', 'db', 'query', 'update', 'json', 'plaintext'].includes(words[0]!)) {
      ;[type, outOf] = [words[0]!, Number(words[1])]
      words = words.slice(2)
    }
    for (let i = 0; i < words.length; i += 3) {
      rows.push([type, words[i]!, Number(words[i + 1]), Number(words[i + 2]), outOf])
    }
  }
  return rows
}

describe('TechEmpower import', () => {
  it("stores every implementation with TFB's requests/s and ranks over the whole run", async () => {
    serveBenchmarks(fake)
    const before = await dataVersion(t.db)
    const result = await tfb(roundUrl(fake))
    expect(result).toMatchObject({ status: 'succeeded', rowsWritten: 2271, notModified: 0 })
    const [run] = await storedRuns(t)
    expect(run).toMatchObject({
      source: 'techempower',
      uuid: '598923fe-6491-41bd-a2b6-047f70860aed',
      run_key: '598923fe-6491-41bd-a2b6-047f70860aed',
      name: 'Continuous Benchmarking Run 2019-12-11 21:15:18',
      environment: 'Citrine',
      duration_s: 15,
      commit: '57c558b30dd57e2421b8cbaeedfa90c1a59f02fe',
      url: roundUrl(fake),
      listed_as: roundUrl(fake),
      bytes: 3516622,
      sha256: '45c873adf628cf211f08d7081755171f4bd6521b5766cb8941055ee80126ed67',
    })
    expect(run!.started_at!.toISOString()).toBe('2019-12-11T21:15:18.137Z')
    expect(run!.completed_at!.toISOString()).toBe('2019-12-16T11:22:09.995Z')
    const expected = handComputed()
    expect(expected).toHaveLength(50)
    for (const [test, variant, rps, rank, outOf] of expected) {
      const stored = await storedResult(t, { test, variant })
      const got = [stored.requests_per_s, stored.rank, stored.out_of]
      expect(got, `${test} ${variant}`).toEqual([expect.closeTo(rps, 3), rank, outOf])
    }
    expect(Number(await dataVersion(t.db))).toBeGreaterThan(Number(before))
  })

  it('subtracts 5xx, takes latency at the chosen level, and records failed levels as TFB does', async () => {
    serveBenchmarks(fake)
    await tfb(roundUrl(fake))
    // plaintext/sinatra-passenger-mri: 2079831 requests at 4096 but 2076043 of them 5xx; the best
    // level is 256 with 789404 successful (techempower.md).
    expect(
      await storedResult(t, { test: 'plaintext', variant: 'sinatra-passenger-mri' }),
    ).toMatchObject({ requests_per_s: expect.closeTo(789404 / 15, 6), concurrency: 256 })
    // query/django: the last level (20 queries at 512 connections), latencyAvg "278.69ms".
    expect(await storedResult(t, { test: 'query', variant: 'django' })).toMatchObject({
      concurrency: 512,
      queries: 20,
      latency_avg_ms: 278.69,
      latency_max_ms: 688.14,
    })
    // fortune/spyne-raw: levels 4 to 6 have only startTime/endTime; the best is level 3.
    expect(await storedResult(t, { test: 'fortune', variant: 'spyne-raw' })).toMatchObject({
      requests_per_s: expect.closeTo(21654 / 15, 6),
      concurrency: 64,
    })
    // fortune/goji: no level has a count; stored as TFB computes it (0), with no rank.
    expect(await storedResult(t, { test: 'fortune', variant: 'goji' })).toMatchObject({
      requests_per_s: 0,
      rank: null,
      out_of: null,
      latency_avg_ms: null,
    })
    // The chosen level's entry is kept verbatim, so every figure can be re-derived.
    expect((await storedResult(t, { test: 'query', variant: 'django' })).raw).toEqual({
      latencyAvg: '278.69ms',
      latencyMax: '688.14ms',
      latencyStdev: '79.85ms',
      totalRequests: 26956,
      startTime: 1576170197,
      endTime: 1576170213,
    })
  })

  it('maps variants to catalog frameworks and marks the one that represents each', async () => {
    serveBenchmarks(fake)
    await tfb(roundUrl(fake))
    const rows = await t.db
      .selectFrom('benchmark_results as r')
      .innerJoin('frameworks as f', 'f.id', 'r.framework_id')
      .select(['f.slug', 'r.test_type', 'r.variant', 'r.metadata'])
      .where('r.represents', '=', true)
      .execute()
    const chosen = (test: string) =>
      Object.fromEntries(rows.filter((r) => r.test_type === test).map((r) => [r.slug, r.variant]))
    expect(chosen('fortune')).toEqual({
      django: 'django',
      express: 'express-postgres',
      'spring-boot': 'spring',
      rails: 'rails',
      laravel: 'laravel',
      'aspnet-core': 'aspcore-mvc-ef-pg',
      fastapi: 'fastapi',
      nestjs: 'nestjs',
      flask: 'flask',
      phoenix: 'phoenix',
    })
    expect(chosen('json')).toMatchObject({ express: 'express', 'aspnet-core': 'aspcore-mvc' })
    expect(chosen('update')).toMatchObject({
      flask: 'flask-raw',
      express: 'express-mongodb',
      'aspnet-core': 'aspcore-mvc-ef-pg-up',
    })
    expect(rows.find((r) => r.variant === 'aspcore-mvc-ef-pg')!.metadata).toMatchObject({
      orm: 'full',
      database: 'postgres',
      classification: 'fullstack',
    })
    // Every variant is kept: ASP.NET Core has 23 fortunes implementations in this run.
    const asp = await t.db
      .selectFrom('benchmark_results')
      .select('variant')
      .where('framework', '=', 'asp.net core')
      .where('test_type', '=', 'fortune')
      .execute()
    expect(asp).toHaveLength(23)
    // Implementations outside the catalog are stored (for ranks) without a framework.
    const hapi = await t.db
      .selectFrom('benchmark_results')
      .selectAll()
      .where('framework', '=', 'hapi')
      .where('test_type', '=', 'fortune')
      .execute()
    expect(hapi.length).toBeGreaterThan(1)
    expect(hapi.every((r) => r.framework_id === null)).toBe(true)
    expect(hapi.filter((r) => r.represents)).toHaveLength(1)
  })

  it('never fetches an imported file again, and skips the same run under another URL', async () => {
    serveBenchmarks(fake)
    await tfb(roundUrl(fake))
    const requests = fake.requests.length
    const again = await tfb(roundUrl(fake))
    expect(again).toMatchObject({ status: 'succeeded', rowsWritten: 0, notModified: 1 })
    expect(fake.requests.length).toBe(requests)
    // tfb-status: the run's metadata names its raw file; the uuid is stored, so nothing is downloaded.
    fake.on(/^\/results\/598923fe-6491-41bd-a2b6-047f70860aed\.json$/, {
      body: {
        result: {
          uuid: '598923fe-6491-41bd-a2b6-047f70860aed',
          jsonFileName: 'results.2019-12-11-13-21-02-404.json',
          completionTime: 1576495329995,
        },
      },
    })
    const viaStatus = await tfb(`${fake.url}/results/598923fe-6491-41bd-a2b6-047f70860aed.json`)
    expect(viaStatus).toMatchObject({ status: 'succeeded', rowsWritten: 0, notModified: 1 })
    expect(fake.requestsTo(/^\/raw\//)).toHaveLength(0)
    expect(await storedRuns(t)).toHaveLength(1)
  })

  it('follows a tfb-status metadata document to its raw results, and waits for an unfinished run', async () => {
    serveBenchmarks(fake)
    const meta = `${fake.url}/results/598923fe-6491-41bd-a2b6-047f70860aed.json`
    const result = {
      uuid: '598923fe-6491-41bd-a2b6-047f70860aed',
      jsonFileName: 'results.2019-12-11-13-21-02-404.json',
      completionTime: null as number | null,
    }
    fake.on(/^\/results\//, () => ({ body: { result } }))
    expect(await tfb(meta)).toMatchObject({ status: 'succeeded', rowsWritten: 0, notModified: 1 })
    expect(await storedRuns(t)).toHaveLength(0)
    result.completionTime = 1576495329995
    expect(await tfb(meta)).toMatchObject({ status: 'succeeded', rowsWritten: 2271 })
    expect((await storedRuns(t))[0]).toMatchObject({
      url: `${fake.url}/raw/results.2019-12-11-13-21-02-404.json`,
      listed_as: meta,
    })
  })

  it('imports a local file; a string duration and the cached-query spelling are accepted', async () => {
    const result = await tfb(fixturePath(TFB_MICRONAUT))
    expect(result).toMatchObject({ status: 'succeeded', rowsWritten: 1 })
    // "duration": "60"; plaintext levels 93131488, 93890400, 61367340, 45488508: the best is the second.
    expect(await storedResult(t, { test: 'plaintext', variant: 'micronaut' })).toMatchObject({
      requests_per_s: 93890400 / 60,
      concurrency: 1024,
      latency_avg_ms: 5.92,
      latency_max_ms: 226.95,
      rank: 1,
      out_of: 1,
      framework_id: null,
    })
    expect((await storedRuns(t))[0]).toMatchObject({
      duration_s: 60,
      commit: null,
      name: 'yawkat/TE-FrameworkBenchmarks:loom-benchmarks-jdbc',
    })
  })

  it.each([
    [
      'a truncated file',
      (text: string) => text.slice(0, 1_000_000),
      /^techempower: http:\/\/127\.0\.0\.1:\d+\/benchmarks\/results\/round19\/ph\.json: malformed JSON: /,
    ],
    [
      'a count of the wrong type',
      (text: string) => text.replace('"totalRequests": 151667', '"totalRequests": "151667"'),
      /: rawData\.fortune\.hapi-postgres\[0\]\.totalRequests: Invalid input: expected number, received string$/,
    ],
    [
      'a latency without a unit',
      (text: string) => text.replace('"latencyAvg": "1.71ms"', '"latencyAvg": "1.71"'),
      /: rawData\.fortune\.hapi-postgres\[0\]\.latencyAvg: must be a wrk latency/,
    ],
    [
      'no duration',
      (text: string) => text.replace('"duration": 15,', ''),
      /: duration: must be a number of seconds$/,
    ],
  ])(
    'rejects %s with the source and field named, and keeps earlier data',
    async (_what, corrupt, error) => {
      await tfb(fixturePath(TFB_MICRONAUT))
      fake.on(/^\/benchmarks\/results\/round19\/ph\.json$/, {
        body: corrupt(fixtureText(TFB_2019)),
      })
      const result = await tfb(roundUrl(fake))
      expect(result.status).toBe('failed')
      expect(result.error).toMatch(error)
      expect(await storedRuns(t)).toHaveLength(1)
      expect(await t.db.selectFrom('benchmark_results').select('variant').execute()).toEqual([
        { variant: 'micronaut' },
      ])
      const run = await t.db
        .selectFrom('job_runs')
        .selectAll()
        .where('job', '=', 'techempower')
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow()
      expect(run).toMatchObject({ status: 'failed', error: result.error })
    },
  )

  it('one failing entry neither stops the others nor crashes; the next run retries it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'fp-tfb-'))
    const file = path.join(dir, 'renamed.json')
    // The 2019 spelling `cached_query` renamed to today's `cached-query`: both are accepted.
    writeFileSync(file, fixtureText(TFB_2019).replace('"cached_query":', '"cached-query":'))
    fake.on(/^\/missing\.json$/, { status: 404, body: 'Not Found' })
    const result = await tfb(`${fake.url}/missing.json, ${dir}/absent.json, ${file}`)
    expect(result.status).toBe('failed')
    expect(result.error!.split('\n')).toEqual([
      expect.stringMatching(
        /^techempower: HTTP 404 Not Found from http:\/\/127\.0\.0\.1:\d+\/missing\.json$/,
      ),
      `techempower: cannot read ${dir}/absent.json: ENOENT`,
    ])
    expect(result.rowsWritten).toBe(2271)
    // cached-query/nodejs: the last level, 1146331 requests at 100 queries per request.
    expect(await storedResult(t, { test: 'cached-query', variant: 'nodejs' })).toMatchObject({
      requests_per_s: expect.closeTo(1146331 / 15, 6),
      queries: 100,
      concurrency: 512,
    })
    expect((await tfb(`${fake.url}/missing.json`)).status).toBe('failed')
    expect(fake.requestsTo(/^\/missing\.json$/)).toHaveLength(2)
  })

  it('imports a body sent in many small pieces exactly as the file parsed whole', async () => {
    const text = fixtureText(TFB_2019)
    fake.on(ROUND, {
      body: text,
      chunkBytes: 1000,
      headers: { 'content-type': 'application/json' },
    })
    // 3,517 writes: a longer timeout than the tests' 1.5 s, which covers the whole download.
    const result = await tfb(roundUrl(fake), { HTTP_TIMEOUT_MS: '30000' })
    expect(result).toMatchObject({ status: 'succeeded', rowsWritten: 2271 })
    expect((await storedRuns(t))[0]).toMatchObject({
      bytes: 3516622,
      sha256: '45c873adf628cf211f08d7081755171f4bd6521b5766cb8941055ee80126ed67',
    })
    // The import before streaming: JSON.parse of the whole text, then the same adapter.
    const whole = toTechempowerRun(JSON.parse(text), t.catalog, { label: 'whole', sha256: '' })
    const columns = [
      'test_type',
      'variant',
      'framework',
      'requests_per_s',
      'concurrency',
      'queries',
      'latency_avg_ms',
      'latency_stdev_ms',
      'latency_max_ms',
      'rank',
      'out_of',
      'represents',
      'raw',
      'metadata',
    ] as const
    const stored = await t.db.selectFrom('benchmark_results').select(columns).execute()
    const key = (r: { test_type: string; variant: string }) => `${r.test_type} ${r.variant}`
    const pick = (r: Record<string, unknown>) => Object.fromEntries(columns.map((c) => [c, r[c]]))
    expect(new Map(stored.map((r) => [key(r), pick(r)]))).toEqual(
      new Map(whole.results.map((r) => [key(r), pick(r)])),
    )
  })

  // "plaintext": {"<first test>": [{..., "totalRequests": <cut here>
  const inLevels = (text: string) =>
    text.indexOf('"totalRequests"', text.indexOf('"plaintext": {')) + '"totalRequests": 12'.length

  it.each([
    [
      'a body that ends in the middle of a levels array',
      (text: string): FakeResponse => ({ body: text.slice(0, inLevels(text)), chunkBytes: 4096 }),
      /^techempower: http:\/\/127\.0\.0\.1:\d+\/benchmarks\/results\/round19\/ph\.json: malformed JSON: .*\(near byte \d+ in rawData\.plaintext\.[\w-]+\[0\]\.totalRequests\)$/,
    ],
    [
      'a connection dropped in the middle of a levels array',
      (text: string): FakeResponse => ({
        body: text,
        chunkBytes: 4096,
        dropAfterBytes: inLevels(text),
      }),
      /^techempower: reading http:\/\/127\.0\.0\.1:\d+\/benchmarks\/results\/round19\/ph\.json failed: /,
    ],
  ])(
    'fails cleanly on %s: the source and place named, nothing stored',
    async (_what, respond, error) => {
      await tfb(fixturePath(TFB_MICRONAUT))
      fake.on(ROUND, respond(fixtureText(TFB_2019)))
      const result = await tfb(roundUrl(fake), { HTTP_TIMEOUT_MS: '30000' })
      expect(result).toMatchObject({ status: 'failed', rowsWritten: 0 })
      expect(result.error).toMatch(error)
      expect(fake.requestsTo(ROUND)).toHaveLength(1)
      expect(await storedRuns(t)).toHaveLength(1)
      expect(await t.db.selectFrom('benchmark_results').select('variant').execute()).toEqual([
        { variant: 'micronaut' },
      ])
      // Nothing was recorded as imported: the next run asks for the file again.
      fake.on(ROUND, { body: fixtureText(TFB_2019) })
      expect(await tfb(roundUrl(fake))).toMatchObject({ status: 'succeeded', rowsWritten: 2271 })
    },
  )
})
