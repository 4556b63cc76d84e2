import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../src/db/database.js'
import { GITHUB_TEST_TOKEN, startAllUpstreams } from '../helpers/all-upstreams.js'
import { useChildProcesses } from '../helpers/child-processes.js'
import { useTestDatabase } from '../helpers/test-db.js'

// The "done when": `npm run sync` against fake upstreams fills all ten frameworks with
// every signal; a second run sends conditional requests and writes nothing new.
const t = useTestDatabase()
const { storage, launch } = useChildProcesses(t)
let upstreams: Awaited<ReturnType<typeof startAllUpstreams>>
beforeAll(async () => {
  upstreams = await startAllUpstreams()
})
afterAll(() => upstreams.stop())

type Tally = Record<string, number>

async function inspect(env: Record<string, string>) {
  const handle = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR ?? 'memory://' })
  const db = handle.db
  try {
    const signals = await db
      .selectFrom('observations')
      .innerJoin('frameworks', 'frameworks.id', 'observations.framework_id')
      .select(['slug', 'source', 'metric'])
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .groupBy(['slug', 'source', 'metric'])
      .execute()
    const releases = await db
      .selectFrom('releases')
      .innerJoin('frameworks', 'frameworks.id', 'releases.framework_id')
      .select(['slug', 'source'])
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .groupBy(['slug', 'source'])
      .execute()
    const count = async (table: 'guide_sections' | 'events' | 'benchmark_results') =>
      Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n)
    const errors = await db.selectFrom('job_runs').select(['job', 'error']).where('status', '!=', 'succeeded').execute()
    const runs = await db.selectFrom('job_runs').select(['id', 'job', 'rows_written']).orderBy('id').execute()
    const tally = (rows: Array<{ n: string } & Record<string, string>>, keys: string[]): Tally =>
      Object.fromEntries(rows.map((r) => [keys.map((k) => r[k]).join(' '), Number(r.n)]))
    return {
      signals: tally(signals as never, ['slug', 'source', 'metric']),
      releases: tally(releases as never, ['slug', 'source']),
      guide: await count('guide_sections'),
      events: await count('events'),
      benchmarks: await count('benchmark_results'),
      errors,
      runs,
    }
  } finally {
    await handle.close()
  }
}

describe('npm run sync against every fake upstream', () => {
  it('fills every framework with every signal; the second run is conditional and writes nothing new', async () => {
    const env = { ...storage(), ...upstreams.env }
    const first = launch('src/jobs/sync.ts', [], env)
    expect(await first.exited, first.output()).toBe(0)
    expect(first.output()).toContain('sync finished: all succeeded')
    const after = await inspect(env)
    expect(after.errors).toEqual([])

    const has = (key: string) => expect(after.signals[key] ?? 0, key).toBeGreaterThan(0)
    for (const slug of ['django', 'express', 'spring-boot', 'rails', 'laravel', 'aspnet-core', 'fastapi', 'nestjs', 'flask', 'phoenix']) {
      for (const metric of ['stars', 'forks', 'open_issues', 'watchers', 'pushed_at', 'archived', 'stars_retained']) has(`${slug} github ${metric}`)
      expect(Object.keys(after.releases).filter((k) => k.startsWith(`${slug} `)).length, `${slug} releases`).toBeGreaterThan(0)
    }
    for (const key of ['django pypi downloads', 'fastapi pypi downloads', 'flask pypi downloads', 'express npm downloads', 'nestjs npm downloads', 'laravel packagist downloads', 'phoenix hex downloads']) has(key)
    for (const key of ['rails rubygems downloads_total', 'aspnet-core nuget downloads_total', 'phoenix hex downloads_total']) has(key)
    for (const key of ['django pypi', 'express npm', 'spring-boot maven', 'rails rubygems', 'laravel packagist', 'aspnet-core nuget', 'phoenix hex', 'flask github', 'django github']) {
      expect(after.releases[key] ?? 0, key).toBeGreaterThan(0)
    }
    expect(after.guide).toBe(10)
    expect(after.benchmarks).toBeGreaterThan(0)
    expect(after.events).toBeGreaterThan(0)

    const since = upstreams.mark()
    const second = launch('src/jobs/sync.ts', [], env)
    expect(await second.exited, second.output()).toBe(0)
    const again = await inspect(env)
    const { runs: runsAfter, ...rest } = after
    const { runs: runsAgain, ...restAgain } = again
    expect(restAgain).toEqual(rest)
    // Every run of the second sync (each source and framework, events, benchmarks) wrote 0 rows.
    const secondRuns = runsAgain.filter((r) => Number(r.id) > Number(runsAfter.at(-1)!.id))
    expect(secondRuns.length).toBeGreaterThan(20)
    expect(secondRuns.filter((r) => r.rows_written !== 0)).toEqual([])
    expect(second.output()).toMatch(/sync finished: all succeeded/)

    const conditional = (upstream: string, path: RegExp) => {
      const sent = since().filter((r) => r.upstream === upstream && path.test(r.path))
      expect(sent.length, `${upstream} ${path}`).toBeGreaterThan(0)
      expect(sent.every((r) => r.headers['if-none-match'] || r.headers['if-modified-since']), `${upstream} ${path}`).toBe(true)
    }
    conditional('guide', /wp-json/)
    conditional('npm', /^\/express$/)
    conditional('pypi', /^\/pypi\//)
    conditional('rubygems', /versions/)
    conditional('nuget', /registration/)
    conditional('maven', /maven-metadata\.xml$/)
    conditional('github', /^\/repos\/[^/]+\/[^/]+$/)
    // The token went to GitHub only, and into no stored error or log line.
    expect(first.output() + second.output()).not.toContain(GITHUB_TEST_TOKEN)
    expect(upstreams.requests().filter((r) => r.headers.authorization).every((r) => r.upstream === 'github')).toBe(true)
  }, 240_000)
})
