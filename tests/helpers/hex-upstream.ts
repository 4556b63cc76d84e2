import type { FakeUpstream } from './fake-upstream.js'
import { fixture } from './npm-upstream.js'

export const PACKAGE_PATH = /^\/api\/packages\/([^/?]+)$/

/** `downloads` in tests/fixtures/hex/package-phoenix.json. */
export const PHOENIX_DOWNLOADS = { all: 131_704_682, day: 36_412, recent: 3_291_870, week: 251_733 }
export type HexDownloads = typeof PHOENIX_DOWNLOADS

/**
 * A healthy hex.pm knowing only `phoenix`. Every API response carries the x-ratelimit-* headers
 * (hex.md: "set on every throttled-path response") and an ETag the adapter must not send back.
 */
export function serveHex(fake: FakeUpstream, downloads: Partial<HexDownloads> = {}): void {
  fake.on(PACKAGE_PATH, (req, m) => {
    const headers = {
      'x-ratelimit-limit': '100',
      'x-ratelimit-remaining': '99',
      'x-ratelimit-reset': String(Math.ceil(Date.now() / 60_000) * 60),
      etag: '"phoenix-row-v1"',
      'cache-control': 'public, max-age=60',
    }
    if (m[1] !== 'phoenix') {
      return { status: 404, headers, body: { status: 404, message: 'not found' } }
    }
    // What hexpm does: the ETag covers the package row, not its downloads (when_stale).
    if (req.headers['if-none-match'] === headers.etag) return { status: 304, headers }
    const body = fixture('hex/package-phoenix.json') as { downloads: object }
    return { headers, body: { ...body, downloads: { ...body.downloads, ...downloads } } }
  })
}
