import { decodeHTML } from 'entities'
import pino from 'pino'
import { describe, expect, it } from 'vitest'
import { saveSourceState } from '../../src/db/writes.js'
import { runSource } from '../../src/jobs/run-source.js'
import { githubSource } from '../../src/jobs/sources/github.js'
import { formatInstant } from '../../src/views/format.js'
import { dbChecks, ISO_INSTANT, literally } from '../helpers/db-checks.js'
import { useFakeUpstream } from '../helpers/fake-upstream.js'
import { createdAt, FakeGitHub, FAKE_REPOS, NOW, tagDate, totalStars, weekStart } from '../helpers/github-upstream.js'
import { fixture } from '../helpers/npm-upstream.js'
import { testApp } from '../helpers/app-server.js'
import { testConfig, testRunContext } from '../helpers/run-context.js'
import { useTestDatabase } from '../helpers/test-db.js'

const TODAY = '2026-11-25'
const TOKEN = 'ghp_FakeTokenThatMustNeverBeStored0123456789'
const t = useTestDatabase()
const fake = useFakeUpstream()
// OSS Insight on a host of its own where a test needs it apart from GitHub's (a refusal holds per host).
const ossHost = useFakeUpstream()

interface SyncOptions {
  token?: string
  env?: Record<string, string>
  log?: pino.Logger
  catalog?: string[]
  ossInsightUrl?: string
}

function sync(options: SyncOptions = {}) {
  const config = testConfig(fake.url, { GITHUB_API_URL: fake.url, OSSINSIGHT_API_URL: options.ossInsightUrl ?? fake.url, ...options.env })
  const source = githubSource({ apiUrl: config.GITHUB_API_URL, ossInsightUrl: config.OSSINSIGHT_API_URL, token: options.token })
  const catalog = options.catalog ? t.catalog.filter((f) => options.catalog!.includes(f.slug)) : t.catalog
  const ctx = testRunContext(t.db, catalog, config, NOW)
  return runSource(options.log ? { ...ctx, log: options.log } : ctx, source)
}

function github() {
  return new FakeGitHub(fake).serve()
}

/**
 * The next rate-limit window, an hour on: the fake's budget is full again, and the reset the last
 * run stored has passed (otherwise the run would rightly wait for it).
 */
async function nextWindow(gh: FakeGitHub, limit?: number) {
  gh.reset(limit)
  const stored = (await state('rate_limit')) as Record<string, unknown> | undefined
  if (stored) await saveSourceState(t.db, 'github', 'rate_limit', { ...stored, resetAt: new Date(Date.now() - 1000).toISOString() }, new Date())
}

async function observations(metric: string, subject?: string) {
  let q = t.db.selectFrom('observations').select(['subject', 'source', 'day', 'value']).where('metric', '=', metric)
  if (subject) q = q.where('subject', '=', subject)
  return q.orderBy('subject').orderBy('day').execute()
}

const { counts } = dbChecks(t)

async function countsFor(subject: string) {
  const rows = await t.db.selectFrom('observations').select(['metric', 'day', 'value']).where('subject', '=', subject).orderBy('metric').orderBy('day').execute()
  const releases = await t.db.selectFrom('releases').select(['version']).where('subject', '=', subject).orderBy('version').execute()
  return { rows, releases }
}

async function state(key: string): Promise<unknown> {
  const row = await t.db.selectFrom('source_state').select('value').where('source', '=', 'github').where('key', '=', key).executeTakeFirst()
  return row?.value
}

async function retainedBy(subject: string) {
  const rows = await observations('stars_retained', subject)
  return { first: rows[0]?.day, last: rows.at(-1)?.day, sum: rows.reduce((a, r) => a + r.value, 0), days: rows.length }
}

const historyPages = (gh: FakeGitHub) => gh.githubRequests().filter((r) => /stargazers\/history\?.*page=\d/.test(r.path)).map((r) => r.path)

