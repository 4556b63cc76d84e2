import type { FakeUpstream } from './fake-upstream.js'
import { fixture } from './npm-upstream.js'

export const PACKAGE_PATH = /^\/api\/packages\/([^/?]+)$/
export const RELEASE_PATH = /^\/api\/packages\/([^/?]+)\/releases\/([^/?]+)(?:\?(.*))?$/

/** `downloads` in tests/fixtures/hex/package-phoenix.json. */
export const PHOENIX_DOWNLOADS = { all: 131_704_682, day: 36_412, recent: 3_291_870, week: 251_733 }
export type HexDownloads = typeof PHOENIX_DOWNLOADS

/** Per release, its `[day, downloads]` pairs as hexpm keeps them: days with downloads only, oldest first. */
export type HexSeries = Record<string, Array<[string, number]>>

export interface HexFake {
  downloads?: Partial<HexDownloads>
  /** Release series by version; a release left out has none (`[]`). */
  series?: HexSeries
  /** Releases to list instead of the fixture's (version and inserted_at). */
  releases?: Array<{ version: string; inserted_at: string }>
}

export const rateLimitHeaders = () => ({
  'x-ratelimit-limit': '100',
  'x-ratelimit-remaining': '99',
  'x-ratelimit-reset': String(Math.ceil(Date.now() / 60_000) * 60),
})

/**
 * A healthy hex.pm knowing only `phoenix`. Every API response carries the x-ratelimit-* headers
 * (hex.md: "set on every throttled-path response") and an ETag the adapter must not send back.
 */
export function serveHex(fake: FakeUpstream, options: HexFake = {}): void {
  const { downloads = {}, series = {}, releases } = options
  const body = fixture('hex/package-phoenix.json') as { downloads: object; releases: Array<Record<string, unknown>> }
  const listed = releases
    ? releases.map((r) => ({ has_docs: true, url: `https://hex.pm/api/packages/phoenix/releases/${r.version}`, ...r }))
    : body.releases
  fake.on(PACKAGE_PATH, (req, m) => {
    const headers = { ...rateLimitHeaders(), etag: '"phoenix-row-v1"', 'cache-control': 'public, max-age=60' }
    if (m[1] !== 'phoenix') {
      return { status: 404, headers, body: { status: 404, message: 'not found' } }
    }
    // What hexpm does: the ETag covers the package row, not its downloads (when_stale).
    if (req.headers['if-none-match'] === headers.etag) return { status: 304, headers }
    return { headers, body: { ...body, releases: listed, downloads: { ...body.downloads, ...downloads } } }
  })
  fake.on(RELEASE_PATH, (_req, m) => {
    const headers = rateLimitHeaders()
    const version = decodeURIComponent(m[2]!)
    const release = listed.find((r) => r.version === version)
    if (m[1] !== 'phoenix' || !release) return { status: 404, headers, body: { status: 404, message: 'not found' } }
    return { headers, body: releaseBody(version, String(release.inserted_at), series[version] ?? [], new URLSearchParams(m[3] ?? '')) }
  })
}

/**
 * GET /api/packages/phoenix/releases/<version> as release_view.ex renders it: with `downloads=day`
 * the pairs (from `downloads_after` on, inclusive as hexpm's `since_date`), otherwise their sum.
 */
function releaseBody(version: string, insertedAt: string, pairs: Array<[string, number]>, query: URLSearchParams) {
  const after = query.get('downloads_after')
  const kept = pairs.filter(([day]) => after === null || day >= after)
  return {
    version,
    checksum: 'c0ffee'.padEnd(64, '0'),
    has_docs: true,
    inserted_at: insertedAt,
    updated_at: insertedAt,
    retirement: null,
    package_url: 'https://hex.pm/api/packages/phoenix',
    url: `https://hex.pm/api/packages/phoenix/releases/${version}`,
    html_url: `https://hex.pm/packages/phoenix/${version}`,
    docs_html_url: `https://hexdocs.pm/phoenix/${version}`,
    requirements: {},
    meta: { app: 'phoenix', build_tools: ['mix'], elixir: '~> 1.15' },
    downloads: query.get('downloads') === 'day' ? kept : kept.reduce((sum, [, n]) => sum + n, 0),
    publisher: null,
  }
}
