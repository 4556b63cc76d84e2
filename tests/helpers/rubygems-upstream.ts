import type { FakeResponse, FakeUpstream } from './fake-upstream.js'
import { fixture } from './npm-upstream.js'

export const GEM_PATH = /^\/api\/v1\/gems\/([^/]+)\.json$/
export const VERSIONS_PATH = /^\/api\/v1\/versions\/([^/]+)\.json$/

/** `downloads` in tests/fixtures/rubygems/gem-rails.json. */
export const RAILS_TOTAL = 454_392_739
export const VERSIONS_ETAG = '"rails-versions-v1"'

// Unknown gems get the server's plain-text 404, not JSON (rubygems.md, "Error shapes").
const notFound: FakeResponse = {
  status: 404,
  headers: { 'content-type': 'text/plain; charset=utf-8' },
  body: 'This rubygem could not be found.',
}

/** A healthy rubygems.org knowing only `rails`, whose running total is `total`. */
export function serveRubyGems(fake: FakeUpstream, total = RAILS_TOTAL): void {
  fake.on(GEM_PATH, (_req, m) => {
    if (m[1] !== 'rails') return notFound
    return { body: { ...(fixture('rubygems/gem-rails.json') as object), downloads: total } }
  })
  // The versions list answers conditional requests (`stale?`, rubygems.md).
  fake.on(VERSIONS_PATH, (req, m) => {
    if (m[1] !== 'rails') return notFound
    if (req.headers['if-none-match'] === VERSIONS_ETAG) {
      return { status: 304, headers: { etag: VERSIONS_ETAG } }
    }
    return {
      headers: { etag: VERSIONS_ETAG, 'last-modified': 'Wed, 13 Sep 2023 19:54:52 GMT' },
      body: fixture('rubygems/versions-rails.json'),
    }
  })
}
