import { mkdirSync } from 'node:fs'
import path from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { addDays } from '../../src/days.js'
import { loadGuideSnapshot } from '../../src/jobs/guide-job.js'
import { runSource } from '../../src/jobs/run-source.js'
import { sources } from '../../src/jobs/sources/index.js'
import { formatNumber, leadSentences } from '../../src/views/format.js'
import { startAppServer, type AppServer } from '../helpers/app-server.js'
import { useFakeUpstream } from '../helpers/fake-upstream.js'
import { downloadsOn, serveNpm } from '../helpers/npm-upstream.js'
import { testConfig, testRunContext } from '../helpers/run-context.js'
import { useTestDatabase } from '../helpers/test-db.js'
import { browserRequired, CHROMIUM, hasChromium, launchChromium, openPage, SCREENSHOTS, type Browser, type Problems } from './chromium.js'

const NOW = new Date('2026-11-25T12:00:00Z')
// The npm job stores whole days up to yesterday.
const LAST_DAY = '2026-11-24'

describe.runIf(!hasChromium && browserRequired)('browser tests', () => {
  it('have Chromium to run in', () => {
    expect.fail(`REQUIRE_BROWSER=1 but ${CHROMIUM} does not exist: run \`apt-get install -y chromium\``)
  })
})

const skipReason = hasChromium ? '' : ` (skipped: ${CHROMIUM} not found; \`apt-get install -y chromium\` to run them)`

