// Serves the real app on a database filled by the real jobs against every local fake upstream
// (the fixture data the tests use; no network), plus a Hono hello world as the baseline. Used by
// bench/pages.sh. LOG_LEVEL (default info, as in production) decides whether each request logs a
// line; the lines go to /dev/null so the terminal is not the bottleneck.
import { openSync } from 'node:fs'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import pino from 'pino'
import { loadCatalog } from '../src/catalog/catalog.js'
import { openDatabase } from '../src/db/database.js'
import { migrateToLatest } from '../src/db/migrate.js'
import { syncCatalog } from '../src/db/writes.js'
import { createLogger } from '../src/logger.js'
import { createApp } from '../src/server/app.js'
import { startAllUpstreams } from '../tests/helpers/all-upstreams.js'
import { allCollected, seedAllSources } from '../tests/helpers/seed-sources.js'

const appPort = Number(process.env.APP_PORT ?? 3101)
const helloPort = Number(process.env.HELLO_PORT ?? 3102)
const level = process.env.LOG_LEVEL ?? 'info'

const handle = await openDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: 'memory://' })
const catalog = loadCatalog()
await migrateToLatest(handle.db)
await syncCatalog(handle.db, catalog)
const upstreams = await startAllUpstreams()
const failed = (await seedAllSources({ db: handle.db, handle, catalog, url: undefined }, upstreams, new Date())).filter((r) => r.status === 'failed')
if (failed.length > 0) throw new Error(`seeding failed: ${failed.map((r) => r.error).join('; ')}`)
const collected = allCollected(upstreams)
await upstreams.stop()

const log = createLogger(level, pino.destination({ dest: openSync('/dev/null', 'w'), sync: false }))
const app = createApp({ db: handle.db, dbKind: handle.kind, catalog, collected, log, publicUrl: 'http://localhost:3000' })
serve({ fetch: app.fetch, port: appPort, hostname: '127.0.0.1' })
serve({ fetch: new Hono().get('/', (c) => c.text('Hello Hono!')).fetch, port: helloPort, hostname: '127.0.0.1' })
console.log(`ready app=${appPort} hello=${helloPort} LOG_LEVEL=${level}`)
