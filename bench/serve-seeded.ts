// Serves the real app on a database seeded through the real npm job (against the local fake
// upstream, so no network), plus a Hono hello world as the baseline. Used by bench/pages.sh.
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { loadCatalog } from '../src/catalog/catalog.js'
import { openDatabase } from '../src/db/database.js'
import { migrateToLatest } from '../src/db/migrate.js'
import { syncCatalog } from '../src/db/writes.js'
import { loadGuideSnapshot } from '../src/jobs/guide-job.js'
import { runSource } from '../src/jobs/run-source.js'
import { sources } from '../src/jobs/sources/index.js'
import { createLogger } from '../src/logger.js'
import { createApp } from '../src/server/app.js'
import { FakeUpstream } from '../tests/helpers/fake-upstream.js'
import { serveNpm } from '../tests/helpers/npm-upstream.js'
import { testConfig, testRunContext } from '../tests/helpers/run-context.js'

const appPort = Number(process.env.APP_PORT ?? 3101)
const helloPort = Number(process.env.HELLO_PORT ?? 3102)

const fake = await new FakeUpstream().start()
serveNpm(fake)
const handle = await openDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: 'memory://' })
const catalog = loadCatalog()
await migrateToLatest(handle.db)
await syncCatalog(handle.db, catalog)
await loadGuideSnapshot(handle.db, catalog)
const config = testConfig(fake.url)
await runSource(testRunContext(handle.db, catalog, config), sources(config).find((s) => s.source.name === 'npm')!.source)
await fake.stop()

const app = createApp({ db: handle.db, dbKind: handle.kind, catalog, collected: new Set(['npm']), log: createLogger('silent'), publicUrl: 'http://localhost:3000' })
serve({ fetch: app.fetch, port: appPort, hostname: '127.0.0.1' })
serve({ fetch: new Hono().get('/', (c) => c.text('Hello Hono!')).fetch, port: helloPort, hostname: '127.0.0.1' })
console.log(`ready app=${appPort} hello=${helloPort}`)
