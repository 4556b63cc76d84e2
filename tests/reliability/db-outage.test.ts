import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase, type DbHandle } from '../../src/db/database.js'
import { loadGuideSnapshot } from '../../src/jobs/guide-job.js'
import { startAppServer, type AppServer } from '../helpers/app-server.js'
import { useFakeUpstream } from '../helpers/fake-upstream.js'
import { serveNpm } from '../helpers/npm-upstream.js'
import { syncNpmFrom } from '../helpers/run-context.js'
import { TcpProxy } from '../helpers/tcp-proxy.js'
import { TEST_DATABASE_URL, useTestDatabase } from '../helpers/test-db.js'

// Issue 12, "Database outage": PostgreSQL goes away under a running app (a proxy in front of the
// real server drops every connection and refuses new ones, as a stopped server does) and comes
// back. Needs a server, so it runs where TEST_DATABASE_URL is set (`.ci/run`'s second pass).
const NOW = new Date('2026-11-25T12:00:00Z')
const t = useTestDatabase({ once: true })
const fake = useFakeUpstream()
const PAGES = ['/', '/frameworks/express', '/compare', '/status', '/api/frameworks/express/series', '/live/overview']

describe.skipIf(!TEST_DATABASE_URL)('the database stops and starts again under a running app', () => {
  let proxy: TcpProxy
  let handle: DbHandle
  let server: AppServer

  beforeAll(async () => {
    const target = new URL(t.url!)
    proxy = await new TcpProxy({ host: target.hostname, port: Number(target.port || 5432) }).start()
    target.port = String(proxy.port)
    handle = await openDatabase({ databaseUrl: target.href, dataDir: 'memory://' })
    await loadGuideSnapshot(handle.db, t.catalog)
    server = await startAppServer({ db: handle.db, dbKind: 'postgres', catalog: t.catalog })
  })
  afterAll(async () => {
    await server?.close()
    await handle?.close()
    await proxy?.stop()
  })

  const timed = async (path: string) => {
    const started = performance.now()
    const res = await fetch(`${server.url}${path}`, { signal: AbortSignal.timeout(10_000) })
    return { path, status: res.status, ms: performance.now() - started, body: await res.text(), retryAfter: res.headers.get('retry-after') }
  }

  it('answers 503 with the reason within 2 s, says why on /readyz, fails a sync cleanly, and recovers by itself', async () => {
    serveNpm(fake)
    expect((await syncNpmFrom(handle.db, t.catalog, fake.url, NOW)).map((r) => r.status)).toEqual(['succeeded', 'succeeded'])
    for (const path of PAGES) expect((await timed(path)).status, path).toBe(200)

    await proxy.cut()
    for (const path of PAGES) {
      const answer = await timed(path)
      expect(answer, path).toMatchObject({ status: 503, retryAfter: '10' })
      expect(answer.ms, path).toBeLessThan(2_000)
      expect(answer.body, path).toContain('The database cannot be reached: connection')
    }
    const ready = await timed('/readyz')
    expect(ready).toMatchObject({ status: 503 })
    expect(ready.body).toMatch(/^not ready: database unreachable: /)
    // A sync while it is down ends with an error, and the process keeps serving.
    const sync = await syncNpmFrom(handle.db, t.catalog, fake.url, NOW).then(
      () => 'finished',
      (error: unknown) => (error as Error).message,
    )
    expect(sync).not.toBe('finished')
    expect((await timed('/healthz')).status).toBe(200)

    await proxy.restore()
    const back = performance.now()
    let status = 0
    while (status !== 200 && performance.now() - back < 10_000) {
      status = (await timed('/')).status
      if (status !== 200) await sleep(100)
    }
    expect(status).toBe(200)
    console.info(`db outage: pages back ${Math.round(performance.now() - back)} ms after the server returned`)
    for (const path of [...PAGES, '/readyz']) expect((await timed(path)).status, path).toBe(200)
    expect((await syncNpmFrom(handle.db, t.catalog, fake.url, NOW)).map((r) => r.status)).toEqual(['succeeded', 'succeeded'])
  }, 60_000)
})
