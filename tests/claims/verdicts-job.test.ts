import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addDays } from '../../src/days.js'
import { frameworkIdOf } from '../../src/db/queries/frameworks.js'
import { upsertObservations } from '../../src/db/writes.js'
import { loadGuideSnapshot } from '../../src/jobs/guide-job.js'
import { jobs } from '../../src/jobs/jobs.js'
import { runVerdicts } from '../../src/jobs/verdicts-job.js'
import { loadClaims } from '../../src/catalog/claims.js'
import { startAllUpstreams } from '../helpers/all-upstreams.js'
import { testConfig, testRunContext } from '../helpers/run-context.js'
import { testApp } from '../helpers/app-server.js'
import { useTestDatabase } from '../helpers/test-db.js'

const t = useTestDatabase()
const NOW = new Date('2026-11-20T12:00:00Z')
const LAST = '2026-11-19'

const verdictsStep = (now = NOW) => runVerdicts(testRunContext(t.db, t.catalog, testConfig('http://127.0.0.1:1'), now))
const rows = () => t.db.selectFrom('claim_verdicts').selectAll().orderBy('claim_id').execute()
const verdictOf = async (id: string) => (await rows()).find((r) => r.claim_id === id)!
const verdictEvents = () => t.db.selectFrom('events').selectAll().where('kind', '=', 'verdict').execute()

/** FastAPI's PyPI downloads: 90 days at `recent` a day after 90 days at 1,000. */
async function fastapiDownloads(recent: number) {
  const id = await frameworkIdOf(t.db, 'fastapi')
  await upsertObservations(
    t.db,
    Array.from({ length: 180 }, (_, i) => ({
      framework_id: id, source: 'pypi', subject: 'fastapi', metric: 'downloads', day: addDays(LAST, -i), value: i < 90 ? recent : 1000, fetched_at: NOW,
    })),
  )
}

