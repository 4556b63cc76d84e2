import { parseFeed } from '@rowanmanning/feed-parser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventGuid } from '../../src/views/feed.js'
import { startAllUpstreams } from '../helpers/all-upstreams.js'
import { PUBLIC_URL } from '../helpers/feed-seed.js'
import type { Release } from '../helpers/github-upstream.js'
import { fixture } from '../helpers/npm-upstream.js'
import { seedAllSources, SEEDED_JOBS, type AllUpstreams } from '../helpers/seed-sources.js'
import { testApp } from '../helpers/app-server.js'
import { useTestDatabase } from '../helpers/test-db.js'

// The "done when": after one full sync in the scheduled order (registries, then GitHub),
// the Express feed item of its newest GitHub release carries the release's name and notes, under
// the id and date the registry's row gave it; a sync over unchanged data changes no byte.
const REGISTRIES_AT = new Date('2026-11-25T12:00:00Z')
const GITHUB_AT = new Date('2026-11-25T12:20:00Z')
const RECORDED = (fixture('github/releases.json') as Release[])[0]!

/** A GitHub release of expressjs/express in the API's shape (the recorded one, renamed). */
function expressRelease(id: number, tag: string, name: string, publishedAt: string, body: string): Release {
  const html_url = `https://github.com/expressjs/express/releases/tag/${tag}`
  return { ...RECORDED, id, tag_name: tag, name, draft: false, prerelease: false, created_at: publishedAt, published_at: publishedAt, html_url, body }
}

// npm has 5.1.0 at 2025-03-31T14:38:04.046Z (tests/fixtures/npm/packument-express.json). Its
// GitHub release was published minutes before the npm upload: were the item re-dated by the
// earliest source, it would move.
const NEWEST = expressRelease(
  205_000_001,
  'v5.1.0',
  'Express 5.1.0: v5 is latest',
  '2025-03-31T14:30:00Z',
  [
    '## Main Changes',
    '',
    '- Make `express.static` stricter by @wesleytodd in [#6309](https://github.com/expressjs/express/pull/6309)',
    '- Drop support for Node.js 16 <script>alert(1)</script><img src=x onerror="alert(2)">',
    '',
    '[Full changelog](javascript:alert(3))',
  ].join('\n'),
)
const OLDER = expressRelease(205_000_000, 'v5.0.0', 'v5.0.0', '2024-09-10T04:40:00Z', 'The first stable **v5**.')

const ITEM_ID = eventGuid('release:express:5.1.0')
const FEEDS = ['/frameworks/express/feed.atom', '/frameworks/express/feed.xml', '/frameworks/express/feed.json', '/feed.atom']
const REGISTRY_JOBS = ['guide', 'npm', 'pypi', 'packagist', 'rubygems', 'nuget', 'hex', 'maven']

const t = useTestDatabase()
let upstreams: AllUpstreams
beforeAll(async () => {
  upstreams = await startAllUpstreams(REGISTRIES_AT)
  upstreams.github.repos.find((r) => r.fullName === 'expressjs/express')!.releases = [NEWEST, OLDER]
})
afterAll(() => upstreams.stop())

const get = async (path: string) => (await testApp(t, { publicUrl: PUBLIC_URL }).request(path)).text()
/** The parsed item as a plain object (the parser's items are classes that a failing assertion cannot print). */
function itemOf(body: string, id = ITEM_ID) {
  const item = parseFeed(body).items.find((i) => i.id === id)
  return item && { id: item.id, title: item.title, url: item.url, description: item.description, content: item.content, published: item.published, updated: item.updated }
}

async function sync(jobs: readonly string[], now: Date) {
  const results = await seedAllSources(t, upstreams, now, jobs)
  expect(results.filter((r) => r.status !== 'succeeded')).toEqual([])
  return results
}

describe('release notes after a full sync, registries first', () => {
  it('the newest GitHub release\'s item carries its name and notes, keeps the registry\'s id and date, and stays byte-identical', async () => {
    expect(SEEDED_JOBS.slice(0, REGISTRY_JOBS.length)).toEqual(REGISTRY_JOBS)
    await sync(REGISTRY_JOBS, REGISTRIES_AT)
    const bare = itemOf(await get('/frameworks/express/feed.atom'))!
    expect(bare).toMatchObject({ title: 'Express 5.1.0', url: 'https://www.npmjs.com/package/express/v/5.1.0' })
    expect(bare.content).toBe('<p>Express 5.1.0 was published on npm (express) on 2025-03-31.</p>')
    expect(bare.published?.toISOString()).toBe('2025-03-31T14:38:04.046Z')
    expect(bare.updated?.toISOString()).toBe('2025-03-31T14:38:04.046Z')

    await sync(SEEDED_JOBS.slice(REGISTRY_JOBS.length), GITHUB_AT)
    const atom = await get('/frameworks/express/feed.atom')
    const item = itemOf(atom)!
    expect(item).toMatchObject({ id: bare.id, title: 'Express 5.1.0', url: NEWEST.html_url })
    expect(item.published).toEqual(bare.published)
    // Atom's <updated> says when the item changed; the feed's own date moved with it.
    expect(item.updated).toEqual(GITHUB_AT)
    expect(parseFeed(atom).updated).toEqual(GITHUB_AT)
    const summary = 'Express 5.1.0 was published on github (expressjs/express) and npm (express) on 2025-03-31.'
    expect(item.description).toBe(summary)
    expect(item.content).toBe(
      `<p><strong>Express 5.1.0: v5 is latest</strong></p><p>${summary}</p>` +
        '<p>Main Changes</p>\n<ul>\n<li>Make <code>express.static</code> stricter by @wesleytodd in ' +
        '<a href="https://github.com/expressjs/express/pull/6309" rel="nofollow">#6309</a></li>\n' +
        '<li>Drop support for Node.js 16 </li>\n</ul>\n<p><a>Full changelog</a></p>',
    )

    // The same item in RSS (date = the published one) and JSON Feed, and in the site feed.
    const rss = itemOf(await get('/frameworks/express/feed.xml'))!
    expect(rss.published).toEqual(new Date('2025-03-31T14:38:04Z'))
    expect(rss.content).toBe(item.content)
    // The feed parser reads XML only.
    const json = (JSON.parse(await get('/frameworks/express/feed.json')) as { items: Array<Record<string, string>> }).items.find((i) => i.id === ITEM_ID)!
    expect([json.date_published, json.date_modified, json.content_html]).toEqual([bare.published!.toISOString(), GITHUB_AT.toISOString(), item.content])
    expect(itemOf(await get('/feed.atom'))!.content).toBe(item.content)
    // The older release's name is its tag, no name of its own: notes only.
    const major = itemOf(await get('/frameworks/express/feed.atom?kind=major'), eventGuid('release:express:5.0.0'))!
    expect(major.content).toMatch(/^<p>Express 5\.0\.0, the first stable release of major version 5, was published on npm \(express\) and github \(expressjs\/express\) on 2024-09-10\.<\/p><p>The first stable <strong>v5<\/strong>\.<\/p>$/)

    // A second full sync over unchanged upstreams: no event written, no feed byte changed.
    const before = await Promise.all(FEEDS.map(get))
    const again = await sync(SEEDED_JOBS, new Date('2026-11-25T13:00:00Z'))
    expect(again.filter((r) => r.source === 'events').map((r) => r.rowsWritten)).toEqual(SEEDED_JOBS.map(() => 0))
    expect(await Promise.all(FEEDS.map(get))).toEqual(before)
  }, 120_000)
})
