import { parseFeed } from '@rowanmanning/feed-parser'
import { XMLValidator } from 'fast-xml-parser'
import { beforeEach, describe, expect, it } from 'vitest'
import { frameworkIdOf } from '../../src/db/queries/frameworks.js'
import type { FeedEvent } from '../../src/db/queries/events.js'
import { upsertReleases } from '../../src/db/writes.js'
import { runEvents } from '../../src/jobs/events-job.js'
import { FEED_FORMAT_NAMES } from '../../src/views/feed-links.js'
import { frameworkChannel, renderFeed } from '../../src/views/feed.js'
import { PUBLIC_URL } from '../helpers/feed-seed.js'
import { testConfig, testRunContext } from '../helpers/run-context.js'
import { testApp } from '../helpers/app-server.js'
import { useTestDatabase } from '../helpers/test-db.js'

// Upstream text can hold anything; the feeds must stay well-formed XML (and valid JSON) anyway.
const NOW = new Date('2026-11-25T12:00:00Z')
const t = useTestDatabase()

const CONTROL = '\u0001\u0008\u000B\u000C\u001F\u007F\u0085\uFFFE\uFFFF'
const TITLE = `Release <script>alert("x")</script> ]]> ]]> &amp; & ${CONTROL} 😀 end`
const NOTES = `<p>a ]]> b ]]> c <b>bold</b> ${CONTROL}</p><p>${'long text '.repeat(50_000)}</p>`
// Characters XML 1.0 forbids or discourages (other than lone surrogates, checked on their own).
const BAD_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]/

function app() {
  return testApp(t, { publicUrl: PUBLIC_URL })
}

function expectWellFormed(body: string, what: string) {
  // With the u flag a surrogate only matches alone: a pair is one astral code point.
  expect(body, what).not.toMatch(/[\uD800-\uDFFF]/u)
  expect(body, what).not.toMatch(BAD_CHARS)
}

describe('hostile upstream text', () => {
  beforeEach(async () => {
    const express = await frameworkIdOf(t.db, 'express')
    const release = { framework_id: express, source: 'github', subject: 'expressjs/express', prerelease: false, fetched_at: NOW }
    await upsertReleases(t.db, [
      { ...release, version: '6.0.0', published_at: '2026-11-01T00:00:00Z', url: 'javascript:alert(1)', title: TITLE, notes_html: NOTES },
      { ...release, version: `7.0.0-<b>&amp;]]>${CONTROL}`, published_at: '2026-11-02T00:00:00Z', url: 'not a url', title: null, notes_html: null },
    ])
    const result = await runEvents(testRunContext(t.db, t.catalog, testConfig('http://127.0.0.1:9'), NOW), { trendThresholdPct: 20 })
    expect(result).toMatchObject({ status: 'succeeded', rowsWritten: 2 })
  })

  it('leaves every feed well-formed, readable by a feed parser, with markup neutralized', async () => {
    for (const format of FEED_FORMAT_NAMES) {
      for (const path of [`/feed.${format}`, `/frameworks/express/feed.${format}?kind=release,major,prerelease`]) {
        const res = await app().request(path)
        expect(res.status, path).toBe(200)
        const body = await res.text()
        expectWellFormed(body, path)
        const items = format === 'json' ? JSON.parse(body).items : parseFeed(body).items
        if (format !== 'json') expect(XMLValidator.validate(body), path).toBe(true)
        expect(items.map((i: { title: string }) => i.title), path).toEqual(['Express 7.0.0-‹b›＆amp;]]›: new major version', 'Express 6.0.0'])
        // The parser decodes entities in content, so the HTML as sent is checked in the body (raw,
        // or as the JSON string): the release name is text in it, never live markup.
        const content: string = format === 'json' ? items[1].content_html : body
        expect(content).toContain('<p><strong>Release &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; ]]&gt; ]]&gt; &amp;amp; &amp; 😀 end</strong></p>')
        expect(content).toContain('<p>a ]]&gt; b ]]&gt; c <b>bold</b> </p>')
        const html: string = format === 'json' ? items[1].content_html : items[1].content
        // A huge body is cut, and says so; the unusable link is dropped for the framework page.
        expect(html.length).toBeLessThan(7000)
        expect(html).toMatch(/<p><em>The notes are shortened here\.<\/em><\/p>$/)
        expect(items[1].url).toBe(`${PUBLIC_URL}/frameworks/express`)
      }
    }
  })

  it('renders text no database can hold (NUL, lone surrogates) into well-formed feeds', () => {
    const event: FeedEvent = {
      id: 'release:express:\u0000\uD800',
      framework_id: 1,
      framework_slug: 'express',
      kind: 'release',
      occurred_at: new Date('2026-11-01T00:00:00Z'),
      title: 'bad \uD800 title \u0000 ]]> <i>',
      summary: 'lone \uDC00 surrogate \u0000 ]]>',
      content_html: '<p>\uD83D x ]]> \u0000 ]]></p>',
      url: 'http://example.org/\u0000\uDFFF',
      data: {},
      created_at: NOW,
      revised_at: null,
    }
    for (const format of FEED_FORMAT_NAMES) {
      const { body } = renderFeed(format, frameworkChannel(PUBLIC_URL, { slug: 'express', name: 'Express' }), [event], NOW)
      expectWellFormed(body, format)
      if (format === 'json') {
        expect(JSON.parse(body).items[0]).toMatchObject({ title: 'bad title ]]› ‹i›', summary: 'lone surrogate ]]>', content_html: '<p> x ]]&gt;  ]]&gt;</p>' })
      } else {
        expect(XMLValidator.validate(body), format).toBe(true)
        expect(parseFeed(body).items[0]!.title).toBe('bad title ]]› ‹i›')
      }
    }
  })
})
