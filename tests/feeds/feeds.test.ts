import { parseFeed } from '@rowanmanning/feed-parser'
import { XMLValidator } from 'fast-xml-parser'
import { beforeEach, describe, expect, it } from 'vitest'
import { loadGuideSnapshot } from '../../src/jobs/guide-job.js'
import { eventGuid } from '../../src/views/feed.js'
import { useFakeUpstream } from '../helpers/fake-upstream.js'
import { EXPRESS_NOTES, PUBLIC_URL, runNpmJob, seedAll } from '../helpers/feed-seed.js'
import { serveNpm } from '../helpers/npm-upstream.js'
import { testApp } from '../helpers/app-server.js'
import { useTestDatabase } from '../helpers/test-db.js'

const NOW = new Date('2026-11-25T12:00:00Z')
const t = useTestDatabase()
const fake = useFakeUpstream()

function app() {
  return testApp(t, { publicUrl: PUBLIC_URL })
}

const FEED_PATHS = ['/feed.xml', '/feed.atom', '/feed.json', '/frameworks/express/feed.xml', '/frameworks/express/feed.atom', '/frameworks/express/feed.json']

/** What the seeded data must give, newest first: [id, title, date, link]. */
const EXPRESS_ITEMS = [
  ['stars:express:expressjs/express:75000', 'Express passes 75,000 GitHub stars', '2026-11-21T00:00:00.000Z', `${PUBLIC_URL}/frameworks/express`],
  ['release:express:4.22.0', 'Express 4.22.0', '2025-06-20T12:00:00.000Z', 'https://www.npmjs.com/package/express/v/4.22.0'],
  ['release:express:5.1.0', 'Express 5.1.0', '2025-03-31T14:38:04.046Z', 'https://github.com/expressjs/express/releases/tag/v5.1.0'],
  ['release:express:4.21.2', 'Express 4.21.2', '2024-12-05T22:57:09.540Z', 'https://www.npmjs.com/package/express/v/4.21.2'],
  ['release:express:5.0.0', 'Express 5.0.0: new major version', '2024-09-10T04:39:28.611Z', 'https://www.npmjs.com/package/express/v/5.0.0'],
]

async function get(path: string, headers: Record<string, string> = {}) {
  const res = await app().request(path, { headers })
  return { res, body: await res.text() }
}

