import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { chromium, type Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { loadGuideSnapshot } from '../../src/jobs/guide-job.js'
import { runSource } from '../../src/jobs/run-source.js'
import { startAppServer, type AppServer } from '../helpers/app-server.js'
import { useFakeUpstream } from '../helpers/fake-upstream.js'
import { serveNpm } from '../helpers/npm-upstream.js'
import { npmSourceOf, testConfig, testRunContext } from '../helpers/run-context.js'
import { useTestDatabase } from '../helpers/test-db.js'
import { CHROMIUM, hasChromium, launchChromium, SCREENSHOTS, type Browser, pagePool } from './chromium.js'

const NOW = new Date('2026-11-25T12:00:00Z')
const START = '/compare?fw=express&fw=nestjs&metric=downloads&range=90d&view=absolute&smooth=none'

// pages.test.ts reports a missing Chromium (and fails under REQUIRE_BROWSER=1); here we only skip.
describe.skipIf(!hasChromium)('/compare in Chromium', () => {
  const t = useTestDatabase()
  const fake = useFakeUpstream()
  let server: AppServer
  let browser: Browser
  const pages = pagePool(() => browser, { now: NOW })
  const { newPage } = pages

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true })
    ;[server, browser] = await Promise.all([startAppServer({ db: t.db, dbKind: t.handle.kind, catalog: t.catalog }), launchChromium()])
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })
  beforeEach(async () => {
    serveNpm(fake)
    const config = testConfig(fake.url)
    const npm = npmSourceOf(config)
    await runSource(testRunContext(t.db, t.catalog, config, NOW), npm)
    await loadGuideSnapshot(t.db, t.catalog)
  })
  afterEach(async () => {
    await pages.closeAll()
  })

  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true })
  const url = (page: Page) => decodeURIComponent(new URL(page.url()).search)

  /** Datasets the chart was drawn with, and pixels in the first series colour. */
  function chartState(page: Page) {
    return page.evaluate(() => {
      const canvas = document.querySelector<HTMLCanvasElement>('#compare-chart canvas')
      if (!canvas) return null
      const first = getComputedStyle(document.documentElement).getPropertyValue('--series').split(',')[0]!.trim()
      const [r, g, b] = [1, 3, 5].map((i) => parseInt(first.slice(i, i + 2), 16)) as [number, number, number]
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height)
      let line = 0
      for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3]! > 200 && Math.abs(data[i]! - r) + Math.abs(data[i + 1]! - g) + Math.abs(data[i + 2]! - b) < 60) line++
      }
      const series = JSON.parse(canvas.dataset.series!) as { labels: string[]; datasets: { label: string }[] }
      return { line, labels: series.labels.length, datasets: series.datasets.map((d) => d.label), scale: canvas.dataset.scale, drawn: canvas.width > 0 }
    })
  }

  it('draws, swaps only the chart on every control, keeps the state in the URL, and goes back', async () => {
    const { page, problems } = await newPage()
    expect((await page.goto(server.url + START))?.status()).toBe(200)
    await expect.poll(async () => (await chartState(page))?.line ?? 0).toBeGreaterThan(200)
    expect((await chartState(page))!.datasets).toEqual(['Express · express (npm)', 'NestJS · @nestjs/core (npm)'])
    await shot(page, 'compare-desktop')

    await page.evaluate(() => ((window as unknown as { marker: string }).marker = 'still here'))
    const requests: string[] = []
    page.on('request', (r) => requests.push(`${r.resourceType()} ${new URL(r.url()).pathname}`))

    // Framework: untick NestJS.
    await page.getByLabel('NestJS').uncheck()
    await expect.poll(() => url(page)).toBe('?fw=express&metric=downloads&range=90d&view=absolute&smooth=none')
    await expect.poll(async () => (await chartState(page))?.datasets).toEqual(['Express · express (npm)'])
    // Range.
    await page.locator('.segmented label', { hasText: '30 d' }).click()
    await expect.poll(() => url(page)).toContain('range=30d')
    await expect.poll(async () => (await chartState(page))?.labels).toBe(30)
    // Scale.
    await page.locator('.segmented label', { hasText: 'Log scale' }).click()
    await expect.poll(() => url(page)).toContain('view=log')
    await expect.poll(async () => (await chartState(page))?.scale).toBe('log')
    await expect.poll(async () => (await chartState(page))?.line ?? 0).toBeGreaterThan(100)
    // Metric: no GitHub data in this database, and the page says so.
    await page.locator('select[name="metric"]').selectOption('stars')
    await expect.poll(() => url(page)).toContain('metric=stars')
    await expect(page.locator('#compare-chart .empty-state').textContent()).resolves.toMatch(/No github stars \(total\) stored/i)

    expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe('still here')
    expect(requests.every((r) => r === 'fetch /compare/chart')).toBe(true)
    expect(requests).toHaveLength(4)

    // Back: the previous state, chart and form alike.
    await page.goBack()
    await expect.poll(() => url(page)).toBe('?fw=express&metric=downloads&range=30d&view=log&smooth=none')
    await expect.poll(async () => (await chartState(page))?.scale).toBe('log')
    await expect(page.locator('select[name="metric"]').inputValue()).resolves.toBe('downloads')
    await page.goBack()
    await page.goBack()
    await expect.poll(() => url(page)).toBe('?fw=express&metric=downloads&range=90d&view=absolute&smooth=none')
    await expect.poll(async () => (await chartState(page))?.labels).toBe(90)
    await page.goForward()
    await expect.poll(async () => (await chartState(page))?.labels).toBe(30)
    const counts = await page.evaluate(() => ['header', 'h1', 'form', '#compare-chart', 'canvas'].map((s) => document.querySelectorAll(s).length))
    expect(counts).toEqual([1, 1, 1, 1, 1])
    expect(problems).toEqual({ console: [], pageErrors: [], csp: [] })
  })

  it('unticking every framework asks for one, in the URL too; quarterly counts disable Smoothing, saying why', async () => {
    const { page, problems } = await newPage()
    expect((await page.goto(server.url + START))?.status()).toBe(200)
    await expect.poll(async () => (await chartState(page))?.datasets).toEqual(['Express · express (npm)', 'NestJS · @nestjs/core (npm)'])
    await page.getByLabel('Express').uncheck()
    await expect.poll(async () => (await chartState(page))?.datasets).toEqual(['NestJS · @nestjs/core (npm)'])
    await page.getByLabel('NestJS').uncheck()
    await expect.poll(() => url(page)).toBe('?submitted=1&metric=downloads&range=90d&view=absolute&smooth=none')
    await expect.poll(() => page.locator('#compare-chart .empty-state').textContent()).toContain('Choose at least one framework')
    expect(await chartState(page)).toBeNull()
    await expect(page.locator('input[name="fw"]:checked').count()).resolves.toBe(0)
    // The bookmark reads back the same.
    await page.reload()
    await expect(page.locator('input[name="fw"]:checked').count()).resolves.toBe(0)
    await expect(page.locator('#compare-chart .empty-state').textContent()).resolves.toContain('Choose at least one framework')

    const smoothing = page.getByRole('group', { name: 'Smoothing' })
    const why = page.getByText('Does not apply to quarterly counts')
    await expect(smoothing.isDisabled()).resolves.toBe(false)
    await expect(why.isVisible()).resolves.toBe(false)
    await page.locator('select[name="metric"]').selectOption('releases')
    await expect.poll(() => url(page)).toContain('metric=releases')
    await expect(smoothing.isDisabled()).resolves.toBe(true)
    await expect(smoothing.getAttribute('aria-disabled')).resolves.toBe('true')
    await expect(why.isVisible()).resolves.toBe(true)
    await page.locator('select[name="metric"]').selectOption('downloads')
    await expect.poll(() => url(page)).toContain('metric=downloads')
    await expect(smoothing.isDisabled()).resolves.toBe(false)
    await expect(smoothing.getAttribute('aria-disabled')).resolves.toBe('false')
    await expect(why.isVisible()).resolves.toBe(false)
    await page.locator('.segmented label', { hasText: '7-day mean' }).click()
    await expect.poll(() => url(page)).toContain('smooth=7d')
    expect(problems).toEqual({ console: [], pageErrors: [], csp: [] })
  })

  it('fits 375 px, in light and dark', async () => {
    for (const dark of [false, true]) {
      const { page, problems } = await newPage({ width: 375, dark })
      await page.goto(server.url + START.replace('range=90d', 'range=1y').replace('smooth=none', 'smooth=7d'))
      await expect.poll(async () => (await chartState(page))?.line ?? 0).toBeGreaterThan(50)
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375)
      await shot(page, `compare-375-${dark ? 'dark' : 'light'}`)
      expect(problems).toEqual({ console: [], pageErrors: [], csp: [] })
    }
  })

  it('works without JavaScript: the form reloads the page with the state in the URL', async () => {
    const noJs = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] })
    try {
      const context = await noJs.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 800 } })
      const page = await context.newPage()
      await page.goto(server.url + START)
      await page.locator('.segmented label', { hasText: '30 d' }).click()
      await page.getByLabel('NestJS').uncheck()
      await page.getByRole('button', { name: 'Show' }).click()
      await page.waitForURL(/range=30d/)
      // The hidden field comes along: with every box unticked it tells "none" from "the defaults".
      expect(url(page)).toBe('?fw=express&metric=downloads&range=30d&view=absolute&smooth=none&submitted=1')
      await page.locator('.data-table summary').click()
      await expect(page.locator('.data-table summary').textContent()).resolves.toBe('Data table (30 rows)')
      await expect(page.locator('.data-table th').allTextContents()).resolves.toEqual(['Day', 'Express · express (npm)'])
      expect(await page.locator('#compare-chart .chart-frame').isVisible()).toBe(false)
      await shot(page, 'compare-no-js')

      // Every framework unticked: the form comes back with none ticked and asks for one.
      await page.getByLabel('Express').uncheck()
      await page.getByRole('button', { name: 'Show' }).click()
      await page.waitForURL(/^[^?]*\?metric=/)
      expect(url(page)).toBe('?metric=downloads&range=30d&view=absolute&smooth=none&submitted=1')
      await expect(page.locator('input[name="fw"]:checked').count()).resolves.toBe(0)
      await expect(page.locator('#compare-chart .empty-state').textContent()).resolves.toContain('Choose at least one framework')
      // Quarterly counts: the Smoothing buttons are disabled, and not sent.
      await page.locator('select[name="metric"]').selectOption('releases')
      await page.getByLabel('Express').check()
      await page.getByRole('button', { name: 'Show' }).click()
      await page.waitForURL(/metric=releases/)
      await expect(page.getByRole('group', { name: 'Smoothing' }).isDisabled()).resolves.toBe(true)
      await expect(page.getByText('Does not apply to quarterly counts').isVisible()).resolves.toBe(true)
      await page.locator('select[name="metric"]').selectOption('downloads')
      await page.getByRole('button', { name: 'Show' }).click()
      await page.waitForURL(/metric=downloads/)
      expect(url(page)).toBe('?fw=express&metric=downloads&range=30d&view=absolute&submitted=1')
      await expect(page.locator('input[name="smooth"][value="7d"]').isEnabled()).resolves.toBe(true)
    } finally {
      await noJs.close()
    }
  })
})
