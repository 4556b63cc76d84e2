import { Hono } from 'hono'
import { migrator } from '../../db/migrate.js'
import { registry } from '../../telemetry.js'
import type { ServerDeps } from '../deps.js'

/** Probes for orchestrators and the Prometheus scrape endpoint. */
export function healthRoutes(deps: Pick<ServerDeps, 'db'>) {
  return new Hono()
    .get('/healthz', (c) => c.text('ok'))
    .get('/readyz', async (c) => {
      try {
        const pending = (await migrator(deps.db).getMigrations()).filter((m) => !m.executedAt).map((m) => m.name)
        if (pending.length > 0) return c.text(`not ready: migrations pending: ${pending.join(', ')}`, 503)
        return c.text('ready')
      } catch (error) {
        return c.text(`not ready: database unreachable: ${(error as Error).message}`, 503)
      }
    })
    .get('/metrics', async (c) => {
      c.header('Content-Type', registry.contentType)
      c.header('Cache-Control', 'no-store')
      return c.body(await registry.metrics())
    })
}
