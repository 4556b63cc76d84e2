import { decodeHTML } from 'entities'
import { beforeEach, describe, expect, it } from 'vitest'
import { finishRun, startRun } from '../../src/db/job-runs.js'
import { bumpDataVersion } from '../../src/db/writes.js'
import { frameworkIdOf, frameworkIds } from '../../src/db/queries/frameworks.js'
import { loadGuideSnapshot } from '../../src/jobs/guide-job.js'
import { runSource } from '../../src/jobs/run-source.js'
import { githubSource } from '../../src/jobs/sources/github.js'
import { liveEtag } from '../../src/views/components/live-region.js'
import { clockTime } from '../../src/views/empty-reason.js'
import { useFakeUpstream } from '../helpers/fake-upstream.js'
import { FakeGitHub, NOW } from '../helpers/github-upstream.js'
import { testConfig, testRunContext } from '../helpers/run-context.js'
import { testApp } from '../helpers/app-server.js'
import { useTestDatabase } from '../helpers/test-db.js'

// Issue 4: every empty state says why, from the stored runs and rate limits.
const t = useTestDatabase()
const fake = useFakeUpstream()

function app() {
  return testApp(t, { collected: new Set(['github', 'pypi']) })
}

const text = (html: string) => decodeHTML(html.replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ').replace(/ ([.,):])/g, '$1')
const page = async (path: string) => text(await (await app().request(path)).text())

/** A GitHub run for Flask alone, as the scheduler writes it. */
async function githubRun() {
  return startRun(t.db, { job: 'github', source: 'github', frameworkId: await frameworkIdOf(t.db, 'flask') })
}

/** The real GitHub job for Flask against the fake API. */
function syncGithub() {
  const config = testConfig(fake.url, { GITHUB_API_URL: fake.url, OSSINSIGHT_API_URL: fake.url })
  const source = githubSource({ apiUrl: config.GITHUB_API_URL, ossInsightUrl: config.OSSINSIGHT_API_URL, token: undefined })
  return runSource(testRunContext(t.db, t.catalog.filter((f) => f.slug === 'flask'), config, NOW), source)
}

describe('empty states say why', () => {
  beforeEach(async () => {
    await loadGuideSnapshot(t.db, t.catalog)
  })

  it('before any run: not synced yet, per source', async () => {
    const html = await page('/frameworks/flask')
    expect(html).toContain('No star data yet Nothing stored from GitHub yet: not synced yet.')
    expect(html).toContain('No download data yet Nothing stored from PyPI yet: not synced yet.')
    expect(html).toContain('No GitHub figures for pallets/flask yet: not synced yet.')
    expect(html).toContain('No releases from PyPI yet: not synced yet. No releases from GitHub yet: not synced yet.')
  })

  it('a framework whose registry publishes no download counts: no "yet" in the downloads heading', async () => {
    const html = text(await (await testApp(t, { collected: new Set(['github', 'maven']) }).request('/frameworks/spring-boot')).text())
    expect(html).toContain('No download counts Maven Central publishes no download counts, so there is no downloads chart.')
    expect(html).not.toContain('No download data yet')
  })

  it('while the first sync runs: "first sync running" with its start, on the page, its live fragment and the overview', async () => {
    await githubRun()
    const a = app()
    const raw = await (await a.request('/frameworks/flask')).text()
    const html = text(raw)
    const started = /first sync running \(started (\d{4}-\d\d-\d\d \d\d:\d\d UTC)\)/
    expect(html).toMatch(new RegExp(`Nothing stored from GitHub yet: ${started.source}\\.`))
    expect(html).toMatch(new RegExp(`No GitHub figures for pallets/flask yet: ${started.source}\\.`))
    // The start is a <time> the client script shows as "n min ago".
    expect(raw).toMatch(/\(started <time datetime="[^"]+" data-ago="true">/)
    // PyPI has not begun: said apart.
    expect(html).toContain('Nothing stored from PyPI yet: not synced yet.')

    // The live fragment is the same bytes as the region the page embeds.
    const region = raw.match(/<div id="live-framework"[^>]*data-etag="([^"]+)"/)!
    const fragment = await a.request('/live/frameworks/flask?range=90d')
    expect(fragment.headers.get('etag')).toBe(decodeHTML(region[1]!))
    expect(liveEtag(await fragment.text())).toBe(decodeHTML(region[1]!))

    expect(await page('/')).toMatch(new RegExp(`No GitHub figures for pallets/flask yet: ${started.source}\\.`))
  })

  it('a page cached before the first run starts says so once it has started, and once it stored nothing', async () => {
    const a = app()
    const flask = async () => text(await (await a.request('/frameworks/flask')).text())
    expect(await flask()).toContain('Nothing stored from GitHub yet: not synced yet.')
    const run = await githubRun()
    expect(await flask()).toMatch(/Nothing stored from GitHub yet: first sync running/)
    await finishRun(t.db, run, { status: 'succeeded', rowsWritten: 0 })
    expect(await flask()).not.toMatch(/Nothing stored from GitHub yet: (first sync running|not synced yet)/)
  })

  it('a run refused for the rate limit (403, x-ratelimit-remaining 0): "rate limit reached, next try at" the reset', async () => {
    const gh = new FakeGitHub(fake).serve()
    gh.remaining = 0
    const [result] = await syncGithub()
    expect(result).toMatchObject({ status: 'failed', error: expect.stringMatching(/^github \/ flask: rate limited until /) })
    const next = clockTime(new Date(gh.resetAt * 1000), new Date())
    const html = await page('/frameworks/flask')
    expect(html).toContain(`Nothing stored from GitHub yet: GitHub rate limit reached, next try at ${next}.`)
    expect(html).toContain(`No GitHub figures for pallets/flask yet: GitHub rate limit reached, next try at ${next}.`)
    expect(html).toContain(`No releases from GitHub yet: GitHub rate limit reached, next try at ${next}.`)
    expect(await page('/')).toContain(`No GitHub figures for pallets/flask yet: GitHub rate limit reached, next try at ${next}.`)
  })

  it('a spent budget with a reset to come explains a source that has not run yet', async () => {
    const gh = new FakeGitHub(fake).serve()
    gh.remaining = 0
    await syncGithub()
    // Another failure later (the budget still spent): the wait is what the reader needs.
    await finishRun(t.db, await githubRun(), { status: 'failed', error: 'github / flask: request to http://x/ failed: ECONNRESET' })
    const next = clockTime(new Date(gh.resetAt * 1000), new Date())
    expect(await page('/frameworks/flask')).toContain(`Nothing stored from GitHub yet: GitHub rate limit reached, next try at ${next}.`)
  })

  it('a failed run: "Last GitHub sync failed: <error> (see status)"', async () => {
    await finishRun(t.db, await githubRun(), { status: 'failed', error: 'github / flask: HTTP 500 Internal Server Error from http://x/repos/pallets/flask' })
    const raw = await (await app().request('/frameworks/flask')).text()
    const html = text(raw)
    const failed = 'Last GitHub sync failed: github / flask: HTTP 500 Internal Server Error from http://x/repos/pallets/flask (see status).'
    expect(html).toContain(`No star data yet Nothing stored from GitHub yet. ${failed}`)
    expect(html).toContain(`No GitHub figures for pallets/flask yet. ${failed}`)
    expect(raw).toContain('(see <a href="/status">status</a>)')
    // Said once beside the figures, not again under them.
    expect(html.match(/Last GitHub sync failed/g)).toHaveLength(3)
  })

  it('a page rendered "sync running" while other data changed says the outcome once the run ends, though the same as before', async () => {
    const error = 'github / flask: HTTP 503 Service Unavailable from http://x/repos/pallets/flask'
    await finishRun(t.db, await githubRun(), { status: 'failed', error })
    const a = app()
    const flask = async () => text(await (await a.request('/frameworks/flask')).text())
    const run = await githubRun()
    // Another source writes during the run: the page is rendered afresh, showing it running.
    await bumpDataVersion(t.db)
    expect(await flask()).toMatch(/Nothing stored from GitHub yet: first sync running/)
    await finishRun(t.db, run, { status: 'failed', error })
    expect(await flask()).toContain(`Nothing stored from GitHub yet. Last GitHub sync failed: ${error} (see status).`)
  })

  it('offline: each card says which host did not answer, and the overview says most did not, once', async () => {
    const ids = await frameworkIds(t.db)
    for (const slug of ['django', 'fastapi', 'flask']) {
      for (const [source, host] of [['pypi', 'pypistats.invalid'], ['github', 'api.github.invalid']]) {
        const run = await startRun(t.db, { job: source!, source: source!, frameworkId: ids.get(slug)! })
        await finishRun(t.db, run, { status: 'failed', error: `${source} / ${slug}: request to https://${host}/x/${slug} failed: ENOTFOUND` })
      }
    }
    const guide = await startRun(t.db, { job: 'guide', source: 'guide', frameworkId: null })
    await finishRun(t.db, guide, { status: 'failed', error: 'guide: request to https://guide-site.invalid/blog/wp-json/wp/v2/posts/25042 failed: ENOTFOUND' })
    const home = await page('/')
    expect(home).toContain('Last guide sync failed: could not reach guide-site.invalid (ENOTFOUND) (see status).')
    expect(home).toContain('6 of the 6 latest fetches got no answer from their upstream: this machine may be offline or need a proxy.')
    expect(home).toContain('No PyPI download figures yet. Last PyPI sync failed: could not reach pypistats.invalid (ENOTFOUND) (see status).')
    expect(home.match(/got no answer/g)).toHaveLength(1)
    // The status page keeps the whole error.
    expect(await page('/status')).toContain('pypi / django: request to https://pypistats.invalid/x/django failed: ENOTFOUND')
    // Most fetches answered: no notice.
    const run = await startRun(t.db, { job: 'pypi', source: 'pypi', frameworkId: ids.get('django')! })
    await finishRun(t.db, run, { status: 'succeeded', rowsWritten: 0 })
    for (const slug of ['express', 'nestjs', 'rails', 'laravel', 'phoenix']) {
      await finishRun(t.db, await startRun(t.db, { job: 'github', source: 'github', frameworkId: ids.get(slug)! }), { status: 'succeeded', rowsWritten: 0 })
    }
    expect(await page('/')).not.toContain('got no answer')
  })

  it('the range picker’s chart fragment says the same', async () => {
    await githubRun()
    expect(await page('/frameworks/flask/chart?range=30d')).toMatch(/Nothing stored from GitHub yet: first sync running \(started /)
  })
})
