import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parseFeed } from '@rowanmanning/feed-parser'
import { describe, expect, it } from 'vitest'
import type { BenchmarkRankFact, BenchmarkRunFact, EventInputs, FrameworkName } from '../../src/db/queries/events.js'
import type { BenchmarkSource } from '../../src/db/schema.js'
import { deriveEvents } from '../../src/jobs/events.js'
import { benchmarkEvents } from '../../src/jobs/events/benchmarks.js'
import { BENCHMARKER, fixtureText, roundUrl, runBenchmarkJob, serveBenchmarks, TFB_2019 } from '../helpers/benchmark-upstream.js'
import { useFakeUpstream } from '../helpers/fake-upstream.js'
import { PUBLIC_URL } from '../helpers/feed-seed.js'
import { testApp } from '../helpers/app-server.js'
import { useTestDatabase } from '../helpers/test-db.js'

// Pure derivation first: stored runs and ranks in, event drafts out. No database, no clock.
const EXPRESS: FrameworkName = { id: 1, slug: 'express', name: 'Express' }
const NESTJS: FrameworkName = { id: 2, slug: 'nestjs', name: 'NestJS' }
const frameworks = new Map([[1, EXPRESS], [2, NESTJS]])

function run(id: number, source: BenchmarkSource, run_key: string, name: string, completed: string | null, extra: Partial<BenchmarkRunFact> = {}): BenchmarkRunFact {
  return {
    id, source, run_key, name, started_at: null, completed_at: completed === null ? null : new Date(completed),
    imported_at: new Date('2026-11-25T12:00:00Z'), ...extra,
  }
}

interface Figure { test?: string; concurrency?: number; variant?: string; rps?: number | null; rank: number | null; of?: number; fw?: number }

function result(runId: number, f: Figure): BenchmarkRankFact {
  return {
    run_id: runId, framework_id: f.fw ?? 1, test_type: f.test ?? 'fortune', concurrency: f.concurrency ?? 512,
    variant: f.variant ?? 'express-postgres', requests_per_s: f.rps === undefined ? 10_000 : f.rps, rank: f.rank, out_of: f.of ?? 450,
  }
}

const R22 = run(1, 'techempower', 'uuid-22', 'Round 22', '2023-11-02T10:00:00Z')
const R23 = run(2, 'techempower', 'uuid-23', 'Round 23', '2025-03-17T08:30:00Z')
const BM1 = run(3, 'the-benchmarker', '2026-02-11 23:25:12 UTC', '2026-02-11 23:25:12 UTC', '2026-02-11T23:25:12Z')
const BM2 = run(4, 'the-benchmarker', '2026-03-01 10:00:00 UTC', '2026-03-01 10:00:00 UTC', '2026-03-01T10:00:00Z')

const round22 = [
  // JSON listed first: fortunes still names the event, as on /benchmarks.
  result(1, { test: 'json', variant: 'express', rps: 250_000.4, rank: 200 }),
  result(1, { test: 'fortune', rps: 11_000.2, rank: 120, of: 440 }),
]

const titles = (drafts: { title: string }[]) => drafts.map((d) => d.title)

