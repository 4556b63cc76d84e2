import { setTimeout as sleep } from 'node:timers/promises'
import { gunzipSync } from 'node:zlib'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { bumpDataVersion } from '../../src/db/writes.js'
import { RenderCache } from '../../src/server/render-cache.js'
import { useTestDatabase } from '../helpers/test-db.js'

const t = useTestDatabase()

/** A cache over the test database, and a renderer that counts its calls. */
function setup(options = { maxEntries: 10, versionTtlMs: 0 }) {
  const cache = new RenderCache(t.db, options)
  let renders = 0
  const render = (text: string) => async () => `${text} #${++renders}`
  return { cache, render, renders: () => renders }
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes)

describe('RenderCache', () => {
  afterEach(() => vi.useRealTimers())

  it('renders once per key and data version; a bump renders afresh with a new ETag', async () => {
    const { cache, render, renders } = setup()
    const first = await cache.get('/', render('home'))
    expect(await cache.get('/', render('home'))).toBe(first)
    expect(renders()).toBe(1)
    await bumpDataVersion(t.db)
    const second = await cache.get('/', render('home'))
    expect(text(second.body)).toBe('home #2')
    expect(second.etag).not.toBe(first.etag)
  })

  it('renders a page once however many requests miss it at the same time', async () => {
    const { cache, render, renders } = setup()
    // A render that takes a while, as a page's queries do: every request arrives during it.
    const slow = (text: string) => async () => {
      await sleep(30)
      return render(text)()
    }
    const answers = await Promise.all(Array.from({ length: 50 }, () => cache.get('/', slow('home'))))
    expect(renders()).toBe(1)
    expect(new Set(answers).size).toBe(1)
    // Another key is its own render; after a bump the page renders once more, not 50 times.
    await cache.get('/other', render('other'))
    await bumpDataVersion(t.db)
    await Promise.all(Array.from({ length: 50 }, () => cache.get('/', slow('home'))))
    expect(renders()).toBe(3)
  })

  it('trusts its last read of the version for versionTtlMs, then reads it again', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date('2026-11-25T12:00:00Z'))
    const { cache, render } = setup({ maxEntries: 10, versionTtlMs: 1000 })
    const first = await cache.get('/', render('home'))
    await bumpDataVersion(t.db)
    expect(await cache.get('/', render('home'))).toBe(first)
    vi.setSystemTime(new Date('2026-11-25T12:00:01Z'))
    expect(text((await cache.get('/', render('home'))).body)).toBe('home #2')
  })

  it('renders afresh on a new UTC day, when "n days ago" changes without new data', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date('2026-11-25T23:59:59Z'))
    const { cache, render } = setup()
    const before = await cache.get('/', render('home'))
    vi.setSystemTime(new Date('2026-11-26T00:00:00Z'))
    const after = await cache.get('/', render('home'))
    expect(text(after.body)).toBe('home #2')
    expect(after.etag).not.toBe(before.etag)
  })

  it('gives each key its own ETag and gzips the same bytes', async () => {
    const { cache, render } = setup()
    const home = await cache.get('/', render('home'))
    const page = await cache.get('/frameworks/express', render('express'))
    expect(page.etag).not.toBe(home.etag)
    expect(text(gunzipSync(page.gzip()))).toBe('express #2')
    expect(page.gzip()).toBe(page.gzip())
  })

  it('keeps at most maxEntries, dropping the least recently used', async () => {
    const { cache, render } = setup({ maxEntries: 2, versionTtlMs: 60_000 })
    await cache.get('a', render('a'))
    await cache.get('b', render('b'))
    await cache.get('a', render('a'))
    await cache.get('c', render('c'))
    expect(text((await cache.get('a', render('a'))).body)).toBe('a #1')
    expect(text((await cache.get('b', render('b'))).body)).toBe('b #4')
  })
})
