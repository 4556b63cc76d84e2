import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../src/db/database.js'
import { useFakeUpstream } from '../helpers/fake-upstream.js'
import { serveNpm } from '../helpers/npm-upstream.js'
import { unusedPort } from '../helpers/ports.js'
import { listeningPort, offline, useChildProcesses, waitFor } from '../helpers/child-processes.js'
import { TEST_DATABASE_URL, useTestDatabase } from '../helpers/test-db.js'

// The real entry points, as a user runs them: `npm start` (src/main.ts) and `npm run sync`.
const t = useTestDatabase()
const fake = useFakeUpstream()
const { storage, launch } = useChildProcesses(t)

async function counts(env: Record<string, string>) {
  const handle = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR ?? 'memory://' })
  try {
    const n = async (table: 'observations' | 'releases' | 'guide_sections') =>
      Number((await handle.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n)
    return { observations: await n('observations'), releases: await n('releases'), guide: await n('guide_sections') }
  } finally {
    await handle.close()
  }
}

describe('npm start with no network and no database', () => {
  it('serves the ten frameworks within 60 s, shows the failed fetches, and keeps data across a restart', async () => {
    const unreachable = `http://127.0.0.1:${await unusedPort()}`
    const env: Record<string, string> = { ...storage(), ...offline(unreachable), PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', GUIDE_URL: `${unreachable}/post`, NPM_API_URL: unreachable, NPM_REGISTRY_URL: unreachable, HTTP_RETRIES: '1', HTTP_BACKOFF_MS: '10', LIVE_POLL_SECONDS: '17' }
    const started = Date.now()
    const app = launch('src/main.ts', [], env)
    const port = await listeningPort(app)
    const home = await waitFor(`http://127.0.0.1:${port}/`, 60_000)
    expect(Date.now() - started).toBeLessThan(60_000)
    const html = await home.text()
    expect(html.match(/<li class="card">/g)).toHaveLength(10)
    expect(html).toContain('FastAPI has seen explosive growth')
    // The configured poll interval reaches the pages' live regions.
    expect((await fetch(`http://127.0.0.1:${port}/live/overview`)).headers.get('x-live-poll-seconds')).toBe('17')

    // The start-up sync fails (nothing listens upstream); the status page says so, nothing crashes.
    let status = ''
    for (let i = 0; i < 300 && !/npm \/ nestjs: request to/.test(status); i++) {
      await sleep(200)
      status = await (await fetch(`http://127.0.0.1:${port}/status`)).text()
    }
    expect(status).toContain(`npm / express: request to ${unreachable}/downloads/range/`)
    expect(status).toContain('failed: ECONNREFUSED')
    expect(status).toContain(`guide: request to ${unreachable}/post failed: ECONNREFUSED`)
    expect(app.child.exitCode).toBeNull()

    if (!TEST_DATABASE_URL) {
      // The embedded database is one process's: a second one is refused with the reason.
      const second = launch('src/jobs/sync.ts', [], env)
      expect(await second.exited).toBe(1)
      expect(second.output()).toContain(`framework-pulse: DATA_DIR ${env.DATA_DIR} is in use by another Framework Pulse process`)
    }

    app.child.kill('SIGTERM')
    expect(await app.exited, app.output()).toBe(0)
    expect(await counts(env)).toMatchObject({ guide: 10 })

    const again = launch('src/main.ts', [], { ...env, SYNC_ON_START: 'false' })
    const page = await (await waitFor(`http://127.0.0.1:${await listeningPort(again)}/status`, 60_000)).text()
    // The runs of the first start are still there after the restart.
    expect(page).toContain('failed: ECONNREFUSED')
    again.child.kill('SIGTERM')
    expect(await again.exited, again.output()).toBe(0)
  }, 120_000)
})

describe('npm run sync', () => {
  it('fills the database from the fake upstream; a second sync changes no row counts', async () => {
    serveNpm(fake)
    fake.on(/^\/wp-json\/wp\/v2\/posts\/25042$/, { status: 304 })
    const env = { ...storage(), ...offline(fake.url), NPM_API_URL: fake.url, NPM_REGISTRY_URL: fake.url, GUIDE_URL: `${fake.url}/wp-json/wp/v2/posts/25042` }
    const first = launch('src/jobs/sync.ts', ['--source', 'guide', '--source', 'npm'], env)
    expect(await first.exited, first.output()).toBe(0)
    expect(first.output()).toContain('sync finished: all succeeded')
    const after = await counts(env)
    expect(after.observations).toBe(2 * 548)
    expect(after.releases).toBe(17)

    const second = launch('src/jobs/sync.ts', ['--source', 'guide', '--source', 'npm'], env)
    expect(await second.exited, second.output()).toBe(0)
    expect(await counts(env)).toEqual(after)
    expect(second.output()).toMatch(/│\s+\d+\s+│\s+'npm'\s+│\s+'express'\s+│\s+'releases'\s+│\s+'succeeded'\s+│\s+0\s+│\s+1\s+│/)
  }, 120_000)

  it('exits 1 and names the failure when a source fails', async () => {
    serveNpm(fake)
    fake.on(/^\/downloads\/range\/.*\/express$/, { status: 404, body: { error: 'package express not found' } })
    const env = { ...storage(), ...offline(fake.url), NPM_API_URL: fake.url, NPM_REGISTRY_URL: fake.url, GUIDE_URL: `${fake.url}/wp-json/wp/v2/posts/25042` }
    const sync = launch('src/jobs/sync.ts', ['--source', 'guide', '--source', 'npm'], env)
    expect(await sync.exited).toBe(1)
    expect(sync.output()).toContain('sync finished: 2 failed')
    expect(sync.output()).toContain('HTTP 404 Not Found from')
  }, 120_000)

  it('--source and --framework narrow the run; an unknown source is a usage error', async () => {
    serveNpm(fake)
    const env = { ...storage(), ...offline(fake.url), NPM_API_URL: fake.url, NPM_REGISTRY_URL: fake.url }
    const one = launch('src/jobs/sync.ts', ['--source', 'npm', '--framework', 'nestjs'], env)
    expect(await one.exited, one.output()).toBe(0)
    expect(one.output()).toContain('npm 1/1 nestjs: succeeded')
    expect(fake.requests.every((r) => r.path.includes('nestjs'))).toBe(true)

    const stranger = launch('src/jobs/sync.ts', ['--framework', 'gin'], env)
    expect(await stranger.exited).toBe(2)
    expect(stranger.output()).toContain('framework-pulse sync: unknown framework gin; frameworks: django, express,')

    const bad = launch('src/jobs/sync.ts', ['--source', 'cargo'], env)
    expect(await bad.exited).toBe(2)
    expect(bad.output()).toMatch(/framework-pulse sync: unknown source cargo; sources: guide, npm, pypi, /)
  }, 60_000)
})

describe('npm run db:migrate', () => {
  it('applies the migrations once, then reports the schema current', async () => {
    const env = storage()
    if (TEST_DATABASE_URL) {
      // This file's database was migrated by the test set-up: start it empty.
      const { sql } = await import('kysely')
      await sql`drop schema public cascade`.execute(t.db)
      await sql`create schema public`.execute(t.db)
    }
    const first = launch('src/db/migrate-cli.ts', [], env)
    expect(await first.exited, first.output()).toBe(0)
    expect(first.output()).toMatch(/0001_init: Success\n0002_source_state: Success\n(.*\n)*applied \d+ migration\(s\)/)
    const second = launch('src/db/migrate-cli.ts', [], env)
    expect(await second.exited).toBe(0)
    expect(second.output()).toContain('schema already at the latest migration')
  }, 60_000)
})

describe('SIGTERM', () => {
  it('during a sync and during requests: requests complete, the running step finishes, nothing is left running', async () => {
    // Slow enough that SIGTERM arrives in the middle of express's downloads.
    serveNpm(fake, { delayMs: 700 })
    fake.on(/^\/wp-json/, { status: 304 })
    const env: Record<string, string> = {
      ...storage(),
      ...offline(fake.url),
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      NPM_API_URL: fake.url,
      NPM_REGISTRY_URL: fake.url,
      GUIDE_URL: `${fake.url}/wp-json/wp/v2/posts/25042`,
    }
    const app = launch('src/main.ts', [], env)
    const port = await listeningPort(app)
    await waitFor(`http://127.0.0.1:${port}/healthz`, 60_000)
    for (let i = 0; i < 100 && fake.requestsTo(/downloads\/range/).length === 0; i++) await sleep(100)

    const pages = Array.from({ length: 20 }, (_, i) => `http://127.0.0.1:${port}/frameworks/${['express', 'nestjs', 'django', 'rails'][i % 4]}?range=${['30d', '90d', '1y', 'all'][i % 4]}`)
    const get = () => Promise.all(pages.map((url) => fetch(url).then(async (r) => [r.status, (await r.text()).endsWith('</html>')])))
    // Open the keep-alive connections first: a connection still in the kernel's accept queue when
    // the server stops listening is reset, which a proxy retries; one the server holds must be served.
    await get()
    const requests = get()
    await sleep(5)
    app.child.kill('SIGTERM')
    expect(await requests).toEqual(Array.from({ length: 20 }, () => [200, true]))
    expect(await app.exited, app.output()).toBe(0)

    const handle = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR ?? 'memory://' })
    try {
      const runs = await handle.db.selectFrom('job_runs').select(['job', 'signal', 'status']).orderBy('started_at').execute()
      expect(runs.filter((r) => r.status === 'running')).toEqual([])
      // express's step (each of its signals) finished and was stored; nestjs waits for the next run.
      expect(runs.filter((r) => r.job === 'npm')).toEqual([
        { job: 'npm', signal: 'downloads', status: 'succeeded' },
        { job: 'npm', signal: 'releases', status: 'succeeded' },
      ])
      const stored = await handle.db.selectFrom('observations').select('subject').distinct().execute()
      expect(stored).toEqual([{ subject: 'express' }])
    } finally {
      await handle.close()
    }
  }, 90_000)
})