describe('benchmark events', () => {
  it('a framework\'s first results from a source are one event naming the run, fortunes first', () => {
    const drafts = benchmarkEvents(frameworks, [R22], round22)
    expect(drafts).toEqual([
      {
        id: 'benchmark:techempower:uuid-22:express',
        framework_id: 1,
        kind: 'benchmark',
        occurred_at: new Date('2023-11-02T10:00:00Z'),
        title: 'Express in TechEmpower Round 22: #120 of 440 in fortunes',
        summary: 'First results for Express in TechEmpower Round 22 (2023-11-02): #120 of 440 in fortunes, 11,000 requests/s; 2 tests in all.',
        content_html:
          '<p>First results for Express in TechEmpower Round 22 (2023-11-02): #120 of 440 in fortunes, 11,000 requests/s; 2 tests in all.</p>' +
          '<ul><li>Fortunes: #120 of 440, 11,000 requests/s (express-postgres)</li>' +
          '<li>JSON serialization: #200 of 450, 250,000 requests/s (express)</li></ul>' +
          '<p>Source: TechEmpower Framework Benchmarks, TechEmpower Round 22. Ranks count every implementation with a result in the run, per test type; each figure is of the variant that represents Express.</p>',
        url: null,
        data: {
          source: 'techempower',
          run_key: 'uuid-22',
          run_name: 'Round 22',
          first: true,
          tests: [
            { test_type: 'fortune', concurrency: 512, variant: 'express-postgres', rank: 120, out_of: 440, requests_per_s: 11_000.2, previous: null },
            { test_type: 'json', concurrency: 512, variant: 'express', rank: 200, out_of: 450, requests_per_s: 250_000.4, previous: null },
          ],
        },
      },
    ])
  })

  it('a later run names the biggest rank move, from and to, and lists every test before → after', () => {
    const round23 = [
      // TFB's chosen load level moves between runs; the rank is over the whole test type.
      result(2, { test: 'fortune', concurrency: 256, rps: 12_345, rank: 95 }),
      result(2, { test: 'json', variant: 'express', rps: 260_000, rank: 190, of: 460 }),
      result(2, { test: 'db', rps: 5_000, rank: 300, of: 470 }),
    ]
    const drafts = benchmarkEvents(frameworks, [R22, R23], [...round22, ...round23])
    expect(titles(drafts)).toEqual(['Express in TechEmpower Round 22: #120 of 440 in fortunes', 'Express moved from #120 to #95 in fortunes (TechEmpower Round 23)'])
    const moved = drafts[1]!
    expect(moved).toMatchObject({
      id: 'benchmark:techempower:uuid-23:express',
      kind: 'benchmark',
      occurred_at: new Date('2025-03-17T08:30:00Z'),
      summary: 'In TechEmpower Round 23 (2025-03-17), Express moved from #120 to #95 of 450 in fortunes, against TechEmpower Round 22; 2 of 3 tests changed rank.',
      url: null,
      data: { source: 'techempower', run_key: 'uuid-23', run_name: 'Round 23', first: false },
    })
    expect(moved.content_html).toContain(
      '<ul><li>Fortunes: #120 of 440 → #95 of 450, up 25 places; 11,000 → 12,345 requests/s (express-postgres)</li>' +
        '<li>Single query: #300 of 470, 5,000 requests/s (express-postgres; no earlier result)</li>' +
        '<li>JSON serialization: #200 of 450 → #190 of 460, up 10 places; 250,000 → 260,000 requests/s (express)</li></ul>',
    )
    expect((moved.data.tests as unknown[])[0]).toEqual({
      test_type: 'fortune', concurrency: 256, variant: 'express-postgres', rank: 95, out_of: 450, requests_per_s: 12_345,
      previous: { run_key: 'uuid-22', run_name: 'Round 22', test_type: 'fortune', concurrency: 512, variant: 'express-postgres', rank: 120, out_of: 440, requests_per_s: 11_000.2 },
    })
    // A fall counts as much as a climb: JSON down 60 beats fortunes up 25.
    const fell = benchmarkEvents(frameworks, [R22, R23], [...round22, round23[0]!, result(2, { test: 'json', variant: 'express', rank: 260 })])
    expect(fell[1]!.title).toBe('Express moved from #200 to #260 in JSON serialization (TechEmpower Round 23)')
    expect(fell[1]!.content_html).toContain('#200 of 450 → #260 of 450, down 60 places')
  })

  it('a later run with the same ranks is no event, whatever its requests/s', () => {
    const same = [result(2, { test: 'json', variant: 'express', rps: 999_999, rank: 200, of: 470 }), result(2, { test: 'fortune', rps: 1, rank: 120 })]
    expect(titles(benchmarkEvents(frameworks, [R22, R23], [...round22, ...same]))).toEqual(['Express in TechEmpower Round 22: #120 of 440 in fortunes'])
    // Only the tests it had before count as moves; a new test alone is no event either.
    const added = [...same, result(2, { test: 'plaintext', variant: 'express', rank: 174 })]
    expect(benchmarkEvents(frameworks, [R22, R23], [...round22, ...added])).toHaveLength(1)
  })

  it('the-benchmarker: one rank per connection level, named as the level; runs named by their date', () => {
    const first = [512, 64, 256].map((c, i) => result(3, { test: 'hello-world', concurrency: c, variant: 'javascript/express', rps: [5697.96, 2677.54, 4511.08][i]!, rank: [223, 263, 229][i]!, of: 333 }))
    const second = [
      result(4, { test: 'hello-world', concurrency: 64, variant: 'javascript/express', rps: 2700, rank: 263, of: 333 }),
      result(4, { test: 'hello-world', concurrency: 256, variant: 'javascript/express', rps: 5000, rank: 200, of: 333 }),
      result(4, { test: 'hello-world', concurrency: 512, variant: 'javascript/express', rps: 5600, rank: 230, of: 333 }),
    ]
    const drafts = benchmarkEvents(frameworks, [BM2, BM1], [...second, ...first])
    expect(drafts.map((d) => [d.id, d.title, d.occurred_at.toISOString()])).toEqual([
      ['benchmark:the-benchmarker:2026-02-11 23:25:12 UTC:express', 'Express in the-benchmarker run of 2026-02-11: #263 of 333 at 64 connections', '2026-02-11T23:25:12.000Z'],
      ['benchmark:the-benchmarker:2026-03-01 10:00:00 UTC:express', 'Express moved from #229 to #200 at 256 connections (the-benchmarker run of 2026-03-01)', '2026-03-01T10:00:00.000Z'],
    ])
    expect(drafts[1]!.content_html).toContain(
      '<ul><li>64 connections: #263 of 333 → #263 of 333, unchanged; 2,678 → 2,700 requests/s (javascript/express)</li>' +
        '<li>256 connections: #229 of 333 → #200 of 333, up 29 places; 4,511 → 5,000 requests/s (javascript/express)</li>' +
        '<li>512 connections: #223 of 333 → #230 of 333, down 7 places; 5,698 → 5,600 requests/s (javascript/express)</li></ul>',
    )
    expect(drafts[1]!.content_html).toContain('Source: the-benchmarker/web-frameworks, the-benchmarker run of 2026-03-01. Ranks count every implementation with a result in the run, per connection level;')
  })

  it('compares each test with the last earlier run that has it, ordering runs by their own date', () => {
    // Imported last (highest id) but completed first: it is the earliest run. No completion time:
    // the start time dates it, then the import.
    const r21 = run(9, 'techempower', 'uuid-21', 'Round 21', null, { started_at: new Date('2022-07-19T00:00:00Z') })
    const drafts = benchmarkEvents(frameworks, [R22, R23, r21], [
      result(9, { rank: 150, of: 430 }),
      result(9, { test: 'query', rank: 300, of: 400 }),
      result(1, { rank: 120, of: 440 }),
      result(2, { rank: 95 }),
      result(2, { test: 'query', rank: 280, of: 410 }),
    ])
    expect(drafts.map((d) => [d.title, d.occurred_at.toISOString()])).toEqual([
      ['Express in TechEmpower Round 21: #150 of 430 in fortunes', '2022-07-19T00:00:00.000Z'],
      ['Express moved from #150 to #120 in fortunes (TechEmpower Round 22)', '2023-11-02T10:00:00.000Z'],
      ['Express moved from #120 to #95 in fortunes (TechEmpower Round 23)', '2025-03-17T08:30:00.000Z'],
    ])
    expect(drafts[2]!.content_html).toContain('<li>Multiple queries: #300 of 400 → #280 of 410, up 20 places; 10,000 → 10,000 requests/s (express-postgres; before: TechEmpower Round 21)</li>')
    const imported = run(5, 'techempower', 'sha256:ab12', 'TechEmpower run ab12', null)
    expect(benchmarkEvents(frameworks, [imported], [result(5, { rank: 3 })])[0]).toMatchObject({
      title: 'Express in TechEmpower run ab12: #3 of 450 in fortunes',
      occurred_at: new Date('2026-11-25T12:00:00Z'),
    })
  })

  it('never mixes the two sources: each is compared only with its own earlier runs', () => {
    const drafts = benchmarkEvents(frameworks, [R22, BM1, run(2, 'techempower', 'uuid-23', 'Round 23', '2026-06-01T00:00:00Z')], [
      result(1, { rank: 120, of: 440 }),
      result(3, { test: 'hello-world', concurrency: 64, variant: 'javascript/express', rank: 263, of: 333 }),
      result(2, { rank: 95 }),
    ])
    expect(drafts.map((d) => [d.id, d.title])).toEqual([
      ['benchmark:techempower:uuid-22:express', 'Express in TechEmpower Round 22: #120 of 440 in fortunes'],
      ['benchmark:techempower:uuid-23:express', 'Express moved from #120 to #95 in fortunes (TechEmpower Round 23)'],
      ['benchmark:the-benchmarker:2026-02-11 23:25:12 UTC:express', 'Express in the-benchmarker run of 2026-02-11: #263 of 333 at 64 connections'],
    ])
    expect(drafts[1]!.summary).toContain('against TechEmpower Round 22;')
  })

  it('one event per framework and run; unranked results, unknown frameworks and markup are handled', () => {
    const FLASK: FrameworkName = { id: 3, slug: 'flask', name: 'Flask' }
    const drafts = benchmarkEvents(new Map([...frameworks, [3, FLASK]]), [R22], [
      ...round22,
      result(1, { fw: 2, variant: 'nestjs <b>"fast"</b> & co', rank: 199, of: 386 }),
      // Two of one framework's TFB names in one test (an edited catalog): the better rank is kept.
      result(1, { fw: 2, variant: 'nestjs-slow', rank: 250, of: 386 }),
      // A result with no figure has no rank; a framework with nothing else gets no event.
      result(1, { test: 'update', rps: 0, rank: null }),
      result(1, { fw: 3, variant: 'flask', rps: 0, rank: null }),
      // Results of a framework the inputs do not name (not tracked) make no event.
      result(1, { fw: 7, rank: 12 }),
    ])
    expect(drafts.map((d) => d.id)).toEqual(['benchmark:techempower:uuid-22:express', 'benchmark:techempower:uuid-22:nestjs'])
    expect(drafts[0]!.data.tests).toHaveLength(2)
    expect(drafts[1]!.title).toBe('NestJS in TechEmpower Round 22: #199 of 386 in fortunes')
    expect(drafts[1]!.content_html).toContain('<li>Fortunes: #199 of 386, 10,000 requests/s (nestjs &lt;b&gt;&quot;fast&quot;&lt;/b&gt; &amp; co)</li>')
  })

  it('gives the same ids and drafts on every derivation, in any input order; stored ids are skipped', () => {
    const results = [
      ...round22,
      result(1, { fw: 2, variant: 'nestjs', rank: 199, of: 386 }),
      result(2, { rank: 95 }),
      result(3, { test: 'hello-world', concurrency: 64, variant: 'javascript/express', rank: 263, of: 333 }),
    ]
    const inputs: EventInputs = {
      frameworks: [EXPRESS, NESTJS], releases: [], stars: [], downloads: [], guide: [],
      benchmarkRuns: [R22, R23, BM1], benchmarkResults: results,
    }
    const first = deriveEvents(inputs, { trendThresholdPct: 20, known: new Set() })
    expect(first.map((d) => d.id)).toEqual([
      'benchmark:techempower:uuid-22:express',
      'benchmark:techempower:uuid-22:nestjs',
      'benchmark:techempower:uuid-23:express',
      'benchmark:the-benchmarker:2026-02-11 23:25:12 UTC:express',
    ])
    const shuffled = { ...inputs, benchmarkRuns: [BM1, R23, R22], benchmarkResults: [...results].reverse() }
    expect(deriveEvents(shuffled, { trendThresholdPct: 20, known: new Set() })).toEqual(first)
    expect(deriveEvents(inputs, { trendThresholdPct: 20, known: new Set(first.map((d) => d.id)) })).toEqual([])
  })
})