describe.skipIf(!hasChromium)(`pages in Chromium${skipReason}`, () => {
  const t = useTestDatabase()
  const fake = useFakeUpstream()
  let server: AppServer
  let browser: Browser
  const open: { page: Page; problems: Problems }[] = []

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
    const npm = sources(config).find((s) => s.source.name === 'npm')!.source
    const results = await runSource(testRunContext(t.db, t.catalog, config, NOW), npm)
    expect(results.map((r) => r.status)).toEqual(['succeeded', 'succeeded'])
    expect(await loadGuideSnapshot(t.db, t.catalog)).toBe(10)
  })
  afterEach(async () => {
    await Promise.all(open.splice(0).map(({ page }) => page.close()))
  })

  async function newPage(options: { width?: number; dark?: boolean } = {}) {
    const opened = await openPage(browser.context)
    open.push(opened)
    if (options.width) await opened.page.setViewportSize({ width: options.width, height: 800 })
    if (options.dark) await opened.page.emulateMedia({ colorScheme: 'dark' })
    return opened
  }

  async function visit(page: Page, pathname: string, status = 200) {
    const response = await page.goto(server.url + pathname)
    expect(response?.status(), pathname).toBe(status)
    return response
  }

  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true })

  const noProblems = (problems: Problems) => expect(problems).toEqual({ console: [], pageErrors: [], csp: [] })

  /** What the chart canvas shows: its size, and how many pixels carry the first series' colour. */
  function canvasState(page: Page) {
    return page.evaluate(() => {
      const canvas = document.querySelector<HTMLCanvasElement>('#trend-chart canvas')
      if (!canvas) return null
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height)
      let painted = 0
      let line = 0
      for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3]! === 0) continue
        painted++
        // #0072B2, the first colour of the palette in app.ts.
        if (Math.abs(data[i]! - 0x00) < 40 && Math.abs(data[i + 1]! - 0x72) < 40 && Math.abs(data[i + 2]! - 0xb2) < 40) line++
      }
      const box = canvas.getBoundingClientRect()
      return { width: box.width, height: box.height, painted, line }
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
      .select(['frameworks.slug', 'frameworks.name', 'guide_sections.rank', 'guide_sections.paragraphs'])
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
        const paragraphs = (typeof s.paragraphs === 'string' ? JSON.parse(s.paragraphs) : s.paragraphs) as string[]
        return { rank: String(s.rank), name: s.name, href: `/frameworks/${s.slug}`, lead: leadSentences(paragraphs[0]!) }
      }),
    )
    expect(cards.map((c) => c.rank)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'])

    // Weekly downloads show on the two npm frameworks, exact figure in the tooltip, and nowhere else.
    const figures = await page.locator('.framework-list > li').evaluateAll((items) =>
      items.map((li) => [li.querySelector('h2')!.textContent!.trim(), li.querySelector('.figure-value')?.getAttribute('title') ?? null]),
    )
    const byName = Object.fromEntries(figures)
    expect(byName['Express']).toBe(formatNumber(weekTotal('express')))
    expect(byName['NestJS']).toBe(formatNumber(weekTotal('@nestjs/core')))
    expect(figures.filter(([, value]) => value !== null)).toHaveLength(2)
    await expect(page.locator('.framework-list > li', { hasText: 'Express' }).locator('.figure-value').textContent()).resolves.toMatch(/^\d+(\.\d)?M$/)

    noProblems(problems)
    await shot(page, 'home-desktop')
  })

  it('the framework page draws the chart and the range picker swaps only the chart', async () => {
    const { page, problems } = await newPage()
    await visit(page, '/frameworks/express')
    await expect(page.locator('h1').textContent()).resolves.toMatch(/^Express\s+JavaScript$/)
    await expect(page.locator('.range-picker [aria-current="true"]').textContent()).resolves.toBe('90 d')

    const drawn = await canvasState(page)
    expect(drawn).not.toBeNull()
    expect(drawn!.width).toBeGreaterThan(600)
    expect(drawn!.height).toBeGreaterThan(200)
    expect(drawn!.line).toBeGreaterThan(200)
    await expect(page.locator('.chart-caption').textContent()).resolves.toContain(`${addDays(LAST_DAY, -89)} to ${LAST_DAY}`)
    await shot(page, 'framework-desktop')

    // A full page load would lose this; an htmx swap keeps it.
    await page.evaluate(() => ((window as unknown as { marker: string }).marker = 'still here'))
    const requests: string[] = []
    page.on('request', (r) => requests.push(`${r.resourceType()} ${new URL(r.url()).pathname}${new URL(r.url()).search}`))
    await page.locator('.range-picker a', { hasText: '30 d' }).click()
    await page.waitForURL(`${server.url}/frameworks/express?range=30d`)
    await page.locator('.range-picker [aria-current="true"]', { hasText: '30 d' }).waitFor()
    await expect(page.evaluate(() => (window as unknown as { marker?: string }).marker)).resolves.toBe('still here')
    expect(requests).toEqual(['fetch /frameworks/express/chart?range=30d'])
    await expect(page.locator('.chart-caption').textContent()).resolves.toContain(`${addDays(LAST_DAY, -29)} to ${LAST_DAY}`)
    await expect(page.locator('.data-table summary').textContent()).resolves.toBe('Data table (30 rows)')
    // The new canvas is drawn too (the client script redraws after each swap).
    await expect.poll(async () => (await canvasState(page))?.line ?? 0).toBeGreaterThan(200)
    expect(await page.locator('#trend-chart').count()).toBe(1)
    expect(await page.locator('h1').count()).toBe(1)

    await page.goBack()
    await page.waitForURL(`${server.url}/frameworks/express`)
    await page.locator('.range-picker [aria-current="true"]', { hasText: '90 d' }).waitFor()
    await expect.poll(async () => (await canvasState(page))?.line ?? 0).toBeGreaterThan(200)

    noProblems(problems)
  })

  it('/, a framework page and /status raise no console error or CSP violation', async () => {
    const { page, problems } = await newPage()
    for (const pathname of ['/', '/frameworks/nestjs', '/frameworks/express?range=all', '/status']) {
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
      const widths = await page.evaluate(() => ({ scroll: document.scrollingElement!.scrollWidth, client: document.documentElement.clientWidth }))
      expect(widths, pathname).toEqual({ scroll: 375, client: 375 })
      await shot(page, name)
    }
    await visit(page, '/frameworks/express')
    const drawn = await canvasState(page)
    expect(drawn!.width).toBeLessThanOrEqual(375)
    expect(drawn!.line).toBeGreaterThan(100)
    noProblems(problems)
  })

  it('renders in dark mode', async () => {
    const { page, problems } = await newPage({ dark: true })
    await visit(page, '/frameworks/express')
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
    expect((await canvasState(page))!.line).toBeGreaterThan(200)
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
    await expect(chart.locator('.empty-state').textContent()).resolves.toMatch(
      /No download data yet.*does not collect this framework's registry yet \(PyPI/,
    )
    noProblems(problems)
    await shot(page, 'django-desktop')
  })

  it('an unknown framework gets the 404 page', async () => {
    const { page, problems } = await newPage()
    await visit(page, '/frameworks/no-such-framework', 404)
    await expect(page.locator('h1').textContent()).resolves.toBe('Not found')
    await expect(page.locator('main').textContent()).resolves.toContain('There is no page at /frameworks/no-such-framework.')
    await page.locator('main a', { hasText: 'Back to the overview' }).click()
    await page.waitForURL(`${server.url}/`)
    // The 404 response itself is logged by Chromium as a console error; nothing else may be.
    expect(problems.console.filter((m) => !/status of 404/.test(m))).toEqual([])
    expect(problems.pageErrors).toEqual([])
    expect(problems.csp).toEqual([])
  })
})
