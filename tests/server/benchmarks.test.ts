import { describe, expect, it } from 'vitest'
import { useFakeUpstream } from '../helpers/fake-upstream.js'
import {
  BENCHMARKER,
  fixtureText,
  roundUrl,
  runBenchmarkJob,
  serveBenchmarks,
} from '../helpers/benchmark-upstream.js'
import { testApp } from '../helpers/app-server.js'
import { useTestDatabase } from '../helpers/test-db.js'

const t = useTestDatabase()
const fake = useFakeUpstream()

function app() {
  return testApp(t)
}

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
const page = async (path: string) => {
  const res = await app().request(path)
  return { status: res.status, html: await res.text() }
}

const IMPORTED_AT = new Date('2026-11-25T12:00:00Z')

async function importBoth() {
  serveBenchmarks(fake)
  await runBenchmarkJob(t, fake, 'techempower', { TFB_RESULTS_URLS: roundUrl(fake) }, IMPORTED_AT)
  await runBenchmarkJob(t, fake, 'the-benchmarker', {}, IMPORTED_AT)
}

describe('/benchmarks', () => {
  it('says why it is empty: never run, then the failed import with its error', async () => {
    const before = text((await page('/benchmarks')).html)
    expect(before).toContain(
      'No TechEmpower Framework Benchmarks run imported yet. The import has not run yet',
    )
    expect(before).toContain('No the-benchmarker/web-frameworks run imported yet.')
    fake.on(/.*/, { status: 503, body: 'down' })
    await runBenchmarkJob(t, fake, 'techempower', { TFB_RESULTS_URLS: roundUrl(fake) })
    const after = text((await page('/benchmarks')).html)
    expect(after).toMatch(
      /The last import failed: techempower: HTTP 503 Service Unavailable from http:\/\/127\.0\.0\.1:\d+\/benchmarks\/results\/round19\/ph\.json/,
    )
  })

  it('shows each test type, fortunes first, with requests/s, rank, variant, run, date and method', async () => {
    await importBoth()
    const { status, html } = await page('/benchmarks')
    expect(status).toBe(200)
    const body = text(html)
    const order = [
      'Fortunes',
      'Single query',
      'Multiple queries',
      'Cached queries',
      'Data updates',
      'JSON serialization',
      'Plaintext (pipelined)',
    ]
    const positions = order.map((title) => html.indexOf(`>${title}</h3>`))
    expect(positions.every((p) => p > 0)).toBe(true)
    expect([...positions].sort((a, b) => a - b)).toEqual(positions)
    expect(body).toContain(
      'run Continuous Benchmarking Run 2019-12-11 21:15:18 , completed 2019-12-16 on Citrine (commit 57c558b30dd5 )',
    )
    expect(body).toContain("divided by the run's configured duration of 15 s")
    // Django's fortunes: 201148 successful requests / 15 s, 325th of 386 implementations.
    expect(body).toContain(
      'Django django (full ORM, mysql, meinheld, fullstack) 13,410 #325 of 386',
    )
    expect(body).toContain(
      'ASP.NET Core aspcore-mvc-ef-pg (full ORM, postgres, kestrel, fullstack) 91,101 #138 of 386',
    )
    expect(body).toContain('never compare these figures with the other tests')
    expect(body).toContain('4096 connections, pipelined')
    expect(body).toContain('No tracked framework has a Cached queries result in this run.')
    const fortunes = JSON.parse(decode(html.match(/data-series="([^"]+)" data-chart="bar"/)![1]!))
    expect(fortunes.labels[0]).toBe('ASP.NET Core')
    expect(fortunes.datasets[0].data[0]).toBe(91101)
    expect(fortunes.labels).toHaveLength(10)
    // the-benchmarker: its own run, date and figures, never merged with TFB's.
    expect(body).toContain(
      'run 2026-02-11 23:25:12 UTC , completed 2026-02-11 on M1 Eight-Core Processor, 16 CPUs, 7.4 GiB RAM',
    )
    expect(body).toContain('Django python/django 6 2,545 (#281 of 333) · 35.86 ms')
    expect(html).toContain('<a href="/benchmarks">Benchmarks</a>')
  })

  it('toggles between one variant per framework and all of them; a bad value is a 400', async () => {
    await importBoth()
    const one = text((await page('/benchmarks')).html)
    expect(one).not.toContain('aspcore-mvc-dap-pg')
    expect(one).toContain('Show all variants')
    const all = text((await page('/benchmarks?variants=all')).html)
    expect(all).toContain(
      'ASP.NET Core aspcore-mvc-dap-pg (micro ORM, postgres, kestrel, fullstack)',
    )
    expect(all).toContain('ASP.NET Core csharp/aspnet-mvc 10')
    expect(all).toContain('Show one variant per framework')
    const bad = await page('/benchmarks?variants=some')
    expect(bad.status).toBe(400)
    expect(text(bad.html)).toContain('variants: must be one of one, all')
  })
})

describe('framework page benchmarks', () => {
  it('says nothing is imported yet, then shows the figures of each source', async () => {
    expect(text((await page('/frameworks/django')).html)).toContain(
      'Benchmarks No benchmark run imported yet.',
    )
    await importBoth()
    const body = text((await page('/frameworks/django')).html)
    expect(body).toContain(
      'Source: TechEmpower Framework Benchmarks, run Continuous Benchmarking Run 2019-12-11 21:15:18 (2019-12-16), imported 2026-11-25 12:00 UTC ; method',
    )
    expect(body).toContain(
      'Fortunes django (full ORM, mysql, meinheld, fullstack) 13,410 #325 of 386 8.40 ms 128 connections only one run imported',
    )
    expect(body).toContain(
      'Multiple queries django (full ORM, mysql, meinheld, fullstack) 1,797 #330 of 373 279 ms 20 queries per request, 512 connections',
    )
    expect(body).toContain('Plaintext (pipelined) django')
    expect(body).toContain(
      'Source: the-benchmarker/web-frameworks, run 2026-02-11 23:25:12 UTC, imported 2026-11-25 12:00 UTC ; method',
    )
    expect(body).toContain('64 python/django 6 2,545 #281 of 333 35.86 ms only one run imported')
  })

  it('shows the change between imported runs', async () => {
    await importBoth()
    const next = fixtureText(BENCHMARKER)
      .replace('"2026-02-11 23:25:12 UTC"', '"2026-03-01 10:00:00 UTC"')
      .replace('"value":2544.547359400237', '"value":2799.0')
    fake.on(/^\/the-benchmarker\//, { body: next, headers: { etag: '"bm-2"' } })
    expect(await runBenchmarkJob(t, fake, 'the-benchmarker', {}, new Date('2026-11-26T08:00:00Z'))).toMatchObject({
      status: 'succeeded',
      rowsWritten: 999,
    })
    const body = text((await page('/frameworks/django')).html)
    // 2799 / 2544.547 - 1 = +10.0 %; django moves up past the frameworks between the two figures.
    expect(body).toContain('run 2026-03-01 10:00:00 UTC, imported 2026-11-26 08:00 UTC ; method')
    expect(body).toMatch(
      /64 python\/django 6 2,799 #\d+ of 333 [\d.]+ ms \+10% vs 2026-02-11 23:25:12 UTC; rank #281 → #\d+/,
    )
    expect(body).toContain('256 python/django 6 3,117 #275 of 333')
  })
})

function decode(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
}
