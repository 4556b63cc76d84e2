import { mkdirSync } from 'node:fs'
import path from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { addDays } from '../../src/days.js'
import { loadGuideSnapshot } from '../../src/jobs/guide-job.js'
import { runSource } from '../../src/jobs/run-source.js'
import { formatNumber, leadSentences } from '../../src/views/format.js'
import { startAllUpstreams } from '../helpers/all-upstreams.js'
import { startAppServer, type AppServer } from '../helpers/app-server.js'
import { useFakeUpstream } from '../helpers/fake-upstream.js'
import { downloadsOn, serveNpm } from '../helpers/npm-upstream.js'
import { npmSourceOf, testConfig, testRunContext } from '../helpers/run-context.js'
import { allCollected, seedAllSources } from '../helpers/seed-sources.js'
import { useTestDatabase } from '../helpers/test-db.js'
import { browserRequired, CHROMIUM, hasChromium, launchChromium, SCREENSHOTS, type Browser, type Problems, pagePool } from './chromium.js'

const NOW = new Date('2026-11-25T12:00:00Z')
// Rewritten only on request (UPDATE_DOCS_SCREENSHOT=1), so a test run leaves the tree clean.
const DOCS_SCREENSHOT = path.resolve(import.meta.dirname, '../../docs/screenshot.png')
// The npm job stores whole days up to yesterday.
const LAST_DAY = '2026-11-24'

// Only defined when it must fail, so a normal run reports no phantom skipped test.
if (!hasChromium && browserRequired) {
  describe('browser tests', () => {
    it('have Chromium to run in', () => {
      expect.fail(
        `REQUIRE_BROWSER=1 but ${CHROMIUM} does not exist: run \`apt-get install -y chromium\``,
      )
    })
  })
}

const skipReason = hasChromium
  ? ''
  : ` (skipped: ${CHROMIUM} not found; \`apt-get install -y chromium\` to run them)`
if (skipReason && !browserRequired) console.warn(`browser tests${skipReason}`)