describe('benchmark events from imported runs', () => {
  const t = useTestDatabase()
  const fake = useFakeUpstream()
  const NOW = new Date('2026-11-25T12:00:00Z')
  const BM_PATH = /^\/the-benchmarker\/web-frameworks\/develop\/data\.min\.json$/

  const app = () =>
    testApp(t, { publicUrl: PUBLIC_URL })
  const feed = async (slug: string) => (await app().request(`/frameworks/${slug}/feed.xml?kind=benchmark`)).text()
  const benchmarkEventIds = async () =>
    (await t.db.selectFrom('events').select('id').where('kind', '=', 'benchmark').orderBy('id').execute()).map((e) => e.id)
  /** The scheduler's own job: the import, then event derivation (and verdicts). */
  const importJob = async (name: 'techempower' | 'the-benchmarker', env: Record<string, string> = {}) => {
    const result = await runBenchmarkJob(t, fake, name, env, NOW)
    const events = await t.db.selectFrom('job_runs').select('status').where('job', '=', 'events').orderBy('id', 'desc').executeTakeFirstOrThrow()
    expect(events.status).toBe('succeeded')
    return result
  }

  /** The 2026-02-11 file as a later run: a new date, Express's and NestJS's figures at 64 connections swapped. */
  function laterBenchmarkerRun(): string {
    const data = JSON.parse(fixtureText(BENCHMARKER)) as {
      metrics: { level: number; label: string; value: number | null; framework_id: number }[]
      frameworks: { id: number; label: string; language: string }[]
      updated_at: string
    }
    const idOf = (label: string) => data.frameworks.find((f) => `${f.language}/${f.label}` === label)!.id
    const rps = (id: number) => data.metrics.find((m) => m.framework_id === id && m.level === 64 && m.label === 'total_requests_per_s')!
    const [express, nest] = [rps(idOf('javascript/express')), rps(idOf('javascript/nestjs-express'))]
    ;[express.value, nest.value] = [nest.value, express.value]
    data.updated_at = '2026-03-01 10:00:00 UTC'
    return JSON.stringify(data)
  }

  it('a new the-benchmarker run gives an item to the frameworks whose rank moved; a re-run changes no byte', async () => {
    serveBenchmarks(fake)
    expect(await importJob('the-benchmarker')).toMatchObject({ status: 'succeeded', rowsWritten: 999 })
    const firsts = await benchmarkEventIds()
    // The ten tracked frameworks each have a first result.
    expect(firsts).toHaveLength(10)
    expect(firsts).toContain('benchmark:the-benchmarker:2026-02-11 23:25:12 UTC:express')

    fake.on(BM_PATH, { body: laterBenchmarkerRun(), headers: { etag: '"bm-2"' } })
    expect(await importJob('the-benchmarker')).toMatchObject({ status: 'succeeded', rowsWritten: 999 })
    // Swapping two figures swaps two ranks at 64 connections (2,677.5 requests/s was #263, 2,632.2 #271): only those two moved.
    expect((await benchmarkEventIds()).filter((id) => !firsts.includes(id))).toEqual([
      'benchmark:the-benchmarker:2026-03-01 10:00:00 UTC:express',
      'benchmark:the-benchmarker:2026-03-01 10:00:00 UTC:nestjs',
    ])

    const body = await feed('express')
    const items = parseFeed(body).items
    expect(items.map((i) => [i.title, i.published?.toISOString(), i.url])).toEqual([
      ['Express moved from #263 to #271 at 64 connections (the-benchmarker run of 2026-03-01)', '2026-03-01T10:00:00.000Z', `${PUBLIC_URL}/frameworks/express`],
      ['Express in the-benchmarker run of 2026-02-11: #263 of 333 at 64 connections', '2026-02-11T23:25:12.000Z', `${PUBLIC_URL}/frameworks/express`],
    ])
    expect(items[0]!.content).toContain('<li>64 connections: #263 of 333 → #271 of 333, down 8 places; 2,678 → 2,632 requests/s (javascript/express)</li>')
    expect(items[0]!.content).toContain('<li>256 connections: #229 of 333 → #229 of 333, unchanged; 4,511 → 4,511 requests/s (javascript/express)</li>')
    expect(parseFeed(await feed('nestjs')).items[0]!.title).toBe('NestJS moved from #271 to #263 at 64 connections (the-benchmarker run of 2026-03-01)')
    // The default feed carries the kind too.
    expect(parseFeed(await (await app().request('/frameworks/express/feed.xml')).text()).items[0]!.title).toMatch(/^Express moved from #263/)

    // The same file again (304, then under a new ETag): nothing imported, nothing derived, no byte changed.
    expect(await importJob('the-benchmarker')).toMatchObject({ status: 'succeeded', rowsWritten: 0 })
    fake.on(BM_PATH, { body: laterBenchmarkerRun(), headers: { etag: '"bm-3"' } })
    expect(await importJob('the-benchmarker')).toMatchObject({ status: 'succeeded', rowsWritten: 0 })
    expect(await feed('express')).toBe(body)
  })

  it('TechEmpower: a first run, then a later run where Express\'s fortunes moved; the-benchmarker stays apart', async () => {
    serveBenchmarks(fake)
    await importJob('the-benchmarker')
    expect(await importJob('techempower', { TFB_RESULTS_URLS: roundUrl(fake) })).toMatchObject({ status: 'succeeded', rowsWritten: 2271 })
    // A later continuous run: Express's fortunes figures and fastify's (#140 of 386) swapped.
    const later = JSON.parse(fixtureText(TFB_2019))
    later.uuid = '11111111-2222-4333-8444-555555555555'
    later.name = 'Continuous Benchmarking Run 2019-12-18 09:00:00'
    later.startTime = Date.parse('2019-12-18T09:00:00Z')
    later.completionTime = Date.parse('2019-12-23T10:00:00Z')
    const fortune = later.rawData.fortune
    ;[fortune['express-postgres'], fortune.fastify] = [fortune.fastify, fortune['express-postgres']]
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'fp-bench-events-')), 'results.json')
    writeFileSync(file, JSON.stringify(later))
    expect(await importJob('techempower', { TFB_RESULTS_URLS: file })).toMatchObject({ status: 'succeeded', rowsWritten: 2271 })

    const body = await feed('express')
    const items = parseFeed(body).items
    expect(items.map((i) => [i.title, i.published?.toISOString()])).toEqual([
      ['Express in the-benchmarker run of 2026-02-11: #263 of 333 at 64 connections', '2026-02-11T23:25:12.000Z'],
      ['Express moved from #340 to #140 in fortunes (TechEmpower Continuous Benchmarking Run 2019-12-18 09:00:00)', '2019-12-23T10:00:00.000Z'],
      // RSS dates have whole seconds; the event keeps the run's completion time to the millisecond.
      ['Express in TechEmpower Continuous Benchmarking Run 2019-12-11 21:15:18: #340 of 386 in fortunes', '2019-12-16T11:22:09.000Z'],
    ])
    const first = await t.db.selectFrom('events').select('occurred_at').where('id', '=', 'benchmark:techempower:598923fe-6491-41bd-a2b6-047f70860aed:express').executeTakeFirstOrThrow()
    expect(first.occurred_at.toISOString()).toBe('2019-12-16T11:22:09.995Z')
    expect(items[1]!.content).toContain('<li>Fortunes: #340 of 386 → #140 of 386, up 200 places; 8,950 → 90,343 requests/s (express-postgres)</li>')
    expect(items[1]!.content).toContain('<li>JSON serialization: #186 of 396 → #186 of 396, unchanged;')
    // Only Express moved among the tracked frameworks: one new TechEmpower item in all.
    expect((await benchmarkEventIds()).filter((id) => id.startsWith('benchmark:techempower:1111'))).toEqual([
      'benchmark:techempower:11111111-2222-4333-8444-555555555555:express',
    ])
    await importJob('techempower', { TFB_RESULTS_URLS: `${roundUrl(fake)}, ${file}` })
    expect(await feed('express')).toBe(body)
  })
})