describe('GitHub sync against the fake upstream', () => {
  it('a 60-request budget snapshots every framework and starts the backfill; the next window completes it', async () => {
    const gh = github()
    const first = await sync()
    expect(first.map((r) => [r.framework, r.status])).toEqual(t.catalog.map((f) => [f.slug, 'succeeded']))
    // The plan spends the window without ever being refused.
    expect(gh.githubRequests()).toHaveLength(60)
    expect(gh.remaining).toBe(0)

    const stars = await observations('stars')
    expect(stars.map((r) => [r.subject, r.day, r.value])).toEqual(
      [...FAKE_REPOS].sort((a, b) => a.fullName.localeCompare(b.fullName)).map((r) => [r.fullName, TODAY, totalStars(r)]),
    )
    const django = await retainedBy('django/django')
    expect(django.last).toBe(TODAY)
    expect(django.first! > createdAt(FAKE_REPOS[0]!).slice(0, 10)).toBe(true)
    expect(await state('django:history')).toMatchObject({ next: expect.stringContaining('page=21') })

    await nextWindow(gh)
    const second = await sync()
    expect(second.every((r) => r.status === 'succeeded')).toBe(true)
    for (const repo of FAKE_REPOS) {
      const retained = await retainedBy(repo.fullName)
      // Back to the creation week, and the retained stars add up to today's stargazers_count.
      expect(retained.first).toBe(new Date(weekStart(createdAt(repo).slice(0, 10)) * 1000).toISOString().slice(0, 10))
      expect(retained.sum).toBe(totalStars(repo))
      expect(await state(`${frameworkOf(repo.fullName)}:history`)).toMatchObject({ next: null })
    }
    // No page of weeks was fetched twice.
    const pages = historyPages(gh)
    expect(new Set(pages).size).toBe(pages.length)
    expect(await state('rate_limit')).toMatchObject({ limit: 60, resource: 'core' })
    // Within its reserve the second window had room to spare.
    expect(gh.remaining).toBeGreaterThan(0)
  })

  it('a second unauthenticated sync within the hour asks GitHub nothing, records no failure, and says until when it waits', async () => {
    const gh = github()
    await sync()
    expect(gh.remaining).toBe(0)
    const asked = fake.requests.length
    const saved = await t.db.selectFrom('source_state').select('updated_at').where('key', '=', 'rate_limit').executeTakeFirstOrThrow()

    const second = await sync()
    // Not one request: the stored budget says 0 left until the reset (the fake would answer 403).
    expect(fake.requests.length - asked).toBe(0)
    expect(second.map((r) => r.status)).toEqual(Array(10).fill('waiting'))
    const until = new Date(gh.resetAt * 1000).toISOString()
    const host = new URL(fake.url).host
    for (const r of second) {
      for (const s of r.signals!) expect(s.error).toBe(`github / ${r.framework}: waiting for the rate limit until ${until} (0 of 60 requests left in the window ${host} last reported; nothing asked)`)
    }
    const failed = await t.db.selectFrom('job_runs').select('id').where('status', '=', 'failed').execute()
    expect(failed).toEqual([])
    // Nothing new was heard from GitHub: the budget's "reported at" stays the first run's.
    expect(await t.db.selectFrom('source_state').select('updated_at').where('key', '=', 'rate_limit').executeTakeFirstOrThrow()).toEqual(saved)

    const status = decodeHTML((await (await testApp(t, { collected: new Set(['github']) }).request('/status')).text()).replace(/<[^>]+>/g, ''))
    expect(status).toContain('No last run failed. 31 waiting for a rate limit (nothing asked, not a failure).')
    expect(status).toMatch(new RegExp(`GitHub: 31 waiting for GitHub's rate limit until ${literally(formatInstant(new Date(until)))}\\.`))
  })

  it('with a small budget later frameworks still get their snapshot before anyone backfills', async () => {
    const gh = github()
    gh.reset(15)
    await sync()
    const stars = await observations('stars')
    // 15 requests: the snapshot of all ten comes first; routine requests fill the rest.
    expect(stars).toHaveLength(10)
    expect(gh.githubRequests().filter((r) => /page=2/.test(r.path))).toEqual([])
    expect(gh.remaining).toBe(0)
  })

  it('dates tags newest first, ten a run, and continues where it stopped; no date is invented', async () => {
    const gh = github()
    await sync({ catalog: ['django'] })
    const tags = fixture('github/tags.json') as Array<{ name: string }>
    const first = await t.db.selectFrom('releases').selectAll().where('subject', '=', 'django/django').orderBy('published_at', 'desc').execute()
    // The ten newest versions (tags carry no dates, and GitHub lists them by name).
    expect(first.map((r) => r.version).sort()).toEqual(
      ['2.5.0', '2.4.0', '2.3.0', '2.2.0', '2.1.1', '2.1.0.post0', '2.1.0', '2.0.1-preview', '2.0.0-preview.1', '2.0.0-preview'].sort(),
    )
    for (const release of first) {
      const n = tags.findIndex((tag) => tag.name.replace(/^v/, '') === release.version)
      expect(release.published_at.toISOString()).toBe(new Date(tagDate(n)).toISOString())
      expect(release).toMatchObject({ source: 'github', title: null, notes_html: null, url: `https://github.com/django/django/tree/${encodeURIComponent(tags[n]!.name)}` })
    }
    expect(first.find((r) => r.version === '2.0.1-preview')!.prerelease).toBe(true)
    expect(first.find((r) => r.version === '2.1.0.post0')!.prerelease).toBe(false)

    await nextWindow(gh)
    await sync({ catalog: ['django'] })
    await nextWindow(gh)
    await sync({ catalog: ['django'] })
    const all = await t.db.selectFrom('releases').select(['version', 'published_at']).where('subject', '=', 'django/django').execute()
    expect(all).toHaveLength(30)
    // One commit request per tag, each exactly once.
    const commits = gh.githubRequests().filter((r) => r.path.includes('/commits/'))
    expect(commits).toHaveLength(30)
    expect(new Set(commits.map((r) => r.path)).size).toBe(30)
    expect(await state('django:tags')).toMatchObject({ queue: [] })
  })

  it('releases: every page via pagination, drafts skipped, notes sanitized, "v" dropped', async () => {
    github()
    await sync({ token: TOKEN, catalog: ['express', 'flask'] })
    const express = await t.db.selectFrom('releases').selectAll().where('subject', '=', 'expressjs/express').execute()
    expect(express).toHaveLength(150)
    const flask = await t.db.selectFrom('releases').selectAll().where('subject', '=', 'pallets/flask').orderBy('published_at', 'desc').execute()
    expect(flask.map((r) => r.version)).toEqual(['1.55', '1.54.0.1', '1.54.1', '1.54', '1.53', '1.52', '1.51', '1.50', '1.47', '1.46'])
    expect(flask[0]).toMatchObject({ url: 'https://github.com/PyGithub/PyGithub/releases/tag/v1.55', title: null, prerelease: false })
    expect(flask[0]!.published_at.toISOString()).toBe('2021-04-26T04:44:57.000Z')
    expect(flask[0]!.notes_html).toContain('<p><strong>Breaking Changes</strong></p>')
    expect(flask[0]!.notes_html).toContain('<li>Remove client_id/client_secret authentication (#1888) (901af8c8)</li>')
  })

  it('a steady-state re-sync is answered 304 and writes nothing', async () => {
    const gh = github()
    gh.reset(5000)
    // With a token django's 30 tags are dated in the first run; the second run asks for the
    // newest week alone for the first time; after that everything is known.
    for (let run = 0; run < 3; run++) await sync({ token: TOKEN })
    expect(await state('django:tags')).toMatchObject({ queue: [] })
    const before = await counts()
    const version = await t.db.selectFrom('data_version').select('version').executeTakeFirstOrThrow()
    const remaining = gh.remaining
    const requestsBefore = gh.githubRequests().length

    const third = await sync({ token: TOKEN })
    expect(third.map((r) => r.rowsWritten)).toEqual(Array(10).fill(0))
    // Snapshot, releases (or tags for django), newest week: all 304.
    expect(third.map((r) => r.notModified)).toEqual([4, 3, 3, 3, 3, 3, 3, 3, 3, 3])
    expect(gh.githubRequests().length - requestsBefore).toBe(31)
    // Conditional requests answered 304 cost an authorized client nothing.
    expect(gh.remaining).toBe(remaining)
    expect(await counts()).toEqual(before)
    expect(await t.db.selectFrom('data_version').select('version').executeTakeFirstOrThrow()).toEqual(version)
  })
  it('`sync --backfill` ignores the cursors and validators and fetches the history again', async () => {
    const gh = github()
    gh.reset(5000)
    await sync({ token: TOKEN, catalog: ['flask'] })
    const before = gh.githubRequests().length
    const config = testConfig(fake.url, { GITHUB_API_URL: fake.url, OSSINSIGHT_API_URL: fake.url })
    const source = githubSource({ apiUrl: fake.url, ossInsightUrl: fake.url, token: TOKEN })
    const catalog = t.catalog.filter((f) => f.slug === 'flask')
    const [flask] = await runSource({ ...testRunContext(t.db, catalog, config, NOW), backfill: true }, source)
    expect(flask).toMatchObject({ status: 'succeeded', notModified: 0, rowsWritten: 0 })
    const again = gh.githubRequests().slice(before)
    expect(again.every((r) => r.headers['if-none-match'] === undefined)).toBe(true)
    expect(again.map((r) => r.path)).toEqual([
      '/repos/pallets/flask',
      '/repos/pallets/flask/releases?per_page=100',
      '/repos/pallets/flask/stargazers/history?per_page=30',
      // The next page as GitHub's Link header gives it.
      '/repositories/596892/stargazers/history?per_page=30&page=2',
    ])
  })

  it('follows a 301 for a renamed repository; rows keep the catalog name', async () => {
    const gh = github()
    gh.reset(5000)
    gh.repos.find((r) => r.fullName === 'expressjs/express')!.fullName = 'pillarjs/express'
    gh.renamed.set('expressjs/express', 'pillarjs/express')
    const [express] = await sync({ catalog: ['express'] })
    expect(express!.status).toBe('succeeded')
    const paths = gh.githubRequests().map((r) => r.path.replace(/\?.*/, ''))
    expect(paths.slice(0, 2)).toEqual(['/repos/expressjs/express', `/repositories/${FAKE_REPOS[1]!.id}`])
    // Later requests use the new name; pages after the first follow Link's /repositories/{id} URLs.
    const later = paths.slice(2)
    expect(later[0]).toMatch(/^\/repos\/pillarjs\/express\//)
    expect(later.every((p) => p.startsWith('/repos/pillarjs/express/') || p.startsWith(`/repositories/${FAKE_REPOS[1]!.id}/`))).toBe(true)
    expect((await observations('stars')).map((r) => r.subject)).toEqual(['expressjs/express'])
  })

  it('falls back to OSS Insight when the history endpoint is gone (410), without the token', async () => {
    const gh = github()
    gh.reset(5000)
    gh.historyStatus = 410
    await sync({ token: TOKEN, catalog: ['django', 'flask', 'nestjs'] })
    for (const repo of [FAKE_REPOS[0]!, FAKE_REPOS[7]!, FAKE_REPOS[8]!]) {
      const given = await observations('stars_given', repo.fullName)
      // Every day with stars from the creation day on, adding up to the running total.
      expect(given[0]!.day >= createdAt(repo).slice(0, 10)).toBe(true)
      expect(given.reduce((a, r) => a + r.value, 0)).toBe(totalStars(repo))
      expect(given.every((r) => r.source === 'github' && r.value > 0)).toBe(true)
    }
    expect(await observations('stars_retained')).toEqual([])
    // Django has more than 2,000 days with stars: the answer is cut there, and the next request
    // starts on the last day it held.
    const django = await observations('stars_given', 'django/django')
    expect(django.length).toBeGreaterThan(2000)
    expect(fake.requestsTo(/^\/v1\/repos\/django/).map((r) => r.path)).toEqual([
      `/v1/repos/django/django/stargazers/history/?per=day&from=${createdAt(FAKE_REPOS[0]!).slice(0, 10)}&to=${TODAY}`,
      `/v1/repos/django/django/stargazers/history/?per=day&from=${django[1999]!.day}&to=${TODAY}`,
    ])
    const oss = fake.requestsTo(/^\/v1\/repos\/(nestjs|pallets)/)
    expect(oss.map((r) => r.path)).toEqual([
      `/v1/repos/nestjs/nest/stargazers/history/?per=day&from=${createdAt(FAKE_REPOS[7]!).slice(0, 10)}&to=${TODAY}`,
      `/v1/repos/pallets/flask/stargazers/history/?per=day&from=${createdAt(FAKE_REPOS[8]!).slice(0, 10)}&to=${TODAY}`,
    ])
    expect(oss.every((r) => r.headers.authorization === undefined)).toBe(true)
    // OSS Insight's own x-ratelimit headers do not pass for GitHub's budget.
    expect(await state('rate_limit')).toMatchObject({ limit: 5000 })

    // The next run starts on the last settled day, whose row anchors the differences.
    const before = await observations('stars_given', 'pallets/flask')
    const base = (await state('flask:ossinsight')) as { base: string }
    expect(base.base <= '2026-11-22').toBe(true)
    await sync({ token: TOKEN, catalog: ['flask'] })
    expect(fake.requestsTo(/^\/v1\/repos\/pallets/).at(-1)!.path).toContain(`from=${base.base}&`)
    expect(await observations('stars_given', 'pallets/flask')).toEqual(before)
  })

  it('a 404 from the history endpoint also falls back', async () => {
    const gh = github()
    gh.historyStatus = 404
    const [flask] = await sync({ catalog: ['flask'] })
    expect(flask!.status).toBe('succeeded')
    expect((await observations('stars_given')).length).toBeGreaterThan(0)
  })

  it('the fallback failing (down, or rate limited itself) costs no GitHub data and stops nothing', async () => {
    const gh = github()
    gh.historyStatus = 404
    // OSS Insight on its own host: its 429 holds for it alone, never for GitHub.
    new FakeGitHub(ossHost).serve()
    ossHost.on(/^\/v1\/repos\/nestjs\//, { status: 503, body: 'down' })
    ossHost.on(/^\/v1\/repos\/pallets\//, { status: 429, headers: { 'retry-after': '3600' } })
    const results = await sync({ catalog: ['django', 'nestjs', 'flask', 'phoenix'], ossInsightUrl: ossHost.url })
    expect(results.map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded'])
    expect((await observations('stars')).map((r) => r.subject)).toEqual(['django/django', 'nestjs/nest', 'pallets/flask', 'phoenixframework/phoenix'])
    expect([...new Set((await observations('stars_given')).map((r) => r.subject))]).toEqual(['django/django'])
    expect(await state('nestjs:ossinsight')).toEqual({ base: null, error: expect.stringMatching(/^github \/ nestjs: HTTP 503 Service Unavailable from /) })
    expect(await state('flask:ossinsight')).toEqual({ base: null, error: expect.stringMatching(/^github \/ flask: rate limited until /) })
    // Once OSS Insight said "slow down", it was asked nothing more; GitHub went on being asked.
    const host = new URL(ossHost.url).host
    expect(await state('phoenix:ossinsight')).toEqual({
      base: null,
      error: expect.stringMatching(new RegExp(`^github / phoenix: waiting for the rate limit until ${ISO_INSTANT} \\(${literally(host)} refused a request for flask: `)),
    })
    expect(ossHost.requestsTo(/^\/v1\/repos\/phoenixframework\//)).toHaveLength(0)
    expect(gh.githubRequests().filter((r) => r.path.startsWith('/repos/phoenixframework/phoenix'))).not.toHaveLength(0)
  })

  describe('failures are recorded per framework and leave earlier data intact', () => {
    async function withEarlierData() {
      const gh = github()
      gh.reset(5000)
      await sync({ token: TOKEN })
      return { gh, before: await counts() }
    }

    async function runsFor(slug: string) {
      return t.db
        .selectFrom('job_runs')
        .innerJoin('frameworks', 'frameworks.id', 'job_runs.framework_id')
        .select(['job_runs.status', 'job_runs.error'])
        .where('frameworks.slug', '=', slug)
        .orderBy('job_runs.id', 'desc')
        .execute()
    }

    it('the budget runs out mid-run: nothing is asked once it is spent, each later signal waits under its own framework', async () => {
      const { gh, before } = await withEarlierData()
      gh.reset(60)
      gh.remaining = 2
      const earlier = fake.requests.length
      const results = await sync()
      // Two conditional snapshots (django, express) spend the window; no request is ever refused.
      const until = new Date(gh.resetAt * 1000).toISOString()
      expect(results.map((r) => r.signals!.map((s) => s.status))).toEqual([
        ['succeeded', 'waiting', 'waiting', 'waiting'],
        ['succeeded', 'waiting', 'waiting'],
        ...Array(8).fill(['waiting', 'waiting', 'waiting']),
      ])
      const host = new URL(fake.url).host
      expect(results[0]!.signals![1]!.error).toBe(
        `github / django: waiting for the rate limit until ${until} (1 of 60 requests left in this window, kept for the snapshots of 9 later frameworks; nothing asked)`,
      )
      for (const r of results.slice(2)) {
        expect(r.error).toBe(`github / ${r.framework}: waiting for the rate limit until ${until} (0 of 60 requests left in the window ${host} last reported; nothing asked)`)
      }
      expect((await runsFor('phoenix'))[0]).toMatchObject({ status: 'waiting', error: expect.stringMatching(/^github \/ phoenix: waiting for the rate limit until /) })
      const asked = (prefix: string) => fake.requests.slice(earlier).filter((r) => r.path.startsWith(prefix)).length
      expect([asked('/repos/django'), asked('/repos/expressjs'), asked('/repos/spring-projects'), asked('/repos/phoenixframework')]).toEqual([1, 1, 0, 0])
      expect(await counts()).toEqual(before)
      expect(await state('rate_limit')).toMatchObject({ remaining: 0, resetAt: until })
    })

    it('a 403 (x-ratelimit-remaining 0) on django: every later row names its own framework and the host that refused', async () => {
      const gh = github()
      gh.remaining = 0
      const results = await sync()
      const until = new Date(gh.resetAt * 1000).toISOString()
      const refusedUrl = `${fake.url}/repos/django/django`
      expect(results[0]).toMatchObject({ framework: 'django', status: 'failed', error: `github / django: rate limited until ${until} (${refusedUrl})` })
      const waits = `waiting for the rate limit until ${until} (${new URL(fake.url).host} refused a request for django: ${refusedUrl}; nothing asked)`
      for (const r of results.slice(1)) {
        expect(r.status).toBe('waiting')
        for (const s of r.signals!) expect(s.error).toBe(`github / ${r.framework}: ${waits}`)
      }
      for (const slug of ['express', 'phoenix']) {
        expect((await runsFor(slug)).map((r) => r.error)).toEqual(Array(3).fill(`github / ${slug}: ${waits}`))
      }
      // Once refused, nothing more was asked.
      expect(gh.githubRequests().map((r) => r.path)).toEqual(['/repos/django/django'])
    })

    it('a 429 with Retry-After stops the run', async () => {
      const { before } = await withEarlierData()
      const earlier = fake.requests.length
      fake.on(/^\/repos\/django\/django\/stargazers\/history/, { status: 429, headers: { 'retry-after': '3600' }, body: fixture('github/error-ratelimit-403-2013.json') })
      const results = await sync({ token: TOKEN })
      expect(results.map((r) => r.status)).toEqual(['failed', ...Array(9).fill('waiting')])
      // Django's other signals were answered before the refusal (304s).
      expect(results[0]!.signals!.map((s) => [s.signal, s.status])).toEqual([
        ['snapshot', 'succeeded'],
        ['releases', 'succeeded'],
        ['tags', 'succeeded'],
        ['star_history', 'failed'],
      ])
      expect(results[0]!.error).toMatch(/^github \/ django: rate limited until \d{4}-\d{2}-\d{2}T[\d:.]+Z \(.*\/stargazers\/history\?per_page=1\)$/)
      expect(results[1]!.error).toMatch(/^github \/ express: waiting for the rate limit until .* refused a request for django: .*\/stargazers\/history\?per_page=1; nothing asked\)$/)
      expect(fake.requests.slice(earlier).filter((r) => r.path.startsWith('/repos/expressjs'))).toHaveLength(0)
      expect(await counts()).toEqual(before)
    })

    it('a 500 is retried, then succeeds', async () => {
      const gh = github()
      fake.on(/^\/repos\/django\/django$/, { status: 500, body: 'boom' }, (req) => gh.handle(req))
      const [django] = await sync({ catalog: ['django'] })
      expect(django!.status).toBe('succeeded')
      expect(fake.requestsTo(/^\/repos\/django\/django$/)).toHaveLength(2)
      expect(await observations('stars')).toHaveLength(1)
    })

    it('a hung request times out and costs only its own signal', async () => {
      github()
      fake.on(/^\/repos\/expressjs\/express\/releases/, { hang: true })
      const results = await sync({ catalog: ['django', 'express'], env: { HTTP_TIMEOUT_MS: '300', HTTP_RETRIES: '0' } })
      expect(results[1]!.error).toBe(`github / express: request to ${fake.url}/repos/expressjs/express/releases?per_page=100 failed: timed out`)
      expect(results[1]!.signals!.map((s) => [s.signal, s.status])).toEqual([
        ['snapshot', 'succeeded'],
        ['releases', 'failed'],
        ['star_history', 'succeeded'],
      ])
      // Its snapshot and star history are stored; no release of express is.
      expect((await observations('stars')).map((r) => r.subject)).toEqual(['django/django', 'expressjs/express'])
      expect((await countsFor('expressjs/express')).releases).toEqual([])
      expect((await retainedBy('expressjs/express')).days).toBeGreaterThan(0)
    })

    it('a malformed body', async () => {
      await withEarlierData()
      const before = await countsFor('rails/rails')
      fake.on(/^\/repos\/rails\/rails$/, { headers: { 'content-type': 'application/json' }, body: '{"id": 8514, "full_name": ' })
      const results = await sync({ token: TOKEN })
      const rails = results.find((r) => r.framework === 'rails')!
      expect(rails.error).toMatch(/^github \/ rails: malformed JSON from http:\/\/127\.0\.0\.1:\d+\/repos\/rails\/rails: /)
      expect(results.filter((r) => r.status === 'failed')).toHaveLength(1)
      expect(await countsFor('rails/rails')).toEqual(before)
    })

    it('valid JSON of the wrong shape names the field', async () => {
      const gh = github()
      fake.on(/^\/repos\/rails\/rails$/, (req) => {
        const ok = gh.handle(req)
        return { ...ok, body: { ...(ok.body as object), stargazers_count: 'many' } }
      })
      const results = await sync({ catalog: ['rails'] })
      expect(results[0]!.error).toBe(`github / rails: unexpected response from ${fake.url}/repos/rails/rails: stargazers_count: Invalid input: expected number, received string`)
      // Nothing of the snapshot is stored; the releases and star history, other endpoints, are.
      expect(await observations('stars')).toEqual([])
      expect(results[0]!.signals!.map((s) => [s.signal, s.status])).toEqual([
        ['snapshot', 'failed'],
        ['releases', 'succeeded'],
        ['star_history', 'succeeded'],
      ])
      expect((await counts()).releases).toBe(10)
    })

    it('a semantic problem (a week whose days do not add up) fails the framework, nothing written', async () => {
      const gh = github()
      fake.on(/^\/repos\/rails\/rails\/stargazers\/history/, (req) => {
        const ok = gh.handle(req)
        const weeks = ok.body as Array<{ total: number }>
        return { ...ok, body: weeks.map((w, i) => (i === 2 ? { ...w, total: w.total + 1 } : w)) }
      })
      const results = await sync({ catalog: ['rails', 'flask'] })
      const url = `${fake.url}/repos/rails/rails/stargazers/history?per_page=30`
      expect(results[0]!.error).toMatch(/^github \/ rails: (\S+): \[2\]\.total: is \d+ but its days add up to \d+$/)
      expect(results[0]!.error).toContain(`: ${url}: [2].total`)
      expect(results[1]!.status).toBe('succeeded')
      // Rails' star history is not stored; its snapshot, another endpoint, is.
      expect((await observations('stars')).map((r) => r.subject)).toEqual(['pallets/flask', 'rails/rails'])
      expect(await observations('stars_retained', 'rails/rails')).toEqual([])
    })
  })

  it('sends the token as a Bearer header to GitHub only, and never stores or logs it', async () => {
    const gh = github()
    gh.reset(5000)
    gh.historyStatus = 404
    const lines: string[] = []
    const log = pino({ level: 'trace' }, { write: (line: string) => void lines.push(line) })
    fake.on(/^\/repos\/rails\/rails$/, { status: 502, body: 'bad gateway' })
    fake.on(/^\/repos\/nestjs\/nest\/releases/, { headers: { 'content-type': 'application/json' }, body: '[{' })
    const results = await sync({ token: TOKEN, log })
    expect(results.filter((r) => r.status === 'failed').map((r) => r.framework)).toEqual(['rails', 'nestjs'])

    const githubRequests = gh.githubRequests()
    expect(githubRequests.length).toBeGreaterThan(20)
    for (const req of githubRequests) {
      expect(req.headers).toMatchObject({
        authorization: `Bearer ${TOKEN}`,
        accept: 'application/vnd.github+json',
        'x-github-api-version': '2022-11-28',
      })
    }
    expect(fake.requestsTo(/^\/v1\//).length).toBeGreaterThan(0)
    expect(fake.requestsTo(/^\/v1\//).every((r) => r.headers.authorization === undefined)).toBe(true)

    const stored = JSON.stringify([
      await t.db.selectFrom('job_runs').selectAll().execute(),
      await t.db.selectFrom('source_state').selectAll().execute(),
      await t.db.selectFrom('http_cache').selectAll().execute(),
    ])
    expect(stored).toContain('HTTP 502 Bad Gateway')
    expect(stored).not.toContain(TOKEN)
    expect(lines.join('\n')).toContain('source failed')
    expect(lines.join('\n')).not.toContain(TOKEN)
  })

})

function frameworkOf(fullName: string): string {
  return t.catalog.find((f) => f.github === fullName)!.slug
}