describe.skipIf(!hasChromium)(`pages in Chromium${skipReason}`, () => {
  const t = useTestDatabase()
  const fake = useFakeUpstream()
  let server: AppServer
  let browser: Browser
  const pages = pagePool(() => browser, { now: NOW })
  const { newPage } = pages

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true })
    ;[server, browser] = await Promise.all([
      startAppServer({ db: t.db, dbKind: t.handle.kind, catalog: t.catalog }),
      launchChromium(),
    ])
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  // useTestDatabase empties the schema before each test: seed it again, as a user's first sync would.
  beforeEach(async () => {
    serveNpm(fake)
    const config = testConfig(fake.url)
    const npm = npmSourceOf(config)
    const results = await runSource(testRunContext(t.db, t.catalog, config, NOW), npm)
    expect(results.map((r) => r.status)).toEqual(['succeeded', 'succeeded'])
    expect(await loadGuideSnapshot(t.db, t.catalog)).toBe(10)
  })
  afterEach(async () => {
    await pages.closeAll()
  })

  async function visit(page: Page, pathname: string, status = 200) {
    const response = await page.goto(server.url + pathname)
    expect(response?.status(), pathname).toBe(status)
    return response
  }

  const shot = (page: Page, name: string) =>
    page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true })

  const noProblems = (problems: Problems) =>
    expect(problems).toEqual({ console: [], pageErrors: [], csp: [] })

  /**
   * What the chart canvas shows: its size, and how many pixels carry the first series colour of
   * the current colour scheme (app.css `--series`). Axes and grid alone leave `line` at 0.
   */
  function canvasState(page: Page) {
    return page.evaluate(() => {
      const canvas = document.querySelector<HTMLCanvasElement>('#trend-chart canvas')
      if (!canvas) return null
      const first = getComputedStyle(document.documentElement)
        .getPropertyValue('--series')
        .split(',')[0]!
        .trim()
      const [r, g, b] = [1, 3, 5].map((i) => parseInt(first.slice(i, i + 2), 16)) as [
        number,
        number,
        number,
      ]
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height)
      let line = 0
      for (let i = 0; i < data.length; i += 4) {
        const near =
          Math.abs(data[i]! - r) + Math.abs(data[i + 1]! - g) + Math.abs(data[i + 2]! - b) < 60
        if (data[i + 3]! > 200 && near) line++
      }
      const box = canvas.getBoundingClientRect()
      return { colour: first, width: box.width, height: box.height, line }
    })
  }

  function weekTotal(pkg: string): number {
    let sum = 0
    for (let i = 0; i < 7; i++) sum += downloadsOn(pkg, addDays(LAST_DAY, -i))
    return sum
  }

  it('the overview lists the ten frameworks in guide order with their guide text and downloads', async () => {
    const sections = await t.db
      .selectFrom('guide_sections')
      .innerJoin('frameworks', 'frameworks.id', 'guide_sections.framework_id')
      .select([
        'frameworks.slug',
        'frameworks.name',
        'guide_sections.rank',
        'guide_sections.paragraphs',
      ])
      .orderBy('guide_sections.rank')
      .execute()
    const { page, problems } = await newPage()
    await visit(page, '/')
    await expect(page.title()).resolves.toBe('Overview · Framework Pulse')

    const cards = await page.locator('.framework-list > li').evaluateAll((items) =>
      items.map((li) => ({
        rank: li.querySelector('.rank')?.textContent?.trim(),
        name: li.querySelector('h2')?.textContent?.trim(),
        href: li.querySelector('h2 a')?.getAttribute('href'),
        lead: li.querySelector('.lead')?.textContent?.trim(),
      })),
    )
    expect(cards).toHaveLength(10)
    expect(cards).toEqual(
      sections.map((s) => {
        const paragraphs = (
          typeof s.paragraphs === 'string' ? JSON.parse(s.paragraphs) : s.paragraphs
        ) as string[]
        return {
          rank: String(s.rank),
          name: s.name,
          href: `/frameworks/${s.slug}`,
          lead: leadSentences(paragraphs[0]!),
        }
      }),
    )
    expect(cards.map((c) => c.rank)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'])

    // Weekly downloads show on the two npm frameworks, exact figure in the tooltip, and nowhere else.
    const figures = await page
      .locator('.framework-list > li')
      .evaluateAll((items) =>
        items.map((li) => [
          li.querySelector('h2')!.textContent!.trim(),
          li.querySelector('.figure-value')?.getAttribute('title') ?? null,
        ]),
      )
    const byName = Object.fromEntries(figures)
    expect(byName['Express']).toBe(formatNumber(weekTotal('express')))
    expect(byName['NestJS']).toBe(formatNumber(weekTotal('@nestjs/core')))
    expect(figures.filter(([, value]) => value !== null)).toHaveLength(2)
    await expect(
      page
        .locator('.framework-list > li', { has: page.locator('h2', { hasText: /^Express$/ }) })
        .locator('.figure-value')
        .textContent(),
    ).resolves.toMatch(/^\d+(\.\d)?M$/)

    noProblems(problems)
    await shot(page, 'home-desktop')
  })

  it('the framework page draws the chart and the range picker swaps only the chart', async () => {
    const { page, problems } = await newPage()
    await visit(page, '/frameworks/express')
    await expect(page.locator('h1').textContent()).resolves.toMatch(/^Express\s+JavaScript$/)
    await expect(page.locator('.range-picker [aria-current="true"]').textContent()).resolves.toBe(
      '90 d',
    )

    const drawn = await canvasState(page)
    expect(drawn).not.toBeNull()
    expect(drawn!.width).toBeGreaterThan(600)
    expect(drawn!.height).toBeGreaterThan(200)
    expect(drawn!.line).toBeGreaterThan(200)
    await expect(page.locator('.chart-caption').textContent()).resolves.toContain(
      `${addDays(LAST_DAY, -89)} to ${LAST_DAY}`,
    )
    await shot(page, 'framework-desktop')

    // A full page load would lose this; an htmx swap keeps it.
    await page.evaluate(() => ((window as unknown as { marker: string }).marker = 'still here'))
    const requests: string[] = []
    page.on('request', (r) =>
      requests.push(`${r.resourceType()} ${new URL(r.url()).pathname}${new URL(r.url()).search}`),
    )
    await page.locator('.range-picker a', { hasText: '30 d' }).click()
    await page.waitForURL(`${server.url}/frameworks/express?range=30d`)
    await page.locator('.range-picker [aria-current="true"]', { hasText: '30 d' }).waitFor()
    await expect(
      page.evaluate(() => (window as unknown as { marker?: string }).marker),
    ).resolves.toBe('still here')
    expect(requests).toEqual(['fetch /frameworks/express/chart?range=30d'])
    await expect(page.locator('.chart-caption').textContent()).resolves.toContain(
      `${addDays(LAST_DAY, -29)} to ${LAST_DAY}`,
    )
    await expect(page.locator('.data-table summary').textContent()).resolves.toBe(
      'Data table (30 rows)',
    )
    // The new canvas is drawn too (the client script redraws after each swap).
    await expect.poll(async () => (await canvasState(page))?.line ?? 0).toBeGreaterThan(200)
    expect(await page.locator('#trend-chart').count()).toBe(1)
    expect(await page.locator('h1').count()).toBe(1)

    await page.goBack()
    await page.waitForURL(`${server.url}/frameworks/express`)
    await page.locator('.range-picker [aria-current="true"]', { hasText: '90 d' }).waitFor()
    // htmx restores history by swapping the whole fetched page in: it must not nest a page in one.
    const counts = await page.evaluate(() =>
      ['header', 'h1', 'main', '#trend-chart', 'canvas'].map(
        (s) => document.querySelectorAll(s).length,
      ),
    )
    expect(counts).toEqual([1, 1, 1, 1, 1])
    await expect(page.title()).resolves.toBe('Express · Framework Pulse')
    await expect.poll(async () => (await canvasState(page))?.line ?? 0).toBeGreaterThan(200)

    noProblems(problems)
  })

  it('/, a framework page and /status raise no console error or CSP violation', async () => {
    const { page, problems } = await newPage()
    for (const pathname of [
      '/',
      '/frameworks/nestjs',
      '/frameworks/express?range=all',
      '/status',
    ]) {
      await visit(page, pathname)
      await page.waitForLoadState('load')
    }
    await page.locator('.status-table tbody tr').first().waitFor()
    noProblems(problems)
    await shot(page, 'status-desktop')

    // The detector itself works: an inline script is refused by the CSP and reported.
    await page.evaluate(() => {
      const script = document.createElement('script')
      script.textContent = 'void 0'
      document.body.append(script)
    })
    await expect.poll(() => problems.csp.length).toBeGreaterThan(0)
    expect(problems.csp[0]).toMatch(/^script-src/)
  })

  it('fits a 375 px phone screen without sideways scrolling', async () => {
    const { page, problems } = await newPage({ width: 375 })
    for (const [pathname, name] of [
      ['/', 'home-phone'],
      ['/frameworks/express', 'framework-phone'],
      ['/frameworks/aspnet-core', 'aspnet-phone'],
      ['/status', 'status-phone'],
    ] as const) {
      await visit(page, pathname)
      // Open the chart's data table too: its rows must fit as well.
      if (await page.locator('.data-table summary').count())
        await page.locator('.data-table summary').click()
      const widths = await page.evaluate(() => ({
        scroll: document.scrollingElement!.scrollWidth,
        client: document.documentElement.clientWidth,
      }))
      expect(widths, pathname).toEqual({ scroll: 375, client: 375 })
      // Wide tables scroll inside their frame; the status table becomes one card per run instead.
      if (pathname === '/status') {
        const table = await page.evaluate(() => {
          const el = document.querySelector('.status-table')!
          return { table: el.scrollWidth, frame: el.parentElement!.clientWidth }
        })
        expect(table.table).toBeLessThanOrEqual(table.frame)
      }
      await shot(page, name)
    }
    await visit(page, '/frameworks/express')
    const drawn = await canvasState(page)
    expect(drawn!.width).toBeLessThanOrEqual(375)
    expect(drawn!.line).toBeGreaterThan(100)
    noProblems(problems)
  })

  it('renders in dark mode, and redraws the chart when the colour scheme changes', async () => {
    const { page, problems } = await newPage()
    await visit(page, '/frameworks/express')
    const light = (await canvasState(page))!
    expect(light.line).toBeGreaterThan(200)
    await page.emulateMedia({ colorScheme: 'dark' })
    await expect.poll(async () => (await canvasState(page))!.colour).not.toBe(light.colour)
    // Drawn again in the dark palette, without a reload.
    await expect.poll(async () => (await canvasState(page))!.line).toBeGreaterThan(200)
    const colours = await page.evaluate(() => {
      const luminance = (css: string) => {
        const [r, g, b] = css.match(/\d+/g)!.map(Number) as [number, number, number]
        return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255
      }
      const body = getComputedStyle(document.body)
      return { background: luminance(body.backgroundColor), text: luminance(body.color) }
    })
    expect(colours.background).toBeLessThan(0.2)
    expect(colours.text).toBeGreaterThan(0.8)
    await shot(page, 'framework-dark')
    await visit(page, '/')
    await shot(page, 'home-dark')
    noProblems(problems)
  })

  it('a framework without a collected registry says why its chart is empty', async () => {
    const { page, problems } = await newPage()
    await visit(page, '/frameworks/django')
    const chart = page.locator('#trend-chart')
    await expect(chart.locator('canvas').count()).resolves.toBe(0)
    // Every range would be as empty: no picker to click in vain.
    await expect(chart.locator('.range-picker').count()).resolves.toBe(0)
    await expect(chart.locator('.empty-state').first().textContent()).resolves.toMatch(
      /No download data yet.*does not collect this framework's registry yet \(PyPI/,
    )
    noProblems(problems)
    await shot(page, 'django-desktop')
  })

  it('the overview with every source synced: the README’s picture', async () => {
    // The first sync of every source against its fake upstream, as `npm run sync` would run it.
    const upstreams = await startAllUpstreams(NOW)
    const full = await startAppServer({
      db: t.db,
      dbKind: t.handle.kind,
      catalog: t.catalog,
      collected: allCollected(upstreams),
    })
    try {
      const results = await seedAllSources(t, upstreams, NOW)
      expect(results.filter((r) => r.status !== 'succeeded')).toEqual([])
      const { page, problems } = await newPage()
      const response = await page.goto(full.url + '/')
      expect(response?.status()).toBe(200)
      const cards = await page.locator('.framework-list > li').evaluateAll((items) =>
        items.map((li) => ({
          name: li.querySelector('h2')!.textContent!.trim(),
          downloads: li.querySelector('span.figure-label')?.textContent ?? null,
          missing: li.querySelector('.figure-missing')?.textContent ?? null,
          stars: li.querySelector('.figure-row dd')?.textContent ?? null,
          claims: li.querySelector('.claims-count')?.textContent ?? null,
        })),
      )
      expect(cards).toHaveLength(10)
      for (const card of cards) {
        // A registry's weekly figure, or the reason there is none; GitHub's; the claims' count.
        expect(card.downloads ?? card.missing, card.name).toMatch(/^(Downloads, |No .+ download figures yet: |Maven Central publishes no download counts)/)
        expect(card.stars, card.name).toMatch(/^\d/)
        expect(card.claims, card.name).toMatch(/^(\d+ of \d+ guide claims? supported by the data(; \d+ not measurable yet)?|\d+ guide claims? not measurable yet)$/)
      }
      // Registry names as their owners write them.
      const registries = cards.map((c) => c.downloads?.match(/\((\w+)\)$/)?.[1]).filter(Boolean)
      expect(new Set(registries)).toEqual(new Set(['PyPI', 'npm', 'Packagist', 'Hex']))
      noProblems(problems)
      await shot(page, 'home-all-sources')
      if (process.env.UPDATE_DOCS_SCREENSHOT === '1') {
        // The README's picture: the heading and the first row of cards (Django, Express, Spring
        // Boot: PyPI and npm downloads, Maven Central's missing counts, GitHub, claims), 1,024 px
        // wide so the file stays under 250 KB.
        await page.setViewportSize({ width: 1024, height: 800 })
        const row = (await page.locator('.framework-list > li').nth(2).boundingBox())!
        await page.screenshot({
          path: DOCS_SCREENSHOT,
          fullPage: true,
          clip: { x: 0, y: 0, width: 1024, height: Math.ceil(row.y + row.height + 10) },
        })
      }
    } finally {
      await full.close()
      await upstreams.stop()
    }
  })

  it('an unknown framework gets the 404 page', async () => {
    const { page, problems } = await newPage()
    await visit(page, '/frameworks/no-such-framework', 404)
    await expect(page.locator('h1').textContent()).resolves.toBe('Not found')
    await expect(page.locator('main').textContent()).resolves.toContain(
      'There is no page at /frameworks/no-such-framework.',
    )
    await page.locator('main a', { hasText: 'Back to the overview' }).click()
    await page.waitForURL(`${server.url}/`)
    // Chromium logs the 404 of the page itself as a console error; nothing else may be.
    const pageItself =
      /status of 404 \(Not Found\) \(http:\/\/[^/]+\/frameworks\/no-such-framework\)$/
    expect(problems.console.filter((m) => !pageItself.test(m))).toEqual([])
    expect(problems.pageErrors).toEqual([])
    expect(problems.csp).toEqual([])
  })
})
