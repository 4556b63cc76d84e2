import { mkdirSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { serve, type ServerType } from '@hono/node-server'
import type { Page, Request as PageRequest } from 'playwright-core'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { loadGuideSnapshot } from '../../src/jobs/guide-job.js'
import { createLogger } from '../../src/logger.js'
import { createApp } from '../../src/server/app.js'
import { formatNumber } from '../../src/views/format.js'
import { runBenchmarkJob, serveBenchmarks } from '../helpers/benchmark-upstream.js'
import { useFakeUpstream } from '../helpers/fake-upstream.js'
import { downloadsOn, serveNpm } from '../helpers/npm-upstream.js'
import { syncNpmFrom } from '../helpers/run-context.js'
import { useTestDatabase } from '../helpers/test-db.js'
import { browserRequired, CHROMIUM, hasChromium, launchChromium, openPage, type Browser, type Problems } from './chromium.js'

const NOW = new Date('2026-11-25T12:00:00Z')
// The next day's sync stores 2026-11-25: the figures and the chart gain a day.
const NEXT_DAY = new Date('2026-11-26T12:00:00Z')
const DAY_AFTER = new Date('2026-11-27T12:00:00Z')
const RESULTS = path.resolve(import.meta.dirname, '../../test-results')

if (!hasChromium && browserRequired) {
  describe('live browser tests', () => {
    it('have Chromium to run in', () => {
      expect.fail(`REQUIRE_BROWSER=1 but ${CHROMIUM} does not exist: run \`apt-get install -y chromium\``)
    })
  })
}
const skipReason = hasChromium ? '' : ` (skipped: ${CHROMIUM} not found; \`apt-get install -y chromium\` to run them)`

/** Express's npm downloads over the 7 days to 2026-11-`last`, as the fake upstream serves them. */
function weekTo(last: number): number {
  let sum = 0
  for (let d = last - 6; d <= last; d++) sum += downloadsOn('express', `2026-11-${d}`)
  return sum
}

describe.skipIf(!hasChromium)(`live updates in Chromium${skipReason}`, () => {
  const t = useTestDatabase()
  const fake = useFakeUpstream()
  let server: LiveServer
  let url: string
  let browser: Browser
  const open: Page[] = []

  /**
   * The real app on a socket, polling every `pollSeconds` instead of every minute
   * (LIVE_POLL_SECONDS). It can stop (connections refused), start again on the same port, or
   * answer every request with a 503.
   */
  async function liveServer(pollSeconds: number) {
    const app = createApp({
      db: t.db,
      dbKind: t.handle.kind,
      catalog: t.catalog,
      collected: new Set(['npm']),
      log: createLogger('silent'),
      publicUrl: 'http://pulse.test',
      versionTtlMs: 0,
      livePollSeconds: pollSeconds,
    })
    let failing = false
    const fetch = (request: Request) => (failing ? new Response('down', { status: 503 }) : app.fetch(request))
    let socket: ServerType | undefined
    const listen = (port: number) =>
      new Promise<AddressInfo>((resolve) => {
        socket = serve({ fetch, hostname: '127.0.0.1', port }, resolve)
      })
    const { port } = await listen(0)
    return {
      url: `http://127.0.0.1:${port}`,
      fail: (on: boolean) => void (failing = on),
      start: () => listen(port),
      stop: () =>
        new Promise<void>((resolve) => {
          if (!socket) return resolve()
          // Browsers keep idle connections open; drop them so the port refuses at once.
          if ('closeAllConnections' in socket) socket.closeAllConnections()
          socket.close(() => resolve())
          socket = undefined
        }),
    }
  }
  type LiveServer = Awaited<ReturnType<typeof liveServer>>

  beforeAll(async () => {
    mkdirSync(RESULTS, { recursive: true })
    server = await liveServer(1)
    url = server.url
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })
  beforeEach(async () => {
    serveNpm(fake)
    await syncAt(NOW)
    await loadGuideSnapshot(t.db, t.catalog)
  })
  afterEach(async () => {
    await Promise.all(open.splice(0).map((page) => page.close()))
  })

  /**
   * The test's clock, shared by the server's data and the pages: a sync "at" a day moves every open
   * page's Date there too, so relative times ("Updated just now") hold on any real day.
   */
  let clock = NOW
  async function syncAt(at: Date) {
    clock = at
    await syncNpmFrom(t.db, t.catalog, fake.url, at)
    await Promise.all(open.map((page) => page.clock.setSystemTime(at)))
  }

  /** A page that records its problems and every answer to a live poll. */
  async function livePage(pathname: string, base = url) {
    const { page, problems } = await openPage(browser.context, { now: clock })
    open.push(page)
    await page.emulateMedia({ colorScheme: 'light' })
    const polls: { path: string; status: number; ifNoneMatch: string | undefined }[] = []
    page.on('response', (response) => {
      const u = new URL(response.url())
      if (u.pathname.startsWith('/live/')) {
        polls.push({ path: u.pathname + u.search, status: response.status(), ifNoneMatch: response.request().headers()['if-none-match'] })
      }
    })
    const response = await page.goto(base + pathname)
    expect(response?.status()).toBe(200)
    // A reload would lose this; live swaps keep it.
    await page.evaluate(() => ((window as unknown as { marker: string }).marker = 'never reloaded'))
    return { page, problems, polls }
  }

  const noProblems = (problems: Problems) => expect(problems).toEqual({ console: [], pageErrors: [], csp: [] })
  const marker = (page: Page) => page.evaluate(() => (window as unknown as { marker?: string }).marker)
  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(RESULTS, `live-${name}.png`), fullPage: true })

  /**
   * Samples every frame (requestAnimationFrame runs just before the browser paints) until stopped:
   * the scroll position, and whether the chart canvas showed its line. A swap that blanked the
   * chart or moved the page for even one frame shows here.
   */
  function watchFrames(page: Page, chart = '#trend-chart canvas') {
    return page.evaluate((chart) => {
      const w = window as unknown as { frames_: { scrollY: number[]; blank: number; frames: number; stop: boolean } }
      w.frames_ = { scrollY: [], blank: 0, frames: 0, stop: false }
      const sample = () => {
        const f = w.frames_
        if (f.stop) return
        f.frames++
        f.scrollY.push(scrollY)
        const canvas = document.querySelector<HTMLCanvasElement>(chart)
        if (canvas) {
          const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height)
          let painted = 0
          for (let i = 3; i < data.length; i += 4 * 7) if (data[i]! > 0) painted++
          if (painted < 100) f.blank++
        }
        requestAnimationFrame(sample)
      }
      requestAnimationFrame(sample)
    }, chart)
  }
  const framesSeen = (page: Page) =>
    page.evaluate(() => {
      const w = window as unknown as { frames_: { scrollY: number[]; blank: number; frames: number; stop: boolean } }
      w.frames_.stop = true
      return { scrollY: [...new Set(w.frames_.scrollY)], blank: w.frames_.blank, frames: w.frames_.frames }
    })

  /** Since watchFrames: no blank chart frame, no scroll, no reload, and the same canvas element. */
  async function expectSwappedInPlace(page: Page, chart: string, scrollBefore: number) {
    const frames = await framesSeen(page)
    expect(frames.frames).toBeGreaterThan(10)
    expect(frames.blank, 'frames with a blank chart').toBe(0)
    expect(frames.scrollY).toEqual([scrollBefore])
    expect(await marker(page)).toBe('never reloaded')
    expect(await page.evaluate((selector) => (document.querySelector(selector) as unknown as { kept?: boolean }).kept, chart)).toBe(true)
  }

  it('a framework page takes new data without a reload, a flicker or a scroll jump; unchanged data is a 304', async () => {
    const { page, problems, polls } = await livePage('/frameworks/express')
    const region = page.locator('#live-framework')
    const series = () => page.locator('#trend-chart canvas').getAttribute('data-series').then((s) => JSON.parse(s!))
    expect((await series()).labels.at(-1)).toBe('2026-11-24')
    const etag = await region.getAttribute('data-etag')

    // Unchanged data: every poll carries the page's ETag and is answered 304, and nothing is swapped.
    await expect.poll(() => polls.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(3)
    expect(polls.every((p) => p.path === '/live/frameworks/express?range=90d' && p.status === 304 && p.ifNoneMatch === etag)).toBe(true)
    await expect.poll(() => page.locator('.live-on .live-note').isVisible()).toBe(true)
    await expect(page.locator('.live-status').innerText()).resolves.toMatch(/^Updated (just now|1 min ago) · /)
    await shot(page, 'framework-before')

    // The reader opened the chart's data table: a live swap leaves it open.
    await page.locator('#trend-chart .data-table summary').first().click()
    // Read from the middle of the page: the chart in view.
    await page.evaluate(() => {
      const chart = document.querySelector('#trend-chart')!
      scrollTo(0, chart.getBoundingClientRect().top + scrollY - 100)
      // The canvas element itself must survive the swap (morphed in place, not replaced).
      ;(document.querySelector('#trend-chart canvas') as unknown as { kept: boolean }).kept = true
    })
    const scrollBefore = await page.evaluate(() => scrollY)
    expect(scrollBefore).toBeGreaterThan(300)
    await watchFrames(page)

    // New data lands: the real npm job, against the fake upstream, a day later.
    const answered = polls.length
    await syncAt(NEXT_DAY)
    await expect.poll(async () => (await series()).labels.at(-1), { timeout: 10_000 }).toBe('2026-11-25')
    // Let a few more polls and frames pass after the swap.
    await expect.poll(() => polls.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(answered + 3)

    await expectSwappedInPlace(page, '#trend-chart canvas', scrollBefore)

    // One 200 brought the change; the polls after it send its new ETag and get 304s again.
    const after = polls.slice(answered)
    const changed = after.findIndex((p) => p.status === 200)
    expect(changed).toBeGreaterThanOrEqual(0)
    expect(after.slice(changed + 1).every((p) => p.status === 304 && p.ifNoneMatch !== etag)).toBe(true)
    expect(await region.getAttribute('data-etag')).not.toBe(etag)

    // The figures and the "updated" line are the new ones, the chart is drawn with the new day.
    const figure = page.locator('.figure-value').first()
    await expect(figure.getAttribute('title')).resolves.toBe(formatNumber(weekTo(25)))
    await expect(page.locator('.live-status time').getAttribute('title')).resolves.toBe('2026-11-26 12:00 UTC')
    await expect(page.locator('.live-status').innerText()).resolves.toMatch(/^Updated (just now|1 min ago) · /)
    expect((await series()).datasets[0].data.at(-1)).toBe(downloadsOn('express', '2026-11-25'))
    expect(await page.locator('#trend-chart canvas').count()).toBe(1)
    expect(await page.locator('h1').count()).toBe(1)
    await expect(page.locator('#trend-chart .data-table').first().getAttribute('open')).resolves.toBe('')
    await expect(page.locator('#trend-chart .data-table tbody tr').first().locator('td').first().textContent()).resolves.toBe('2026-11-25')
    noProblems(problems)
    await shot(page, 'framework-after')
  })

  it('the overview cards follow a sync; the poll follows the range picker; a hidden tab does not poll', async () => {
    const { page, problems, polls } = await livePage('/')
    const express = page.locator('.framework-list > li', { has: page.locator('h2', { hasText: /^Express$/ }) })
    await expect(express.locator('.figure-value').getAttribute('title')).resolves.toBe(formatNumber(weekTo(24)))
    await expect.poll(() => polls.filter((p) => p.status === 304).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2)

    await syncAt(NEXT_DAY)
    await expect.poll(() => express.locator('.figure-value').getAttribute('title'), { timeout: 10_000 }).toBe(formatNumber(weekTo(25)))
    expect(await marker(page)).toBe('never reloaded')
    expect(await page.locator('.framework-list > li').count()).toBe(10)
    // The sparkline (an SVG) came with the new data too, and the count of live regions is still one.
    expect(await page.locator('#live-overview').count()).toBe(1)
    await shot(page, 'overview-after')

    // A hidden tab stops polling, and catches up at once when shown again.
    const setVisibility = (state: 'hidden' | 'visible') =>
      page.evaluate((s) => {
        Object.defineProperty(document, 'visibilityState', { value: s, configurable: true })
        document.dispatchEvent(new Event('visibilitychange'))
      }, state)
    await setVisibility('hidden')
    await page.waitForTimeout(1_200)
    const whileHidden = polls.length
    await page.waitForTimeout(2_500)
    expect(polls.length).toBe(whileHidden)
    await setVisibility('visible')
    await expect.poll(() => polls.length, { timeout: 2_000 }).toBeGreaterThan(whileHidden)

    // On a framework page the poll asks for the range the reader picked.
    await page.goto(`${url}/frameworks/express`)
    await page.locator('.range-picker a', { hasText: '30 d' }).click()
    await page.waitForURL(`${url}/frameworks/express?range=30d`)
    const picked = polls.length
    await expect.poll(() => polls.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(picked + 2)
    expect(polls.slice(picked).map((p) => p.path)).toEqual(polls.slice(picked).map(() => '/live/frameworks/express?range=30d'))
    // The chart the picker brought stays: the poll swaps in the same 30-day chart, not the 90-day one.
    await expect(page.locator('.range-picker [aria-current="true"]').textContent()).resolves.toBe('30 d')
    await expect(page.locator('.data-table summary').first().textContent()).resolves.toBe('Data table (30 rows)')
    expect(polls.slice(picked).at(-1)!.status).toBe(304)
    // The poll after the pick answered 200 (the region's tag was the 90-day one) with the same
    // chart: morphed in place, not redrawn, and still drawn.
    expect(polls.slice(picked).map((p) => p.status)).toContain(200)
    const painted = await page.evaluate(() => {
      const canvas = document.querySelector<HTMLCanvasElement>('#trend-chart canvas')!
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height)
      let n = 0
      for (let i = 3; i < data.length; i += 4 * 7) if (data[i]! > 0) n++
      return { n, height: canvas.getBoundingClientRect().height }
    })
    expect(painted.n).toBeGreaterThan(100)
    expect(painted.height).toBeGreaterThan(200)
    noProblems(problems)
  })

  it('the status table shows a new run without a reload', async () => {
    const { page, problems } = await livePage('/status')
    await expect.poll(() => page.locator('.status-table tbody tr.run-succeeded').count()).toBe(4)
    fake.on(/.*/, { status: 503, body: 'down' })
    await syncAt(NEXT_DAY)
    await expect.poll(() => page.locator('.status-table tbody tr.run-failed').count(), { timeout: 10_000 }).toBe(4)
    await expect(page.locator('#live-status').innerText()).resolves.toContain('4 of 4 last runs failed.')
    expect(await marker(page)).toBe('never reloaded')
    noProblems(problems)
    await shot(page, 'status-after')
  })
  it('/compare: the poll follows the form to the new URL, every fw kept; new data shows without a reload or a scroll jump; a reply for a choice left behind is dropped', async () => {
    const { page, problems, polls } = await livePage('/compare?fw=express&metric=downloads&range=30d&view=absolute&smooth=none')
    const chart = page.locator('#compare-chart canvas')
    const series = () => chart.getAttribute('data-series').then((s) => JSON.parse(s!) as { labels: string[]; datasets: { label: string; data: (number | null)[] }[] })
    const labels = async () => (await series()).datasets.map((d) => d.label)
    await expect.poll(() => polls.filter((p) => p.status === 304).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(1)
    await expect(page.locator('#live-compare .live-status').innerText()).resolves.toMatch(/^Updated (just now|1 min ago) · /)

    // The reader adds NestJS: the form swaps the region and pushes the URL, with fw twice.
    const both = 'fw=express&fw=nestjs&metric=downloads&range=30d&view=absolute&smooth=none'
    await page.getByLabel('NestJS').check()
    await page.waitForURL(`${url}/compare?${both}`)
    await expect.poll(labels).toEqual(['Express · express (npm)', 'NestJS · @nestjs/core (npm)'])
    const picked = polls.length
    await expect.poll(() => polls.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(picked + 3)
    // (One poll may have been on its way during the swap.) The form's fragment is the region's, so
    // its ETag came along: the polls for the new choice are 304s from the first.
    const afterPick = polls.slice(picked + 1)
    expect(afterPick.map((p) => p.path)).toEqual(afterPick.map(() => `/live/compare?${both}`))
    expect(afterPick.map((p) => p.status)).toEqual(afterPick.map(() => 304))
    await shot(page, 'compare-before')

    // Read from the chart: a live swap must not move the page nor blank the chart.
    await page.setViewportSize({ width: 1280, height: 600 })
    await page.evaluate(() => {
      const block = document.querySelector('#compare-chart')!
      scrollTo(0, block.getBoundingClientRect().top + scrollY - 20)
      ;(document.querySelector('#compare-chart canvas') as unknown as { kept: boolean }).kept = true
    })
    const scrollBefore = await page.evaluate(() => scrollY)
    expect(scrollBefore).toBeGreaterThan(100)
    await watchFrames(page, '#compare-chart canvas')

    const answered = polls.length
    await syncAt(NEXT_DAY)
    await expect.poll(async () => (await series()).labels.at(-1), { timeout: 10_000 }).toBe('2026-11-25')
    await expect.poll(() => polls.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(answered + 3)
    await expectSwappedInPlace(page, '#compare-chart canvas', scrollBefore)
    const now = await series()
    expect(now.datasets.map((d) => d.label)).toEqual(['Express · express (npm)', 'NestJS · @nestjs/core (npm)'])
    expect(now.datasets[0]!.data.at(-1)).toBe(downloadsOn('express', '2026-11-25'))
    await expect(page.locator('#live-compare .live-status time').getAttribute('title')).resolves.toBe('2026-11-26 12:00 UTC')
    expect(polls.slice(answered).every((p) => p.path === `/live/compare?${both}`)).toBe(true)
    const counts = await page.evaluate(() => ['h1', 'form', '#live-compare', '#compare-chart', 'canvas', '.live-status'].map((s) => document.querySelectorAll(s).length))
    expect(counts).toEqual([1, 1, 1, 1, 1, 1])
    await shot(page, 'compare-after')

    // A poll for the two frameworks is held on its way; meanwhile the reader unticks NestJS and new
    // data lands. The held poll's 200 (two lines, new day) is for a choice left behind: dropped.
    const express = 'fw=express&metric=downloads&range=30d&view=absolute&smooth=none'
    let hold = true
    let release!: () => Promise<void>
    const held = new Promise<void>((resolve) => {
      void page.route('**/live/compare?*', async (route) => {
        if (!hold) return route.continue()
        hold = false
        release = () => route.continue()
        resolve()
      })
    })
    await held
    await page.getByLabel('NestJS').uncheck()
    await page.waitForURL(`${url}/compare?${express}`)
    await expect.poll(labels).toEqual(['Express · express (npm)'])
    // From now on, every line count the chart is given.
    await page.evaluate(() => {
      const w = window as unknown as { lines_: number[] }
      w.lines_ = []
      new MutationObserver(() => {
        const canvas = document.querySelector<HTMLCanvasElement>('#compare-chart canvas')
        w.lines_.push(canvas ? (JSON.parse(canvas.dataset.series!) as { datasets: unknown[] }).datasets.length : 0)
      }).observe(document.querySelector('#live-compare')!, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-series'] })
    })
    await syncAt(DAY_AFTER)
    const released = polls.length
    await release()
    await expect.poll(() => polls.slice(released).some((p) => p.path === `/live/compare?${both}` && p.status === 200), { timeout: 10_000 }).toBe(true)
    // Its new data arrives by the poll for what the page shows now, with the one line.
    await expect.poll(async () => (await series()).labels.at(-1), { timeout: 10_000 }).toBe('2026-11-26')
    expect(await labels()).toEqual(['Express · express (npm)'])
    await page.waitForTimeout(1_500)
    expect(await labels()).toEqual(['Express · express (npm)'])
    expect(polls.at(-1)!.path).toBe(`/live/compare?${express}`)
    const lines = await page.evaluate(() => (window as unknown as { lines_: number[] }).lines_)
    expect(lines.length).toBeGreaterThan(0)
    expect(lines.every((n) => n === 1)).toBe(true)
    expect(await marker(page)).toBe('never reloaded')
    noProblems(problems)
  })

  it('a bare /compare polls for every default framework, not the first alone', async () => {
    const { page, problems, polls } = await livePage('/compare')
    const chart = page.locator('#compare-chart canvas')
    // A short wait: a Django-only swap has no canvas at all.
    const labels = () => chart.getAttribute('data-series', { timeout: 2_000 }).then((s) => (JSON.parse(s!) as { datasets: { label: string }[] }).datasets.map((d) => d.label))
    const before = await labels()
    expect(before).toEqual(['Express · express (npm)'])
    const ticked = () => page.locator('input[name="fw"]:checked').evaluateAll((boxes) => boxes.map((b) => (b as HTMLInputElement).value))
    expect(await ticked()).toEqual(['django', 'express'])
    await expect.poll(() => polls.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2)
    // The region's URL stands in for the empty address bar, fw twice: the page's own state, so a 304.
    for (const poll of polls) {
      expect(new URLSearchParams(poll.path.split('?')[1]).getAll('fw')).toEqual(['django', 'express'])
      expect(poll.status).toBe(304)
    }
    expect(await labels()).toEqual(before)
    await expect(page.locator('#compare-chart').innerText()).resolves.toContain('Django')
    expect(await ticked()).toEqual(['django', 'express'])
    expect(await marker(page)).toBe('never reloaded')
    noProblems(problems)
  })

  it('/benchmarks shows a new import without a reload; ?variants=all polls its own region', async () => {
    const { page, problems, polls } = await livePage('/benchmarks?variants=all')
    const region = page.locator('#live-benchmarks')
    await expect(region.locator('.live-status').innerText()).resolves.toMatch(/^Nothing imported yet/)
    await expect(region.innerText()).resolves.toContain('No the-benchmarker/web-frameworks run imported yet.')
    await expect.poll(() => polls.filter((p) => p.status === 304).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(1)

    serveBenchmarks(fake)
    await runBenchmarkJob(t, fake, 'the-benchmarker', {}, NOW)
    await expect.poll(() => region.locator('canvas[data-chart="bar"]').count(), { timeout: 10_000 }).toBe(1)
    await expect(region.innerText()).resolves.toContain('python/django')
    await expect(region.innerText()).resolves.not.toContain('No the-benchmarker/web-frameworks run imported yet.')
    await expect(region.locator('.live-status time').getAttribute('title')).resolves.toBe('2026-11-25 12:00 UTC')
    await expect(region.locator('.live-status').innerText()).resolves.toMatch(/^Last import (just now|\d+ min ago|\d+ h ago|\d+ days ago)/)
    expect(polls.every((p) => p.path === '/live/benchmarks?variants=all')).toBe(true)
    expect(await marker(page)).toBe('never reloaded')
    // The bar chart the swap brought is drawn, in a frame sized for its bars.
    await expect
      .poll(() =>
        page.evaluate(() => {
          const canvas = document.querySelector<HTMLCanvasElement>('#live-benchmarks canvas')!
          const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height)
          let n = 0
          for (let i = 3; i < data.length; i += 4 * 7) if (data[i]! > 0) n++
          return n
        }),
      )
      .toBeGreaterThan(100)
    noProblems(problems)
    await shot(page, 'benchmarks-after')
  })

  it('backs off while the server fails or is gone, says so, and recovers', async () => {
    // Polls every 250 ms, so that a few doublings take seconds.
    const flaky = await liveServer(0.25)
    try {
      const { page, problems, polls } = await livePage('/', flaky.url)
      // When each poll was sent, and which of them failed: no connection, or a 503.
      const sent = new Map<PageRequest, number>()
      const failed: { at: number; how: 'refused' | '503' }[] = []
      const isPoll = (request: PageRequest) => new URL(request.url()).pathname.startsWith('/live/')
      page.on('request', (request) => void (isPoll(request) && sent.set(request, Date.now())))
      page.on('requestfailed', (request) => void (isPoll(request) && failed.push({ at: sent.get(request)!, how: 'refused' })))
      page.on('response', (response) => void (isPoll(response.request()) && response.status() === 503 && failed.push({ at: sent.get(response.request())!, how: '503' })))
      const gapsOf = (times: number[]) => times.slice(1).map((at, i) => at - times[i]!)
      const region = page.locator('#live-overview')
      await expect.poll(() => polls.filter((p) => p.status === 304).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(3)

      // The server stops: polls meet a refused connection.
      await flaky.stop()
      await expect.poll(() => failed.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2)
      await expect.poll(() => region.getAttribute('class')).toContain('live-offline')
      await expect(region.locator('.live-status').innerText()).resolves.toMatch(/^Updated .* · offline, retrying$/)
      await shot(page, 'offline')
      // It is back, answering 503 to everything.
      flaky.fail(true)
      await flaky.start()
      await expect.poll(() => failed.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(4)
      expect(failed.slice(0, 4).map((f) => f.how)).toEqual(['refused', 'refused', '503', '503'])
      // Each failed round doubles the wait: about 0.5 s, 1 s, 2 s.
      const gaps = gapsOf(failed.slice(0, 4).map((f) => f.at))
      expect(gaps[0]).toBeGreaterThanOrEqual(400)
      expect(gaps[1]).toBeGreaterThanOrEqual(gaps[0]! * 1.6)
      expect(gaps[2]).toBeGreaterThanOrEqual(gaps[1]! * 1.6)
      expect(gaps[2]).toBeLessThan(3_000)
      await expect(region.locator('.live-offline-note').isVisible()).resolves.toBe(true)
      expect(polls.filter((p) => p.status === 503).every((p) => p.path === '/live/overview')).toBe(true)

      // The server recovers: the next poll (about 4 s later) resets the pace, and the note goes.
      flaky.fail(false)
      const answered = polls.length
      await expect.poll(() => polls.slice(answered).filter((p) => p.status === 304).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(3)
      expect(failed).toHaveLength(4)
      const recovered = gapsOf([...sent.values()].slice(-3))
      expect(Math.max(...recovered)).toBeLessThan(700)
      await expect(region.getAttribute('class')).resolves.not.toContain('live-offline')
      await expect(region.locator('.live-offline-note').isVisible()).resolves.toBe(false)
      expect(await marker(page)).toBe('never reloaded')
      // Chromium itself notes each failed request in the console; the scripts add nothing to it.
      expect(problems.pageErrors).toEqual([])
      expect(problems.csp).toEqual([])
      expect(problems.console.filter((m) => !m.startsWith('Failed to load resource'))).toEqual([])
      expect(problems.console.length, 'one line per failed poll at most').toBeLessThanOrEqual(failed.length)
    } finally {
      await flaky.stop()
    }
  })
})
