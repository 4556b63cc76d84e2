import { beforeEach, describe, expect, it } from 'vitest'
import { loadGuideSnapshot } from '../../src/jobs/guide-job.js'
import { PUBLIC_URL } from '../helpers/feed-seed.js'
import { testApp } from '../helpers/app-server.js'
import { useTestDatabase } from '../helpers/test-db.js'

// Autodiscovery (<link rel="alternate">) on every page, and the subscribe box with the address to copy.
const t = useTestDatabase()

function app() {
  return testApp(t, { publicUrl: PUBLIC_URL })
}

async function page(path: string) {
  const html = await (await app().request(path)).text()
  const alternates = [...html.matchAll(/<link rel="alternate" type="([^"]+)" title="([^"]+)" href="([^"]+)"\/>/g)].map((m) => ({ type: m[1], title: m[2], href: m[3] }))
  const subscribe = html.match(/<input id="[^"]+" class="feed-url" type="url" value="([^"]+)" readonly=""/)?.[1]
  return { html, alternates, subscribe }
}

const SITE = [
  { type: 'application/rss+xml', title: 'Framework Pulse: all frameworks (RSS)', href: '/feed.xml' },
  { type: 'application/atom+xml', title: 'Framework Pulse: all frameworks (Atom)', href: '/feed.atom' },
  { type: 'application/feed+json', title: 'Framework Pulse: all frameworks (JSON Feed)', href: '/feed.json' },
]

describe('feed discovery', () => {
  beforeEach(() => loadGuideSnapshot(t.db, t.catalog).then(() => undefined))

  it('every page announces the site feeds; a framework page its own too', async () => {
    for (const path of ['/', '/status', '/no-such-page', '/frameworks/express?range=5y']) {
      expect((await page(path)).alternates, path).toEqual(SITE)
    }
    expect((await page('/frameworks/express')).alternates).toEqual([
      ...SITE,
      { type: 'application/rss+xml', title: 'Express on Framework Pulse (RSS)', href: '/frameworks/express/feed.xml' },
      { type: 'application/atom+xml', title: 'Express on Framework Pulse (Atom)', href: '/frameworks/express/feed.atom' },
      { type: 'application/feed+json', title: 'Express on Framework Pulse (JSON Feed)', href: '/frameworks/express/feed.json' },
    ])
  })

  it('each announced feed answers with the type it was announced as', async () => {
    for (const link of (await page('/frameworks/express')).alternates) {
      const res = await app().request(link.href!)
      expect(res.status, link.href).toBe(200)
      expect(res.headers.get('content-type'), link.href).toBe(`${link.type}; charset=utf-8`)
    }
  })

  it('the overview and framework pages show the absolute feed address to copy, with a labelled field', async () => {
    const home = await page('/')
    expect(home.subscribe).toBe(`${PUBLIC_URL}/feed.xml`)
    expect(home.html).toContain('<label for="feed-site-url">RSS feed address</label>')
    expect(home.html).toContain(`<a class="feed-button" href="${PUBLIC_URL}/feed.xml" type="application/rss+xml">Subscribe</a>`)
    const express = await page('/frameworks/express')
    expect(express.subscribe).toBe(`${PUBLIC_URL}/frameworks/express/feed.xml`)
    expect(express.html).toContain(`<a href="${PUBLIC_URL}/frameworks/express/feed.atom" type="application/atom+xml">Atom</a>`)
    expect(express.html).toContain(`<a href="${PUBLIC_URL}/frameworks/express/feed.xml?kind=prerelease">RSS</a>`)
    expect((await page('/status')).subscribe).toBeUndefined()
  })
})
