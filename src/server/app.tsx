import { Hono } from 'hono'
import { compress } from 'hono/compress'
import { HTTPException } from 'hono/http-exception'
import { databaseUnreachable } from '../db/unavailable.js'
import { secureHeaders } from 'hono/secure-headers'
import type { CatalogEntry } from '../catalog/catalog.js'
import type { Db } from '../db/database.js'
import type { Logger } from '../logger.js'
import { ErrorPage, NotFoundPage } from '../views/pages/not-found.js'
import type { ServerDeps } from './deps.js'
import { assignRequestId, echoRequestId } from './request-id.js'
import { requestLog } from './request-log.js'
import { RenderCache } from './render-cache.js'
import { renderPage } from './render.js'
import { responseMemo } from './response-memo.js'
import { adminRoutes, type AdminDeps } from './routes/admin.js'
import { apiRoutes } from './routes/api.js'
import { assetRoutes } from './routes/assets.js'
import { benchmarkRoutes } from './routes/benchmarks.js'
import { badgeRoutes } from './routes/badges.js'
import { compareRoutes } from './routes/compare.js'
import { feedRoutes } from './routes/feeds.js'
import { fragmentRoutes } from './routes/fragments.js'
import { healthRoutes } from './routes/health.js'
import { liveRoutes } from './routes/live.js'
import { pageRoutes } from './routes/pages.js'
import { statusRoutes } from './routes/status.js'
import { loadStaticAssets } from './static-assets.js'

export interface AppOptions {
  db: Db
  dbKind: ServerDeps['dbKind']
  catalog: CatalogEntry[]
  /** Sources that have a collector; see jobs/sources/index.ts. */
  collected: ReadonlySet<string>
  log: Logger
  /** PUBLIC_URL (config): feeds and the subscribe box need absolute links. */
  publicUrl: string
  /** How long a process trusts its last read of the data version (other processes' writes). */
  versionTtlMs?: number
  /** Set when ADMIN_TOKEN is: POST /admin/sync and the sync button on /status. */
  admin?: Omit<AdminDeps, 'catalog'> | undefined
  /** LIVE_POLL_SECONDS (config): how often open pages check their live regions; 60 when unset. */
  livePollSeconds?: number
}

export function createApp(options: AppOptions) {
  const assets = loadStaticAssets()
  const deps: ServerDeps = {
    db: options.db,
    dbKind: options.dbKind,
    cache: new RenderCache(options.db, { maxEntries: 500, versionTtlMs: options.versionTtlMs ?? 1000 }),
    assets: assets.urls,
    collected: options.collected,
    slugs: new Set(options.catalog.map((f) => f.slug)),
    log: options.log,
    publicUrl: options.publicUrl,
    adminEnabled: options.admin !== undefined,
    jobNames: options.admin?.jobs.map((j) => j.name) ?? [],
  }
  const app = new Hono()
  // First: a hit skips everything below, having kept the headers it set (response-memo.ts).
  app.use(responseMemo(deps.cache, { log: options.log, maxEntries: 1000, maxBytes: 32 * 1024 * 1024 }))
  app.use(assignRequestId())
  app.use(requestLog(options.log))
  app.use(echoRequestId())
  // Badges are embeds (a README on another site): any origin may load them. Registered before
  // secureHeaders so this runs after it and replaces its same-origin default.
  app.use('/frameworks/:slug/badge.svg', async (c, next) => {
    await next()
    c.res.headers.set('Cross-Origin-Resource-Policy', 'cross-origin')
  })
  app.use(
    secureHeaders({
      // No inline script or style anywhere: chart data travels in data-* attributes.
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        objectSrc: ["'none'"],
      },
      // HSTS only where the site is served over https, or a plain-http install would lock itself out.
      strictTransportSecurity: options.publicUrl.startsWith('https://') ? 'max-age=31536000; includeSubDomains' : false,
      // Headers for retired browsers and plug-ins (IE 8 downloads, Flash/Acrobat policies, the removed XSS
      // auditor) or superseded by the CSP above (frame-ancestors): each costs every response and protects nothing.
      xFrameOptions: false,
      xXssProtection: false,
      xDownloadOptions: false,
      xPermittedCrossDomainPolicies: false,
      xDnsPrefetchControl: false,
    }),
  )
  app.use(compress())

  app.route('/', healthRoutes(deps))
  app.route('/assets', assetRoutes(assets))
  app.route('/api', apiRoutes(deps))
  app.route('/', fragmentRoutes(deps))
  app.route('/live', liveRoutes(deps, { pollSeconds: options.livePollSeconds }))
  app.route('/', pageRoutes(deps))
  app.route('/', statusRoutes(deps))
  if (options.admin) app.route('/', adminRoutes({ ...options.admin, catalog: options.catalog }))
  app.route('/', benchmarkRoutes(deps))
  app.route('/', compareRoutes(deps))
  app.route('/', badgeRoutes(deps))
  app.route('/', feedRoutes(deps))

  app.notFound(async (c) => {
    if (c.req.path.startsWith('/api/')) return c.json({ error: `no such endpoint: ${c.req.path}` }, 404)
    return c.html(await renderPage(<NotFoundPage what={`There is no page at ${c.req.path}.`} assets={deps.assets} />), 404)
  })
  app.onError(async (error, c) => {
    const unreachable = databaseUnreachable(error)
    if (unreachable) {
      // An outage, not a bug: say so, and when to try again; the app recovers by itself.
      options.log.warn({ path: c.req.path, reason: unreachable }, 'database unreachable')
      c.header('Retry-After', '10')
      c.header('Cache-Control', 'no-store')
    }
    const status = unreachable ? 503 : error instanceof HTTPException ? error.status : 500
    const message = unreachable
      ? `The database cannot be reached: ${unreachable}. This page answers again as soon as it is back; nothing needs restarting.`
      : status >= 500
        ? 'The server failed to answer this request; the error is in its log.'
        : error.message
    if (status >= 500 && !unreachable) options.log.error({ err: error, path: c.req.path }, 'request failed')
    if (c.req.path.startsWith('/api/')) return c.json({ error: message }, status)
    return c.html(await renderPage(<ErrorPage status={status} message={message} assets={deps.assets} />), status)
  })
  return app
}