describe('feeds', () => {
  beforeEach(async () => {
    serveNpm(fake)
    const results = await seedAll(t, fake.url, NOW)
    expect(results.map((r) => [r.source, r.framework, r.status])).toEqual([
      ['npm', 'express', 'succeeded'],
      ['npm', 'nestjs', 'succeeded'],
      ['events', '*', 'succeeded'],
      ['verdicts', '*', 'succeeded'],
    ])
  })

  it('RSS 2.0 is well-formed and a feed parser reads every item: id, title, date, link', async () => {
    const { res, body } = await get('/frameworks/express/feed.xml')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8')
    expect(XMLValidator.validate(body)).toBe(true)
    const feed = parseFeed(body)
    expect(feed.meta.type).toBe('rss')
    expect(feed.title).toBe('Express · Framework Pulse')
    expect(feed.url).toBe(`${PUBLIC_URL}/frameworks/express`)
    expect(feed.self).toBe(`${PUBLIC_URL}/frameworks/express/feed.xml`)
    expect(feed.items.map((i) => [i.id, i.title, i.published?.toISOString().slice(0, 19), i.url])).toEqual(
      EXPRESS_ITEMS.map(([id, title, date, url]) => [eventGuid(id!), title, date!.slice(0, 19), url]),
    )
    // RSS dates have whole seconds (RFC 822).
    expect(body).toContain('<pubDate>Mon, 31 Mar 2025 14:38:04 GMT</pubDate>')
    expect(body).toContain('<lastBuildDate>Wed, 25 Nov 2026 12:00:00 GMT</lastBuildDate>')
    const notes = feed.items.find((i) => i.title === 'Express 5.1.0')!
    expect(notes.content).toContain(EXPRESS_NOTES)
    expect(notes.description).toBe('Express 5.1.0 was published on npm (express) and github (expressjs/express) on 2025-03-31.')
  })

  it('Atom 1.0 is well-formed, has the elements RFC 4287 requires, and reads back the same items', async () => {
    const { res, body } = await get('/frameworks/express/feed.atom')
    expect(res.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8')
    expect(XMLValidator.validate(body)).toBe(true)
    const feed = parseFeed(body)
    expect(feed.meta.type).toBe('atom')
    expect(feed.updated?.toISOString()).toBe(NOW.toISOString())
    expect(feed.authors.map((a) => a.name)).toEqual(['Framework Pulse'])
    expect(feed.self).toBe(`${PUBLIC_URL}/frameworks/express/feed.atom`)
    expect(body).toContain(`<id>${PUBLIC_URL}/frameworks/express/feed.atom</id>`)
    expect(feed.items.map((i) => [i.id, i.title, i.published?.toISOString(), i.updated?.toISOString(), i.url])).toEqual(
      EXPRESS_ITEMS.map(([id, title, date, url]) => [eventGuid(id!), title, date, date, url]),
    )
    expect(feed.items.map((i) => i.categories.map((c) => c.term))).toEqual([['stars'], ['release'], ['release'], ['release'], ['major']])
  })

  it('JSON Feed 1.1 carries the same items with plain-text summaries and HTML content', async () => {
    const { res, body } = await get('/frameworks/express/feed.json')
    expect(res.headers.get('content-type')).toBe('application/feed+json; charset=utf-8')
    const feed = JSON.parse(body)
    expect(feed).toMatchObject({
      version: 'https://jsonfeed.org/version/1.1',
      title: 'Express · Framework Pulse',
      home_page_url: `${PUBLIC_URL}/frameworks/express`,
      feed_url: `${PUBLIC_URL}/frameworks/express/feed.json`,
      language: 'en',
      authors: [{ name: 'Framework Pulse', url: `${PUBLIC_URL}/` }],
    })
    expect(feed).not.toHaveProperty('author')
    expect(feed.items.map((i: Record<string, string>) => [i.id, i.title, i.date_published, i.url])).toEqual(
      EXPRESS_ITEMS.map(([id, title, date, url]) => [eventGuid(id!), title, date, url]),
    )
    const stars = feed.items[0]
    expect(stars.summary).toBe('expressjs/express had 75,020 GitHub stars on 2026-11-21, up from 74,950 on 2026-11-20.')
    expect(stars.content_html).toBe(`<p>${stars.summary}</p>`)
    expect(stars.tags).toEqual(['stars'])
  })

  it('the site feeds hold every tracked framework\'s events, global ones once, no prereleases', async () => {
    const rss = parseFeed((await get('/feed.xml')).body)
    expect(rss.title).toBe('Framework Pulse: all frameworks')
    expect(rss.items.map((i) => i.title)).toEqual([
      'Express passes 75,000 GitHub stars',
      'Django: django downloads on PyPI up 20.9% (28-day mean)',
      'Express 4.22.0',
      'NestJS 11.1.0',
      'Express 5.1.0',
      'NestJS 11.0.0: new major version',
      'Express 4.21.2',
      'NestJS 10.4.15',
      'Express 5.0.0: new major version',
    ])
    // A trend change links to the framework's page and gives the figures.
    const trend = rss.items[1]!
    expect(trend.url).toBe(`${PUBLIC_URL}/frameworks/django`)
    expect(trend.published?.toISOString()).toBe('2026-10-08T00:00:00.000Z')
    expect(trend.description).toBe(
      'django on PyPI averaged 120,893 downloads a day from 2026-09-11 to 2026-10-08, +20.9% against 100,000 a day from 2026-08-14 to 2026-09-10 (a trend change is ±20%).',
    )
    const atom = parseFeed((await get('/feed.atom')).body)
    const json = JSON.parse((await get('/feed.json')).body)
    expect(atom.items.map((i) => i.id)).toEqual(rss.items.map((i) => i.id))
    expect(json.items.map((i: { id: string }) => i.id)).toEqual(rss.items.map((i) => i.id))
  })

  it('?kind= filters by event kind; prereleases only when asked for', async () => {
    const pre = parseFeed((await get('/frameworks/express/feed.atom?kind=prerelease')).body)
    // Express's early loose versions (1.0.0rc4, no hyphen) are prereleases too, under semver loose.
    expect(pre.items.map((i) => i.title)).toEqual([
      'Express 5.0.0-beta.3 (prerelease)', 'Express 3.0.0alpha5 (prerelease)', 'Express 2.0.0beta (prerelease)',
      ...['1.0.0rc4', '1.0.0rc3', '1.0.0rc2', '1.0.0rc', '1.0.0beta2', '1.0.0beta'].map((v) => `Express ${v} (prerelease)`),
    ])
    expect(pre.self).toBe(`${PUBLIC_URL}/frameworks/express/feed.atom?kind=prerelease`)
    expect(pre.title).toBe('Express · Framework Pulse (only: Prerelease)')
    // The description names the kinds the feed carries, not every kind.
    expect(pre.description).toBe('Prereleases for Express, from public data, as tracked by Framework Pulse.')
    expect(parseFeed((await get('/frameworks/express/feed.xml')).body).description).toBe(
      'Releases, new major versions, GitHub star milestones, download trend changes, claim verdict changes, benchmark results and guide updates for Express, from public data, as tracked by Framework Pulse.',
    )
    const some = parseFeed((await get('/feed.xml?kind=stars,major')).body)
    expect(some.description).toBe('New major versions and GitHub star milestones of every framework, from public data, as tracked by Framework Pulse.')
    expect(some.items.map((i) => i.title)).toEqual(['Express passes 75,000 GitHub stars', 'NestJS 11.0.0: new major version', 'Express 5.0.0: new major version'])
    // Repeated parameters work too, and come out in the vocabulary's order.
    const repeated = await get('/feed.json?kind=major&kind=release')
    expect(JSON.parse(repeated.body).feed_url).toBe(`${PUBLIC_URL}/feed.json?kind=release,major`)
    const all = parseFeed((await get('/frameworks/nestjs/feed.xml?kind=release,major,prerelease')).body)
    expect(all.items.map((i) => i.title)).toEqual(['NestJS 11.1.1-next.1 (prerelease)', 'NestJS 11.1.0', 'NestJS 11.0.0: new major version', 'NestJS 10.4.15'])
  })

  it('a feed whose kinds have no events is dated by the newest event of any kind, not 1970', async () => {
    const rss = await get('/frameworks/express/feed.xml?kind=benchmark')
    expect(parseFeed(rss.body).items).toEqual([])
    expect(rss.body).toContain('<lastBuildDate>Wed, 25 Nov 2026 12:00:00 GMT</lastBuildDate>')
    expect(rss.body).not.toContain('1970')
    expect(rss.res.headers.get('last-modified')).toBe(NOW.toUTCString())
    const atom = await get('/feed.atom?kind=benchmark')
    expect(atom.body).toContain(`<updated>${NOW.toISOString()}</updated>`)
    expect(parseFeed(atom.body).description).toBe('Benchmark results of every framework, from public data, as tracked by Framework Pulse.')
  })

  it('a bad kind is a 400 with the reason; an unknown framework is a 404', async () => {
    for (const query of ['?kind=nope', '?kind=', '?kind=release,,major', '?kind=RELEASE']) {
      const { res, body } = await get(`/frameworks/express/feed.xml${query}`)
      expect(res.status, query).toBe(400)
      expect(body).toContain('kind: must be a comma-separated list of release, major, prerelease, stars, trend, guide, verdict, benchmark')
    }
    expect((await get('/frameworks/no-such-framework/feed.atom')).res.status).toBe(404)
    expect((await get('/frameworks/no-such-framework/feed.xml?kind=nope')).res.status).toBe(400)
  })

  it('a second sync over unchanged data leaves every feed byte-identical, with the same ETag', async () => {
    const paths = [...FEED_PATHS, '/feed.xml?kind=prerelease', '/frameworks/nestjs/feed.json?kind=prerelease,major', '/frameworks/express/feed.atom?kind=benchmark']
    const before = await Promise.all(paths.map((p) => get(p)))
    const again = await runNpmJob(t, fake.url, NOW)
    expect(again.map((r) => [r.source, r.status, r.rowsWritten])).toEqual([['npm', 'succeeded', 0], ['npm', 'succeeded', 0], ['events', 'succeeded', 0], ['verdicts', 'succeeded', 0]])
    const after = await Promise.all(paths.map((p) => get(p)))
    paths.forEach((path, i) => {
      expect(after[i]!.body, path).toBe(before[i]!.body)
      expect(after[i]!.res.headers.get('etag'), path).toBe(before[i]!.res.headers.get('etag'))
    })
    // Nothing in a feed says when it was served.
    expect(new Set(before.map((b) => b.res.headers.get('etag'))).size).toBe(paths.length)
  })

  it('answers 304 to If-None-Match and to If-Modified-Since, with validators and Cache-Control', async () => {
    for (const path of FEED_PATHS) {
      const { res } = await get(path)
      const etag = res.headers.get('etag')!
      expect(etag, path).toMatch(/^W\/"[\w-]{32}"$/)
      expect(res.headers.get('last-modified'), path).toBe(NOW.toUTCString())
      expect(res.headers.get('cache-control'), path).toBe('public, max-age=900')
      const cached = await get(path, { 'if-none-match': `"other", ${etag}` })
      expect(cached.res.status, path).toBe(304)
      expect(cached.body).toBe('')
      expect(cached.res.headers.get('etag')).toBe(etag)
      expect((await get(path, { 'if-modified-since': NOW.toUTCString() })).res.status, path).toBe(304)
      expect((await get(path, { 'if-modified-since': new Date(NOW.getTime() - 1000).toUTCString() })).res.status, path).toBe(200)
      // If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2).
      expect((await get(path, { 'if-none-match': '"other"', 'if-modified-since': NOW.toUTCString() })).res.status, path).toBe(200)
    }
  })

  it('a new event changes the feed, its ETag and Last-Modified', async () => {
    const before = await get('/frameworks/express/feed.xml')
    const { upsertObservations } = await import('../../src/db/writes.js')
    const { frameworkIdOf } = await import('../../src/db/queries/frameworks.js')
    const later = new Date('2026-11-26T12:00:00Z')
    await upsertObservations(t.db, [
      { framework_id: await frameworkIdOf(t.db, 'express'), source: 'github', subject: 'expressjs/express', metric: 'stars', day: '2026-11-25', value: 100_002, fetched_at: later },
    ])
    await runNpmJob(t, fake.url, later)
    const after = await get('/frameworks/express/feed.xml', { 'if-none-match': before.res.headers.get('etag')! })
    expect(after.res.status).toBe(200)
    expect(after.res.headers.get('last-modified')).toBe(later.toUTCString())
    expect(parseFeed(after.body).items[0]!.title).toBe('Express passes 100,000 GitHub stars')
  })
})

describe('an empty feed', () => {
  it('is valid, dated by no clock: with no events, by the stored guide\'s revision', async () => {
    await loadGuideSnapshot(t.db, t.catalog)
    const first = await get('/frameworks/flask/feed.atom')
    expect(first.res.status).toBe(200)
    expect(first.res.headers.get('last-modified')).toBe('Tue, 09 Jun 2026 11:52:13 GMT')
    expect(XMLValidator.validate(first.body)).toBe(true)
    expect(first.body).toContain('<updated>2026-06-09T11:52:13.000Z</updated>')
    expect(parseFeed(first.body).items).toEqual([])
    expect((await get('/frameworks/flask/feed.atom')).body).toBe(first.body)
    expect(JSON.parse((await get('/frameworks/flask/feed.json')).body).items).toEqual([])
    expect((await get('/feed.xml')).body).toContain('<lastBuildDate>Tue, 09 Jun 2026 11:52:13 GMT</lastBuildDate>')
  })
})
