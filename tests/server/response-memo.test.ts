import { gunzipSync, inflateSync } from 'node:zlib'
import { beforeEach, describe, expect, it } from 'vitest'
import { bumpDataVersion } from '../../src/db/writes.js'
import { loadGuideSnapshot } from '../../src/jobs/guide-job.js'
import { useFakeUpstream } from '../helpers/fake-upstream.js'
import { serveNpm } from '../helpers/npm-upstream.js'
import { syncNpmFrom } from '../helpers/run-context.js'
import { testApp } from '../helpers/app-server.js'
import { useTestDatabase } from '../helpers/test-db.js'

// The response memo (src/server/response-memo.ts): a cached page's second request is answered
// before the middleware runs, and must be the response the full chain would have given.
const t = useTestDatabase()
const fake = useFakeUpstream()
const NOW = new Date('2026-11-25T12:00:00Z')

function app() {
  return testApp(t, { publicUrl: 'https://pulse.test', livePollSeconds: 15 })
}

/** Headers as a sorted list, less the ones that differ per request. */
function stableHeaders(res: Response): [string, string][] {
  return [...res.headers].filter(([name]) => name !== 'x-request-id' && name !== 'date').sort()
}

describe('response memo', () => {
  beforeEach(async () => {
    serveNpm(fake)
    await loadGuideSnapshot(t.db, t.catalog)
    await syncNpmFrom(t.db, t.catalog, fake.url, NOW)
  })

  it('answers a repeated request with the same status, headers and bytes, and a fresh request id', async () => {
    const a = app()
    for (const path of ['/', '/frameworks/express?range=30d', '/live/overview', '/frameworks/express/badge.svg']) {
      const gzip = { headers: { 'accept-encoding': 'gzip' } }
      const first = await a.request(path, gzip)
      const second = await a.request(path, gzip)
      expect(second.status, path).toBe(200)
      expect(stableHeaders(second), path).toEqual(stableHeaders(first))
      expect(Buffer.from(await second.arrayBuffer()), path).toEqual(Buffer.from(await first.arrayBuffer()))
      expect(second.headers.get('x-request-id')).not.toBe(first.headers.get('x-request-id'))
    }
    // Answered from the memo indeed, the route counted as the page's.
    const metrics = await (await a.request('/metrics')).text()
    expect(metrics).toMatch(/framework_pulse_response_memo_hits_total\{route="\/frameworks\/:slug"\} [1-9]/)
    expect(metrics).toMatch(/framework_pulse_response_memo_hits_total\{route="\/live\/overview"\} [1-9]/)
    // The headers the middleware under the memo set are kept: security headers, a badge's CORP.
    const badge = await a.request('/frameworks/express/badge.svg')
    expect(badge.headers.get('cross-origin-resource-policy')).toBe('cross-origin')
    expect((await a.request('/')).headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains')
  })

  it('keeps each encoding apart', async () => {
    const a = app()
    const gzipped = await a.request('/', { headers: { 'accept-encoding': 'gzip' } })
    const plain = await a.request('/')
    expect(gzipped.headers.get('content-encoding')).toBe('gzip')
    expect(plain.headers.get('content-encoding')).toBeNull()
    expect(gunzipSync(Buffer.from(await gzipped.arrayBuffer())).toString()).toBe(await plain.text())
  })

  it("never hands one encoding's bytes to another: deflate (re-encoded below the memo), *, gzip;q=0", async () => {
    const plain = await (await app().request('/')).text()
    const decoded = async (res: Response) => {
      const body = Buffer.from(await res.arrayBuffer())
      const encoding = res.headers.get('content-encoding')
      return (encoding === 'gzip' ? gunzipSync(body) : encoding === 'deflate' ? inflateSync(body) : body).toString()
    }
    const a = app()
    // The first request asks for deflate: the compress middleware re-encodes the identity bytes.
    const deflated = await a.request('/', { headers: { 'accept-encoding': 'deflate' } })
    expect(deflated.headers.get('content-encoding')).toBe('deflate')
    expect(await decoded(deflated)).toBe(plain)
    // …and that response is not what a client without Accept-Encoding then gets.
    for (let i = 0; i < 2; i++) {
      const res = await a.request('/')
      expect(res.headers.get('content-encoding')).toBeNull()
      expect(await res.text()).toBe(plain)
    }
    for (const [accept, encoding] of [['gzip;q=0', null], ['*', 'gzip'], ['*', 'gzip'], ['deflate', null]] as const) {
      const res = await a.request('/', { headers: { 'accept-encoding': accept } })
      expect(res.headers.get('content-encoding'), accept).toBe(encoding)
      expect(await decoded(res), accept).toBe(plain)
    }
  })

  it("echoes a proxy's X-Request-Id on a memo hit, and replaces a malformed one", async () => {
    const a = app()
    await a.request('/')
    expect((await a.request('/', { headers: { 'x-request-id': 'edge-42' } })).headers.get('x-request-id')).toBe('edge-42')
    expect((await a.request('/', { headers: { 'x-request-id': 'bad id<>' } })).headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('answers If-None-Match with a 304 that keeps the caching and live headers, not the representation ones', async () => {
    const a = app()
    const first = await a.request('/live/overview')
    const etag = first.headers.get('etag')!
    await a.request('/live/overview')
    const unchanged = await a.request('/live/overview', { headers: { 'if-none-match': etag } })
    expect(unchanged.status).toBe(304)
    expect(await unchanged.text()).toBe('')
    expect(unchanged.headers.get('etag')).toBe(etag)
    expect(unchanged.headers.get('cache-control')).toBe('no-cache')
    expect(unchanged.headers.get('x-live-poll-seconds')).toBe('15')
    expect(unchanged.headers.get('content-type')).toBeNull()
    expect(unchanged.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
    // A 304 from the route itself (no memo yet in a new app) carries the same Vary.
    const fresh = await app().request('/live/overview', { headers: { 'if-none-match': etag } })
    expect(fresh.status).toBe(304)
    expect(fresh.headers.get('vary')).toBe('Accept-Encoding')
    expect(unchanged.headers.get('vary')).toBe('Accept-Encoding')
  })

  it('is valid for one data version: new data is a new response', async () => {
    const a = app()
    const before = await a.request('/')
    await a.request('/')
    await bumpDataVersion(t.db)
    const after = await a.request('/')
    expect(after.headers.get('etag')).not.toBe(before.headers.get('etag'))
  })

  it('never keeps a response that varies on more than the encoding', async () => {
    const a = app()
    const csv = await a.request('/api/frameworks/express/series', { headers: { accept: 'text/csv' } })
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/)
    const json = await a.request('/api/frameworks/express/series', { headers: { accept: 'application/json' } })
    expect(json.headers.get('content-type')).toMatch(/^application\/json/)
  })
})
