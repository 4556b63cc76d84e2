import type { ServerType } from '@hono/node-server'
import { Hono } from 'hono'
import { bootstrap, type Bootstrapped } from './bootstrap.js'
import { loadConfig, type Config } from './config.js'
import { httpClientFactory, jobs } from './jobs/jobs.js'
import { createJobRunner, startScheduler, type JobRunner } from './jobs/scheduler.js'
import { sources } from './jobs/sources/index.js'
import { createLogger, type Logger } from './logger.js'
import { createApp } from './server/app.js'
import { listen } from './server/listen.js'
import { healthRoutes } from './server/routes/health.js'
import { exitWithStartupError } from './startup-error.js'

// Docker's default stop timeout is 10 s: finish in-flight work well inside it.
const GRACE_MS = 8_000

async function main(): Promise<void> {
  const config = loadConfig()
  const log = createLogger(config.LOG_LEVEL)
  const booted = await bootstrap(config, log)
  const ctx = { db: booted.handle.db, catalog: booted.catalog, log, http: httpClientFactory(config) }
  const runner = createJobRunner(ctx)
  const server = startServer(config, booted, log, runner)
  const scheduler = config.ROLE === 'web' ? undefined : startScheduler(ctx, runner, jobs(config), { catchUp: config.SYNC_ON_START })

  let stopping = false
  const shutdown = async (signal: string) => {
    if (stopping) return
    stopping = true
    log.info({ signal }, 'shutting down: finishing requests and the running job step')
    await scheduler?.stop()
    await Promise.all([closeServer(server), runner.stop(GRACE_MS)])
    await booted.handle.close()
    log.info('stopped')
    process.exit(0)
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'))
  process.on('SIGINT', () => void shutdown('SIGINT'))
}

/** The dashboard; or, for a worker, only its probes and metrics, so orchestrators can watch it. */
function startServer(config: Config, { handle, catalog }: Bootstrapped, log: Logger, runner: JobRunner): ServerType {
  const app =
    config.ROLE === 'worker'
      ? new Hono().route('/', healthRoutes({ db: handle.db }))
      : createApp({
          db: handle.db,
          dbKind: handle.kind,
          catalog,
          collected: new Set(sources(config).map((s) => s.source.name)),
          log,
          publicUrl: config.PUBLIC_URL,
          livePollSeconds: config.LIVE_POLL_SECONDS,
          admin: config.ADMIN_TOKEN ? { token: config.ADMIN_TOKEN, trustProxy: config.TRUST_PROXY, jobs: jobs(config), runner } : undefined,
        })
  return listen(app.fetch, { port: config.PORT, hostname: config.HOST }, (info) =>
    log.info(`Framework Pulse (${config.ROLE}) listening on http://localhost:${info.port}`),
  )
}

/**
 * Stops accepting connections and waits for in-flight requests (Node also closes idle keep-alive
 * connections), for at most GRACE_MS.
 */
function closeServer(server: ServerType): Promise<void> {
  return new Promise<void>((resolve) => {
    const deadline = setTimeout(() => {
      if ('closeAllConnections' in server) server.closeAllConnections()
      resolve()
    }, GRACE_MS)
    server.close(() => {
      clearTimeout(deadline)
      resolve()
    })
  })
}

main().catch(exitWithStartupError)
