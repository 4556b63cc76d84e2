import { mkdirSync } from 'node:fs'
import path from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Measurement } from '../../src/claims/measurement.js'
import { paragraphOf, plainText } from '../../src/claims/quote.js'
import { sourceName } from '../../src/source-names.js'
import { startAllUpstreams } from '../helpers/all-upstreams.js'
import { startAppServer, type AppServer } from '../helpers/app-server.js'
import { allCollected, seedAllSources, type AllUpstreams } from '../helpers/seed-sources.js'
import { useTestDatabase } from '../helpers/test-db.js'
import { hasChromium, launchChromium, SCREENSHOTS, type Browser, type Problems, pagePool } from './chromium.js'

// The fake GitHub's "today"; every fake upstream serves data up to it.
const NOW = new Date('2026-11-25T12:00:00Z')
const SYMBOLS = { supported: '✓', 'not supported': '✗', 'not measurable yet': '?' } as const

// pages.test.ts reports a missing Chromium (and fails under REQUIRE_BROWSER=1); here we only skip.
describe.skipIf(!hasChromium)('the guide’s claims in Chromium', () => {
  const t = useTestDatabase()
  let upstreams: AllUpstreams
  let server: AppServer
  let browser: Browser
  const pages = pagePool(() => browser, { now: NOW })
  const { newPage } = pages

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true })
    upstreams = await startAllUpstreams(NOW)
    ;[server, browser] = await Promise.all([
      startAppServer({ db: t.db, dbKind: t.handle.kind, catalog: t.catalog, collected: allCollected(upstreams) }),
      launchChromium(),
    ])
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await upstreams?.stop()
  })
  // The schema is emptied before each test: a first sync of every source fills it again, and
  // the verdict step after each job (as the scheduler runs it) judges every claim.
  beforeEach(async () => {
    const results = await seedAllSources(t, upstreams, NOW)
    expect(results.filter((r) => r.status !== 'succeeded')).toEqual([])
  })
  afterEach(async () => {
    await pages.closeAll()
  })

  async function visit(page: Page, pathname: string) {
    const response = await page.goto(server.url + pathname)
    expect(response?.status(), pathname).toBe(200)
  }
  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true })
  const noProblems = (problems: Problems) => expect(problems).toEqual({ console: [], pageErrors: [], csp: [] })

  async function verdictsOf(slug?: string) {
    const rows = await t.db
      .selectFrom('claim_verdicts')
      .innerJoin('frameworks', 'frameworks.id', 'claim_verdicts.framework_id')
      .select(['frameworks.slug', 'claim_id', 'quote', 'status', 'reason', 'measurement'])
      .$if(slug !== undefined, (q) => q.where('frameworks.slug', '=', slug!))
      .orderBy('claim_id')
      .execute()
    return rows.map((r) => ({ ...r, measurement: r.measurement as Measurement | null }))
  }
  async function paragraphsOf(slug: string): Promise<string[]> {
    const row = await t.db
      .selectFrom('guide_sections')
      .innerJoin('frameworks', 'frameworks.id', 'guide_sections.framework_id')
      .select('paragraphs')
      .where('frameworks.slug', '=', slug)
      .executeTakeFirstOrThrow()
    return typeof row.paragraphs === 'string' ? JSON.parse(row.paragraphs) : (row.paragraphs as string[])
  }

  it('Express: every guide paragraph, each claim marked in it with its verdict in words, the figures behind it', async () => {
    const verdicts = await verdictsOf('express')
    // The seeded data gives Express one claim of each kind.
    expect(verdicts.map((v) => v.status).sort()).toEqual(['not measurable yet', 'not supported', 'supported'])
    const paragraphs = await paragraphsOf('express')
    const { page, problems } = await newPage()
    await visit(page, '/frameworks/express')

    const shown = await page.locator('.guide blockquote > div').evaluateAll((divs) => divs.map((d) => d.textContent ?? ''))
    expect(shown.map(plainText)).toEqual(paragraphs.map(plainText))

    for (const v of verdicts) {
      const at = paragraphOf(paragraphs, v.quote)
      expect(at, v.claim_id).toBeGreaterThanOrEqual(0)
      const paragraph = page.locator('.guide blockquote > div').nth(at)
      // The quote is marked where the guide says it, with the verdict's line style.
      const mark = paragraph.locator('mark.claim-quote', { hasText: v.quote })
      await expect(mark.count(), v.claim_id).resolves.toBe(1)
      await expect(mark.getAttribute('class')).resolves.toContain(`claim-quote-${v.status.replace(/ /g, '-')}`)
      // Its badge follows that paragraph and says the verdict in words, with a symbol beside the colour.
      const badge = page.locator(`.guide blockquote > div:nth-of-type(${at + 1}) + .claim-badges a.verdict-badge[href="#claim-${v.claim_id}"]`)
      await expect(badge.textContent(), v.claim_id).resolves.toBe(`“${v.quote}”: ${v.status}`)
      await expect(badge.evaluate((a) => getComputedStyle(a, '::before').content)).resolves.toContain(SYMBOLS[v.status])
      // The reason reads as a sentence: a capital first letter and one full stop.
      const shown = v.reason.charAt(0).toUpperCase() + v.reason.slice(1)
      await expect(badge.getAttribute('title')).resolves.toBe(/[.!?]$/.test(shown) ? shown : `${shown}.`)

      // The claim's entry: verdict, reason, every figure, the source and the link to its chart.
      const item = page.locator(`#claim-${v.claim_id}`)
      await expect(item.locator('q').textContent()).resolves.toBe(v.quote)
      await expect(item.locator('.badge').textContent()).resolves.toBe(v.status)
      await expect(item.textContent()).resolves.toContain(shown.replace(/\.$/, ''))
      const m = v.measurement
      if (v.status === 'not measurable yet') {
        expect(m).toBeNull()
        await expect(item.locator('.claim-figures').count()).resolves.toBe(0)
        continue
      }
      const figures = await item.locator('.claim-figures').evaluate((dl) =>
        [...dl.querySelectorAll('dt')].map((dt) => ({ label: dt.textContent, value: dt.nextElementSibling?.textContent })),
      )
      expect(figures, v.claim_id).toEqual(m!.figures)
      await expect(item.locator('.source-note').textContent()).resolves.toContain(`Source: ${sourceName(m!.source)}`)
      await expect(item.locator('.source-note a').getAttribute('href')).resolves.toBe(m!.chart)
    }
    noProblems(problems)
    await shot(page, 'claims-express-desktop')
  })

  it('a badge leads to its claim, and every claim’s link to the chart or table that shows its figures', async () => {
    const { page, problems } = await newPage()
    await visit(page, '/frameworks/express')
    await page.locator('a.verdict-badge[href="#claim-express-dominant-force"]').click()
    await page.waitForURL(`${server.url}/frameworks/express#claim-express-dominant-force`)
    const item = page.locator('#claim-express-dominant-force')
    await expect(item.evaluate((li) => li.matches(':target'))).resolves.toBe(true)
    await expect.poll(() => inViewport(page, '#claim-express-dominant-force')).toBe(true)
    await item.locator('.source-note a').click()
    await page.waitForURL(`${server.url}/frameworks/express?range=30d#trend-chart`)
    await expect.poll(() => inViewport(page, '#chart-downloads')).toBe(true)
    await expect(page.locator('.range-picker [aria-current="true"]').textContent()).resolves.toBe('30 d')
    await expect.poll(() => drawnDatasets(page, 'chart-downloads')).toEqual(['express (npm)'])

    // Every measured claim of every framework: its link opens a page where its figures are drawn.
    const measured = (await verdictsOf()).filter((v) => v.measurement)
    expect(new Set(measured.map((v) => v.measurement!.chart.replace(/^[^#]*/, '')))).toEqual(
      new Set(['#trend-chart', '#chart-stars', '#releases-title', '#tfb-fortune', '#bm-hello']),
    )
    for (const v of measured) {
      const chart = v.measurement!.chart
      // From one /benchmarks#… to another is a jump within the page, with no response to check.
      await page.goto('about:blank')
      await visit(page, chart)
      if (chart.endsWith('#trend-chart')) {
        await expect.poll(() => inViewport(page, '#chart-downloads'), { message: chart }).toBe(true)
        const datasets = await drawnDatasets(page, 'chart-downloads')
        expect(datasets.length, chart).toBeGreaterThan(0)
        const range = new URL(chart, server.url).searchParams.get('range')
        await expect(page.locator('.range-picker [aria-current="true"]').textContent()).resolves.toBe({ '30d': '30 d', '90d': '90 d', '1y': '1 y' }[range!])
      } else if (chart.endsWith('#chart-stars')) {
        await expect.poll(() => inViewport(page, '#chart-stars'), { message: chart }).toBe(true)
        expect((await drawnDatasets(page, 'chart-stars')).length, chart).toBeGreaterThan(0)
      } else if (chart.endsWith('#releases-title')) {
        await expect.poll(() => inViewport(page, '#releases-title'), { message: chart }).toBe(true)
        expect(await page.locator('.release-list tbody tr').count(), chart).toBeGreaterThan(0)
      } else {
        // A benchmark figure: the link lands on its test's section, which shows every requests/s figure behind it.
        const anchor = chart.replace(/^\/benchmarks#/, '')
        expect(anchor, v.claim_id).toBe(v.measurement!.source.startsWith('TechEmpower') ? 'tfb-fortune' : 'bm-hello')
        await expect.poll(() => inViewport(page, `#${anchor}`), { message: chart }).toBe(true)
        const section = page.locator(`section[aria-labelledby="${anchor}"]`)
        const text = await section.textContent()
        const rates = v.measurement!.figures.filter((f) => f.label.endsWith(', requests/s'))
        expect(rates.length, v.claim_id).toBeGreaterThan(0)
        for (const f of rates) {
          // The claim shows one decimal (7,020.5), the table whole numbers, rounded from the stored value.
          const value = Number(f.value.replace(/,/g, ''))
          const whole = [Math.floor(value), Math.ceil(value)].map((n) => n.toLocaleString('en-US'))
          expect(whole.some((w) => text!.includes(w)), `${v.claim_id} ${f.label} ${f.value}`).toBe(true)
        }
      }
    }
    noProblems(problems)
  })

  it('keyboard: Tab reaches the badges with a visible focus ring; Enter follows one, Tab then reaches its chart link', async () => {
    const { page, problems } = await newPage()
    await visit(page, '/frameworks/express')
    let focused: { cls: string; href: string | null } | null = null
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab')
      focused = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null
        return el ? { cls: el.className, href: el.getAttribute('href') } : null
      })
      if (focused?.cls.includes('verdict-badge')) break
    }
    expect(focused).toEqual({ cls: 'badge badge-succeeded verdict-badge', href: '#claim-express-dominant-force' })
    const ring = await page.evaluate(() => {
      const style = getComputedStyle(document.activeElement!)
      return { style: style.outlineStyle, width: parseFloat(style.outlineWidth), colour: style.outlineColor, visible: document.activeElement!.matches(':focus-visible') }
    })
    expect(ring.visible).toBe(true)
    expect(ring.style).toBe('solid')
    expect(ring.width).toBeGreaterThanOrEqual(2)
    const box = (await page.locator('.guide').boundingBox())!
    await page.screenshot({ path: path.join(SCREENSHOTS, 'claims-focus.png'), clip: { x: 0, y: box.y, width: 1280, height: Math.min(box.height, 400) } })

    await page.keyboard.press('Enter')
    await page.waitForURL(/#claim-express-dominant-force$/)
    // Sequential focus starts again at the claim the badge pointed at: its chart link is next.
    await page.keyboard.press('Tab')
    await expect(page.evaluate(() => document.activeElement?.closest('li')?.id)).resolves.toBe('claim-express-dominant-force')
    await expect(page.evaluate(() => document.activeElement?.getAttribute('href'))).resolves.toBe('/frameworks/express?range=30d#trend-chart')
    await page.keyboard.press('Enter')
    await page.waitForURL(`${server.url}/frameworks/express?range=30d#trend-chart`)
    noProblems(problems)
  })

  it('the overview counts the supported claims as stored, and the count links to them', async () => {
    const verdicts = await verdictsOf()
    const expected: Record<string, string> = {}
    for (const slug of new Set(verdicts.map((v) => v.slug))) {
      const own = verdicts.filter((v) => v.slug === slug)
      const supported = own.filter((v) => v.status === 'supported').length
      const unmeasured = own.filter((v) => v.status === 'not measurable yet').length
      const claims = (n: number) => `${n} guide claim${n === 1 ? '' : 's'}`
      const measured = own.length - unmeasured
      expected[`/frameworks/${slug}#claims-title`] =
        measured === 0
          ? `${claims(unmeasured)} not measurable yet`
          : `${supported} of ${claims(measured)} supported by the data${unmeasured > 0 ? `; ${unmeasured} not measurable yet` : ''}`
    }
    expect(Object.keys(expected)).toHaveLength(10)
    const { page, problems } = await newPage()
    await visit(page, '/')
    const counts = await page.locator('.framework-list .claims-count a').evaluateAll((links) =>
      Object.fromEntries(links.map((a) => [a.getAttribute('href'), a.textContent])),
    )
    expect(counts).toEqual(expected)
    // Each scorecard draws a line, or says why not (one stored day would draw an invisible dot).
    const sparks = await page.locator('.scorecard').evaluateAll((cards) =>
      cards.map((c) => ({
        points: c.querySelector('polyline')?.getAttribute('points')?.split(' ').length ?? 0,
        note: c.querySelector('.spark-pending')?.textContent ?? null,
      })),
    )
    expect(sparks).toHaveLength(10)
    for (const s of sparks) expect(s.points >= 2 || /^No sparkline yet: only one day \(\d{4}-\d{2}-\d{2}\) of .+ stored$/.test(s.note ?? ''), JSON.stringify(s)).toBe(true)
    expect(sparks.some((s) => s.note)).toBe(true)
    await page.locator('.claims-count a[href="/frameworks/express#claims-title"]').click()
    await page.waitForURL(`${server.url}/frameworks/express#claims-title`)
    await expect.poll(() => inViewport(page, '#claims-title')).toBe(true)
    noProblems(problems)
  })

  it('Spring Boot’s missing download counts explain themselves; ASP.NET Core’s two checks of one quote are told apart', async () => {
    const { page, problems } = await newPage()
    await visit(page, '/frameworks/spring-boot')
    await expect(page.locator('.figure-missing').first().textContent()).resolves.toMatch(/^Maven Central publishes no download counts/)
    await expect(page.locator('#chart-downloads + .empty-state').textContent()).resolves.toContain('Maven Central publishes no download counts')
    const leads = page.locator('#claim-spring-boot-leads')
    await expect(leads.locator('.badge').textContent()).resolves.toBe('not measurable yet')
    await expect(leads.textContent()).resolves.toContain('Maven Central publishes no download counts.')
    await shot(page, 'claims-spring-boot-desktop')

    // ASP.NET Core's "one of the fastest" is checked on each benchmark source: its two badges say which.
    const fastest = (await verdictsOf('aspnet-core')).filter((v) => v.quote === 'one of the fastest')
    expect(fastest).toHaveLength(2)
    await visit(page, '/frameworks/aspnet-core')
    const badges = await page.locator('.claim-badges a.verdict-badge').evaluateAll((links) => links.map((a) => [a.getAttribute('href'), a.textContent]))
    expect(Object.fromEntries(badges)).toEqual(
      Object.fromEntries(fastest.map((v) => [`#claim-${v.claim_id}`, `“one of the fastest” (${v.measurement!.source.startsWith('TechEmpower') ? 'TechEmpower' : 'the-benchmarker'}): ${v.status}`])),
    )
    await expect(page.locator('#claim-aspnet-core-fastest-techempower .claim-on').textContent()).resolves.toBe('(TechEmpower) ')
    noProblems(problems)
  })

  for (const { width, dark } of [
    { width: 1280, dark: false },
    { width: 1280, dark: true },
    { width: 375, dark: false },
    { width: 375, dark: true },
  ]) {
    const name = `${width === 375 ? 'phone' : 'desktop'}-${dark ? 'dark' : 'light'}`
    it(`${name}: badges fit, do not overlap, and keep their contrast`, async () => {
      const { page, problems } = await newPage({ width, dark })
      for (const pathname of ['/frameworks/express', '/frameworks/aspnet-core', '/']) {
        await visit(page, pathname)
        const layout = await page.evaluate(() => {
          const boxes = [...document.querySelectorAll('.verdict-badge, .claim-list .badge, mark.claim-quote, .claims-count a')].map((el) => {
            const r = el.getBoundingClientRect()
            return { text: el.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom }
          })
          return { boxes, scroll: document.scrollingElement!.scrollWidth, client: document.documentElement.clientWidth }
        })
        expect(layout.scroll, pathname).toBe(layout.client)
        for (const b of layout.boxes) {
          expect(b.left, `${pathname} ${b.text}`).toBeGreaterThanOrEqual(0)
          expect(b.right, `${pathname} ${b.text}`).toBeLessThanOrEqual(width)
        }
        // Badges side by side (one paragraph can hold two claims) never overlap.
        const badges = layout.boxes.filter((b) => b.text?.startsWith('“'))
        for (const [i, a] of badges.entries()) {
          for (const b of badges.slice(i + 1)) {
            const overlap = a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1
            expect(overlap, `${pathname}: ${a.text} overlaps ${b.text}`).toBe(false)
          }
        }
        // WCAG AA for small text: 4.5:1 between each badge's or mark's text and what is under it.
        for (const { text, ratio } of await contrasts(page)) expect(ratio, `${pathname} ${text}`).toBeGreaterThanOrEqual(4.5)
        // The part to look at: the guide and its claims, or the first cards of the overview.
        const slug = pathname === '/' ? 'overview' : pathname.split('/').pop()
        const end = pathname === '/' ? `.framework-list > li:nth-child(${width === 375 ? 2 : 3})` : 'section.claims'
        const box = (await page.locator(end).boundingBox())!
        await page.screenshot({
          path: path.join(SCREENSHOTS, `claims-${slug}-${name}.png`),
          fullPage: true,
          clip: { x: 0, y: 0, width, height: Math.ceil(box.y + box.height + 16) },
        })
      }
      noProblems(problems)
    })
  }
})

/** True when the element's top is inside the viewport (where a fragment link scrolls it). */
function inViewport(page: Page, selector: string) {
  return page.evaluate((s) => {
    const r = document.querySelector(s)?.getBoundingClientRect()
    return r !== undefined && r.top >= -1 && r.top < window.innerHeight
  }, selector)
}

/** The dataset labels of the drawn canvas in the chart block headed by `headingId`. */
function drawnDatasets(page: Page, headingId: string) {
  return page.evaluate((id) => {
    const canvas = document.getElementById(id)?.closest('.chart-block')?.querySelector('canvas')
    if (!canvas || canvas.width === 0) return []
    const data = JSON.parse(canvas.dataset.series ?? '{"datasets":[]}') as { datasets: { label: string }[] }
    return data.datasets.map((d) => d.label)
  }, headingId)
}

/** Contrast ratio of every badge's and marked quote's text against its own background over the page's. */
function contrasts(page: Page) {
  return page.evaluate(() => {
    const parse = (css: string): [number, number, number, number] => {
      const srgb = css.match(/color\(srgb ([\d.]+) ([\d.]+) ([\d.]+)(?: \/ ([\d.]+))?\)/)
      if (srgb) return [Number(srgb[1]) * 255, Number(srgb[2]) * 255, Number(srgb[3]) * 255, srgb[4] === undefined ? 1 : Number(srgb[4])]
      const [r, g, b, a] = (css.match(/[\d.]+/g) ?? ['0', '0', '0', '0']).map(Number)
      return [r!, g!, b!, a ?? 1]
    }
    // The first opaque background up the tree, with the translucent ones above it composited on it.
    const background = (el: Element | null): [number, number, number] => {
      const layers: [number, number, number, number][] = []
      for (let e = el; e; e = e.parentElement) {
        const c = parse(getComputedStyle(e).backgroundColor)
        if (c[3] > 0) layers.push(c)
        if (c[3] >= 1) break
      }
      let [r, g, b] = layers.length && layers.at(-1)![3] >= 1 ? layers.pop()!.slice(0, 3) : [255, 255, 255]
      for (const [lr, lg, lb, la] of layers.reverse()) [r, g, b] = [lr * la + r! * (1 - la), lg * la + g! * (1 - la), lb * la + b! * (1 - la)]
      return [r!, g!, b!]
    }
    const luminance = ([r, g, b]: number[]) => {
      const lin = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
      return 0.2126 * lin(r!) + 0.7152 * lin(g!) + 0.0722 * lin(b!)
    }
    return [...document.querySelectorAll('.verdict-badge, .claim-list .badge, mark.claim-quote')].map((el) => {
      const fg = luminance(parse(getComputedStyle(el).color).slice(0, 3))
      const bg = luminance(background(el))
      return { text: el.textContent, ratio: (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05) }
    })
  })
}
