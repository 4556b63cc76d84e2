import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { RateLimitedError, SourceError } from '../../src/jobs/errors.js'
import { HttpClient } from '../../src/jobs/http.js'
import { FakeUpstream, useFakeUpstream } from '../helpers/fake-upstream.js'
import { unusedPort } from '../helpers/ports.js'

const fake = useFakeUpstream()
const schema = z.object({ ok: z.boolean() })
const client = (options: Partial<ConstructorParameters<typeof HttpClient>[1]> = {}) =>
  new HttpClient('test', { timeoutMs: 1000, retries: 1, backoffMs: 5, maxBodyBytes: 1024, userAgent: 'FrameworkPulse/test', hostConcurrency: 2, ...options })
const get = (c = client()) => c.getJson({ url: `${fake.url}/thing`, schema, framework: 'express' })

describe('HttpClient', () => {
  it('returns the validated body and the validators', async () => {
    fake.on(/^\/thing$/, { body: { ok: true, extra: 1 }, headers: { etag: '"a"', 'last-modified': 'Tue, 24 Nov 2026 10:00:00 GMT' } })
    const result = await get()
    expect(result).toMatchObject({ notModified: false, body: { ok: true }, validators: { etag: '"a"', lastModified: 'Tue, 24 Nov 2026 10:00:00 GMT' } })
    expect(!result.notModified && result.headers.get('etag')).toBe('"a"')
  })

  it('sends If-None-Match and If-Modified-Since, and a 304 is "not modified"', async () => {
    fake.on(/^\/thing$/, { status: 304 })
    const result = await client().getJson({ url: `${fake.url}/thing`, schema, framework: null, validators: { etag: '"a"', lastModified: 'Tue, 24 Nov 2026 10:00:00 GMT' } })
    expect(result).toEqual({ notModified: true })
    expect(fake.requests[0]!.headers).toMatchObject({ 'if-none-match': '"a"', 'if-modified-since': 'Tue, 24 Nov 2026 10:00:00 GMT', 'user-agent': 'FrameworkPulse/test' })
  })

  it('follows a redirect, but a loop only five hops: a clear error, not twenty requests a try', async () => {
    fake.on(/^\/old$/, { status: 301, headers: { location: '/thing' } })
    fake.on(/^\/thing$/, { body: { ok: true } })
    expect(await client().getJson({ url: `${fake.url}/old`, schema, framework: 'express' })).toMatchObject({ body: { ok: true } })
    fake.reset()
    fake.on(/^\/thing$/, { status: 302, headers: { location: '/thing' } })
    await expect(client({ retries: 0 }).getJson({ url: `${fake.url}/thing`, schema, framework: 'express' })).rejects.toThrow(
      `test / express: request to ${fake.url}/thing failed: more than 5 redirects, the last to ${fake.url}/thing`,
    )
    expect(fake.requests).toHaveLength(6)
  })

  it('sends credentials on a redirect within the host, never to another host', async () => {
    const other = await new FakeUpstream().start()
    try {
      other.on(/^\/moved$/, { body: { ok: true } })
      fake.on(/^\/a$/, { status: 301, headers: { location: '/b' } })
      fake.on(/^\/b$/, { status: 302, headers: { location: `${other.url}/moved` } })
      const headers = { authorization: 'Bearer secret' }
      expect(await client().getJson({ url: `${fake.url}/a`, schema, framework: null, headers })).toMatchObject({ body: { ok: true } })
      expect(fake.requests.map((r) => r.headers.authorization)).toEqual(['Bearer secret', 'Bearer secret'])
      expect(other.requests[0]!.headers.authorization).toBeUndefined()
    } finally {
      await other.stop()
    }
  })

  it('waits out a short Retry-After once, then succeeds', async () => {
    fake.on(/^\/thing$/, { status: 429, headers: { 'retry-after': '0' } }, { body: { ok: true } })
    expect(await get()).toMatchObject({ notModified: false, body: { ok: true } })
    expect(fake.requests).toHaveLength(2)
  })

  it('a GitHub-style 403 with x-ratelimit-remaining: 0 is a rate limit until x-ratelimit-reset', async () => {
    const reset = Math.floor(Date.now() / 1000) + 1800
    fake.on(/^\/thing$/, { status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) }, body: { message: 'API rate limit exceeded' } })
    const error = await get().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RateLimitedError)
    expect((error as RateLimitedError).until.getTime()).toBeCloseTo(reset * 1000, -4)
    expect(fake.requests).toHaveLength(1)
  })

  it("GitHub's secondary limit as a bare 403 whose message says so: a wait of a minute, not a failure to retry", async () => {
    const body = { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' }
    fake.on(/^\/thing$/, { status: 403, body })
    const error = (await get().catch((e: unknown) => e)) as RateLimitedError
    expect(error).toBeInstanceOf(RateLimitedError)
    expect(error.until.getTime() - Date.now()).toBeGreaterThan(55_000)
    expect(fake.requests).toHaveLength(1)
    // Any other 403 is an error of its own.
    fake.reset()
    fake.on(/^\/thing$/, { status: 403, body: { message: 'Resource not accessible by integration' } })
    expect(await get().catch((e: unknown) => e)).not.toBeInstanceOf(RateLimitedError)
  })

  it('a Retry-After given as an HTTP date is honoured', async () => {
    const until = new Date(Date.now() + 3_600_000)
    fake.on(/^\/thing$/, { status: 429, headers: { 'retry-after': until.toUTCString() } })
    const error = (await get().catch((e: unknown) => e)) as RateLimitedError
    expect(Math.abs(error.until.getTime() - until.getTime())).toBeLessThan(2000)
  })

  it('a plain 403 is an error, not a rate limit, and is not retried', async () => {
    fake.on(/^\/thing$/, { status: 403, body: 'Forbidden' })
    const error = await get().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SourceError)
    expect(error).not.toBeInstanceOf(RateLimitedError)
    expect((error as Error).message).toBe(`test / express: HTTP 403 Forbidden from ${fake.url}/thing`)
    expect(fake.requests).toHaveLength(1)
  })

  it('stops reading a streamed body once it passes the size limit', async () => {
    fake.on(/^\/thing$/, { headers: { 'transfer-encoding': 'chunked' }, body: JSON.stringify({ ok: true, pad: 'x'.repeat(2000) }) })
    await expect(get()).rejects.toThrow(`test / express: response from ${fake.url}/thing exceeds the 1024-byte limit`)
  })

  it('a refused connection is retried, then reported', async () => {
    const port = await unusedPort()
    const url = `http://127.0.0.1:${port}/thing`
    await expect(client({ retries: 2 }).getJson({ url, schema, framework: 'express' })).rejects.toThrow(
      `test / express: request to ${url} failed: ECONNREFUSED`,
    )
  })

  it('a declared Content-Length over the limit is refused before reading', async () => {
    fake.on(/^\/thing$/, { headers: { 'content-length': '5000' }, body: 'x'.repeat(5000) })
    await expect(get()).rejects.toThrow(`test / express: response from ${fake.url}/thing is 5000 bytes, over the 1024-byte limit`)
  })
})

