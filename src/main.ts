import { serve, type ServerType } from '@hono/node-server'
import { bootstrap } from './bootstrap.js'
import { loadConfig } from './config.js'
import { httpClientFactory, jobs } from './jobs/jobs.js'
import { startScheduler, type Scheduler } from './jobs/scheduler.js'
import { createLogger } from './logger.js'
import { createApp } from './server/app.js'
import { sources } from './jobs/sources/index.js'
import { exitWithStartupError } from './startup-error.js'

async function main(): Promise<void> {
  const config = loadConfig()
  const log = createLogger(config.LOG_LEVEL)
  const { handle, catalog } = await bootstrap(config, log)

  let server: ServerType | undefined
  if (config.ROLE !== 'worker') {
    const collected = new Set(sources(config).map((s) => s.source.name))
    const app = createApp({ db: handle.db, dbKind: handle.kind, catalog, collected, log })
    server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, (info) =>
      log.info(`Framework Pulse listening on http://localhost:${info.port}`),
    )
  }

  let scheduler: Scheduler | undefined
  if (config.ROLE !== 'web') {
    const ctx = { db: handle.db, catalog, log, http: httpClientFactory(config) }
    scheduler = startScheduler(ctx, jobs(config), { catchUp: config.SYNC_ON_START })
  }

  let stopping = false
  const shutdown = async (signal: string) => {
    if (stopping) return
    stopping = true
    log.info({ signal }, 'shutting down')
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
    await scheduler?.stop()
    await handle.close()
    process.exit(0)
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'))
  process.on('SIGINT', () => void shutdown('SIGINT'))
}

main().catch(exitWithStartupError)
