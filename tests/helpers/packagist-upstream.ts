import { addDays } from '../../src/days.js'
import type { FakeResponse, FakeUpstream } from './fake-upstream.js'
import { fixture } from './npm-upstream.js'

/** p2 files by package name (the names the fake knows). */
export const P2_FILES: Record<string, string> = {
  'laravel/framework': 'packagist/p2-laravel-framework.json',
}

/** When the fake's packages were created on Packagist: the default `from` of their stats. */
export const CREATED: Record<string, string> = { 'laravel/framework': '2025-09-01' }

export const P2_LAST_MODIFIED = 'Mon, 24 Nov 2026 16:02:11 GMT'

/** A deterministic daily count (quieter at weekends), so tests can assert exact figures. */
export function packagistDownloadsOn(day: string): number {
  const date = new Date(`${day}T00:00:00Z`)
  const daysSince2026 = (date.getTime() - Date.parse('2026-01-01T00:00:00Z')) / 86_400_000
  const weekend = date.getUTCDay() === 0 || date.getUTCDay() === 6 ? 0.6 : 1
  return Math.round(300_000 * weekend * 1.0005 ** daysSince2026)
}

// PackageController::guessStatsAverage.
function defaultAverage(from: string, to: string): string {
  const monthsBefore = (months: number) => {
    const d = new Date(`${to}T00:00:00Z`)
    d.setUTCMonth(d.getUTCMonth() - months)
    return d.toISOString().slice(0, 10)
  }
  return from < monthsBefore(48) ? 'monthly' : from < monthsBefore(7) ? 'weekly' : 'daily'
}

/**
 * A stats/all.json body as PackageController::overallStatsAction writes it: `from` defaults to the
 * package's creation, `to` to two days before `today`, `average` by span. Each value is
 * `ceil(sum / count)` over its bucket (createDatePoints), a PHP float such as `1234.0`, and
 * JsonResponse escapes the slash in the package name.
 */
export function statsBody(name: string, query: URLSearchParams, today: string): string {
  const from = query.get('from') ?? CREATED[name]!
  const to = query.get('to') ?? addDays(today, -2)
  const average = query.get('average') ?? defaultAverage(from, to)
  const buckets = new Map<string, number[]>()
  for (let day = from, i = 0; day <= to; day = addDays(day, 1), i++) {
    const label =
      average === 'monthly'
        ? day.slice(0, 7)
        : average === 'weekly'
          ? addDays(from, i - (i % 7))
          : day
    buckets.set(label, [...(buckets.get(label) ?? []), packagistDownloadsOn(day)])
  }
  // No date points (from after to): a placeholder, today with a 0, and `values` a list.
  if (buckets.size === 0) return `{"labels":["${today}"],"values":[[0]],"average":"${average}"}`
  const means = [...buckets.values()].map(
    (v) => `${Math.ceil(v.reduce((a, b) => a + b, 0) / v.length)}.0`,
  )
  const key = JSON.stringify(name).replace('/', '\\/')
  return `{"labels":${JSON.stringify([...buckets.keys()])},"values":{${key}:[${means.join(',')}]},"average":"${average}"}`
}

export const STATS_PATH = /^\/packages\/([^/]+\/[^/?]+)\/stats\/all\.json(?:\?(.*))?$/
export const P2_PATH = /^\/p2\/([^/]+\/[^/]+?)\.json$/

/** packagist.org stats and the p2 files (one fake host), as the server sees them on `today`. */
export function servePackagist(fake: FakeUpstream, { today }: { today: string }): void {
  fake.on(STATS_PATH, (_req, m) => {
    const name = m[1]!
    if (!(name in CREATED))
      return { status: 404, headers: { 'content-type': 'text/html' }, body: 'Not Found' }
    const query = new URLSearchParams(m[2] ?? '')
    // getStatsInterval() throws BadRequestHttpException for any other average.
    if (!['daily', 'weekly', 'monthly', null].includes(query.get('average')))
      return { status: 400, body: 'Bad Request' }
    return { headers: { 'content-type': 'application/json' }, body: statsBody(name, query, today) }
  })
  fake.on(P2_PATH, (req, m) => p2Response(m[1]!, req.headers['if-modified-since']))
}

function p2Response(name: string, ifModifiedSince: string | undefined): FakeResponse {
  const file = P2_FILES[name]
  if (!file)
    return {
      status: 404,
      headers: { 'content-type': 'text/html' },
      body: '<html><body>404 Not Found</body></html>',
    }
  // "send If-Modified-Since headers ... according to our Last-Modified header" (the apidoc).
  const lastModified = { 'last-modified': P2_LAST_MODIFIED }
  if (ifModifiedSince === P2_LAST_MODIFIED) return { status: 304, headers: lastModified }
  return { headers: lastModified, body: fixture(file) }
}
