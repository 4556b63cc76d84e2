import { describe, expect, it } from 'vitest'
import { useFakeUpstream } from '../helpers/fake-upstream.js'
import {
  BENCHMARKER,
  benchmarkerUrl,
  fixtureText,
  runBenchmarkJob,
  serveBenchmarks,
  storedResult,
  storedRuns,
} from '../helpers/benchmark-upstream.js'
import { useTestDatabase } from '../helpers/test-db.js'

const t = useTestDatabase()
const fake = useFakeUpstream()
const bm = () => runBenchmarkJob(t, fake, 'the-benchmarker', {})
const PATH = /^\/the-benchmarker\/web-frameworks\/develop\/data\.min\.json$/

interface RawFile {
  metrics: { level: number; label: string; value: number | null; framework_id: number }[]
  frameworks: { id: number; label: string; language: string; version: unknown }[]
  updated_at: string
}
const file = (): RawFile => JSON.parse(fixtureText(BENCHMARKER))

/** The file's own figure for a "language/label" at a level: what the stored row must equal. */
function fileValue(raw: RawFile, name: string, level: number, label: string): number | null {
  const fw = raw.frameworks.find((f) => `${f.language}/${f.label}` === name)!
  const value = raw.metrics.find(
    (m) => m.framework_id === fw.id && m.level === level && m.label === label,
  )!.value
  return value === -1 ? null : value
}

describe('the-benchmarker import', () => {
  it("stores the ten frameworks' requests/s per level exactly as the file reports them", async () => {
    serveBenchmarks(fake)
    const result = await bm()
    expect(result).toMatchObject({ status: 'succeeded', rowsWritten: 999, notModified: 0 })
    const raw = file()
    for (const entry of t.catalog) {
      for (const name of entry.benchmarker) {
        for (const level of [64, 256, 512]) {
          const stored = await storedResult(t, {
            test: 'hello-world',
            variant: name,
            concurrency: level,
          })
          expect(stored.requests_per_s, `${name} @${level}`).toBe(
            fileValue(raw, name, level, 'total_requests_per_s'),
          )
          expect(stored.latency_p99_ms, `${name} @${level}`).toBeCloseTo(
            fileValue(raw, name, level, 'percentile99')! * 1000,
            9,
          )
          expect(stored.represents).toBe(entry.benchmarker[0] === name)
        }
      }
    }
    // Spot checks against the file by eye: django at 64 connections, phoenix_bandit's p99 at 512 (seconds).
    expect(
      await storedResult(t, { test: 'hello-world', variant: 'python/django', concurrency: 64 }),
    ).toMatchObject({ requests_per_s: 2544.547359400237, version: '6', rank: 281, out_of: 333 })
    expect(
      (
        await storedResult(t, {
          test: 'hello-world',
          variant: 'elixir/phoenix_bandit',
          concurrency: 512,
        })
      ).latency_p99_ms,
    ).toBeCloseTo(159.51967533, 6)
    // "spring" is both java and kotlin in the file: labels are qualified by language.
    expect(
      (await storedResult(t, { test: 'hello-world', variant: 'kotlin/spring', concurrency: 64 }))
        .requests_per_s,
    ).toBe(3948.4460585480074)
  })

  it('stores -1 and null as "not measured", and the run with its date and hardware', async () => {
    serveBenchmarks(fake)
    await bm()
    const django = await storedResult(t, {
      test: 'hello-world',
      variant: 'python/django',
      concurrency: 64,
    })
    // average_latency, standard_deviation and percentile99999 are -1.0 for django at 64.
    expect(django).toMatchObject({
      latency_avg_ms: null,
      latency_stdev_ms: null,
      latency_p99999_ms: null,
    })
    expect(django.raw).toMatchObject({ total_requests: null, duration_ms: 15007.654942333333 })
    expect(
      await storedResult(t, { test: 'hello-world', variant: 'd/vibed_light', concurrency: 256 }),
    ).toMatchObject({ latency_p50_ms: null })
    const [run] = await storedRuns(t)
    expect(run).toMatchObject({
      source: 'the-benchmarker',
      run_key: '2026-02-11 23:25:12 UTC',
      environment: 'M1 Eight-Core Processor, 16 CPUs, 7.4 GiB RAM',
      levels: { connections: [64, 256, 512] },
    })
    expect(run!.completed_at!.toISOString()).toBe('2026-02-11T23:25:12.000Z')
    expect(run!.hardware).toMatchObject({ cpus: 16, memory: 7733008 })
  })

  it('asks again with If-None-Match, keeps every new run, and skips a run it has', async () => {
    serveBenchmarks(fake)
    await bm()
    expect(await bm()).toMatchObject({ status: 'succeeded', rowsWritten: 0, notModified: 1 })
    expect(fake.requests.at(-1)!.headers['if-none-match']).toBe('"bm-1"')
    // A new run: same shape, a new updated_at and new figures.
    const next = fixtureText(BENCHMARKER).replace(
      '"2026-02-11 23:25:12 UTC"',
      '"2026-03-01 10:00:00 UTC"',
    )
    fake.on(PATH, { body: next, headers: { etag: '"bm-2"' } })
    expect(await bm()).toMatchObject({ status: 'succeeded', rowsWritten: 999 })
    // The same run served again under a new ETag is recognised by its date.
    fake.on(PATH, { body: next, headers: { etag: '"bm-3"' } })
    expect(await bm()).toMatchObject({ status: 'succeeded', rowsWritten: 0, notModified: 1 })
    expect((await storedRuns(t)).map((r) => r.run_key)).toEqual([
      '2026-02-11 23:25:12 UTC',
      '2026-03-01 10:00:00 UTC',
    ])
  })

  it.each([
    [
      'a truncated file',
      (text: string) => text.slice(0, 500_000),
      /^the-benchmarker: http:\/\/127\.0\.0\.1:\d+\/the-benchmarker\/web-frameworks\/develop\/data\.min\.json: malformed JSON: /,
    ],
    [
      'a value of the wrong type',
      (text: string) => text.replace('"value":15035.906427', '"value":"15035"'),
      /: metrics\[1\]\.value: Invalid input: expected number, received string$/,
    ],
    [
      'a date in another format',
      (text: string) => text.replace(/"updated_at":"[^"]+"/, '"updated_at":"yesterday"'),
      /: updated_at: must be "YYYY-MM-DD hh:mm:ss UTC"$/,
    ],
  ])('rejects %s naming the field, and keeps the earlier run', async (_what, corrupt, error) => {
    serveBenchmarks(fake)
    await bm()
    fake.on(PATH, {
      body: corrupt(
        fixtureText(BENCHMARKER).replace('"2026-02-11 23:25:12 UTC"', '"2026-03-01 10:00:00 UTC"'),
      ),
      headers: { etag: '"bad"' },
    })
    const result = await bm()
    expect(result.status).toBe('failed')
    expect(result.error).toMatch(error)
    expect(await storedRuns(t)).toHaveLength(1)
    const { n } = await t.db
      .selectFrom('benchmark_results')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow()
    expect(Number(n)).toBe(999)
    // The failed body's validators are not stored: the next run fetches it again in full.
    expect(await t.db.selectFrom('http_cache').select('etag').execute()).toEqual([
      { etag: '"bm-1"' },
    ])
  })
})