describe('the verdict step', () => {
  it('stores a verdict per claim, with reasons for those not measurable', async () => {
    await fastapiDownloads(1250)
    expect(await verdictsStep()).toMatchObject({ source: 'verdicts', status: 'succeeded' })
    expect((await rows()).length).toBe(loadClaims(t.catalog).length)
    expect(await verdictOf('fastapi-explosive-growth')).toMatchObject({ status: 'supported', measured_status: 'supported', quote: 'explosive growth' })
    expect(await verdictOf('spring-boot-leads')).toMatchObject({ status: 'not measurable yet', reason: 'Maven Central publishes no download counts' })
    expect(await verdictOf('express-ecosystem-massive')).toMatchObject({ status: 'not measurable yet', reason: expect.stringMatching(/no count of the packages/) })
  })

  it('a flip creates exactly one event with a stable id; an unchanged re-run writes nothing', async () => {
    await fastapiDownloads(1250)
    await verdictsStep()
    expect(await verdictEvents()).toEqual([])
    await fastapiDownloads(1249)
    await verdictsStep()
    const before = await rows()
    expect(await verdictsStep()).toMatchObject({ rowsWritten: 0 })
    expect(await rows()).toEqual(before)
    const events = await verdictEvents()
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({
      id: `verdict:fastapi-explosive-growth:not-supported:${LAST}`,
      kind: 'verdict',
      title: 'FastAPI: “explosive growth” is now not supported (was supported)',
    })
    expect(events[0]!.occurred_at.toISOString()).toBe(`${LAST}T00:00:00.000Z`)
  })

  it('the framework page shows each claim with its badge, figures and chart link', async () => {
    await loadGuideSnapshot(t.db, t.catalog)
    await fastapiDownloads(1250)
    await verdictsStep()
    const app = testApp(t, { collected: new Set(['pypi']) })
    const html = await (await app.request('/frameworks/fastapi')).text()
    expect(html).toContain('The guide’s claims, checked')
    expect(html).toMatch(/“explosive growth”: supported/)
    expect(html).toMatch(/<q>due to its speed<\/q> <span class="badge badge-muted">not measurable yet<\/span>/)
    expect(html).toContain('href="/frameworks/fastapi?range=1y#trend-chart"')
    expect(html).toContain('+25% mean daily downloads')
    // The quote is marked in the guide paragraph, and the badge sits right after that paragraph.
    expect(html).toMatch(/<mark class="claim-quote claim-quote-supported">explosive growth<\/mark>[^]*?<\/p><\/div><p class="claim-badges"><a class="badge badge-succeeded verdict-badge"/)
    // The overview's card counts the supported claims of those measured, and the rest apart.
    const home = await (await app.request('/')).text()
    expect(home).toContain('<a href="/frameworks/fastapi#claims-title">1 of 1 guide claim supported by the data; 1 not measurable yet</a>')
  })

  it('a reason shown after a badge reads as a sentence: capital first letter, one full stop', async () => {
    await loadGuideSnapshot(t.db, t.catalog)
    await verdictsStep()
    const html = await (await testApp(t, { collected: new Set(['npm']) }).request('/frameworks/express')).text()
    expect(html).toMatch(/<p>No downloads of Express stored yet from npm: the first sync has not succeeded\.<\/p>/)
    expect(html).toMatch(/title="No downloads of Express stored yet from npm: the first sync has not succeeded\."/)
    expect(html).not.toMatch(/<p>no /)
  })

  it('a card whose claims are all not measurable yet says so, not "0 of N supported"', async () => {
    await loadGuideSnapshot(t.db, t.catalog)
    await verdictsStep()
    const home = await (await testApp(t, { collected: new Set(['pypi']) }).request('/')).text()
    expect(home).toContain('<a href="/frameworks/fastapi#claims-title">2 guide claims not measurable yet</a>')
    expect(home).not.toMatch(/0 of \d+ guide claims? supported/)
  })

  it('a framework page lists its claims in the order their quotes appear in the guide, not by id', async () => {
    await loadGuideSnapshot(t.db, t.catalog)
    await verdictsStep()
    const app = testApp(t, { collected: new Set(['pypi']) })
    const listed = async (slug: string) => [...(await (await app.request(`/frameworks/${slug}`)).text()).matchAll(/<li id="claim-([a-z-]+)">/g)].map((m) => m[1])
    // The guide says "remains a dominant force", then "real-time performance", then "Its ecosystem is massive".
    expect(await listed('express')).toEqual(['express-dominant-force', 'express-real-time', 'express-ecosystem-massive'])
    expect(await listed('phoenix')).toEqual(['phoenix-massive-concurrency', 'phoenix-gaining-attention'])
  })
})

describe('on the fully synced fake data', () => {
  let upstreams: Awaited<ReturnType<typeof startAllUpstreams>>
  beforeAll(async () => {
    upstreams = await startAllUpstreams()
  })
  afterAll(() => upstreams?.stop())

  it('every claim ends with a verdict or an explained "not measurable yet"', async () => {
    const config = testConfig('http://127.0.0.1:1', upstreams.env)
    const now = new Date()
    for (const job of jobs(config)) await job.run(testRunContext(t.db, t.catalog, config, now))
    const verdicts = await rows()
    expect(verdicts.map((v) => v.claim_id).sort()).toEqual(loadClaims(t.catalog).map((c) => c.id).sort())
    for (const v of verdicts) {
      if (v.status === 'not measurable yet') expect(v.reason, v.claim_id).toMatch(/\w{3,}/)
      else expect(v.measurement, v.claim_id).toMatchObject({ source: expect.any(String), chart: expect.stringMatching(/^\/(frameworks|benchmarks)/) })
    }
    // Downloads, stars, releases and both benchmark sources all reach a verdict from the fake data.
    const measured = verdicts.filter((v) => v.status !== 'not measurable yet').map((v) => v.claim_id)
    expect(measured).toEqual(expect.arrayContaining([
      'aspnet-core-fastest-techempower', 'aspnet-core-fastest-benchmarker', 'fastapi-speed', 'phoenix-massive-concurrency',
      'express-dominant-force', 'fastapi-explosive-growth', 'django-dominates', 'phoenix-gaining-attention', 'spring-boot-long-term-support',
    ]))
    const rails = verdicts.find((v) => v.claim_id === 'rails-remains-favorite')!
    expect(rails.reason).toMatch(/RubyGems publishes a running total/)
  }, 240_000)
})
