import type { CatalogEntry } from '../../src/catalog/catalog.js'
import { loadConfig, type Config } from '../../src/config.js'
import { offline } from './child-processes.js'
import type { Db } from '../../src/db/database.js'
import { httpClientFactory } from '../../src/jobs/jobs.js'
import { runSource, type RunContext } from '../../src/jobs/run-source.js'
import { sources } from '../../src/jobs/sources/index.js'
import { createLogger } from '../../src/logger.js'

/** Configuration with every upstream pointed at the fake server, and quick timeouts. */
export function testConfig(upstreamUrl: string, env: Record<string, string> = {}): Config {
  return loadConfig({
    // Upstreams a test does not serve point nowhere local, never at the public services.
    ...offline('http://127.0.0.1:1'),
    GUIDE_URL: `${upstreamUrl}/wp-json/wp/v2/posts/25042`,
    NPM_API_URL: upstreamUrl,
    NPM_REGISTRY_URL: upstreamUrl,
    HTTP_TIMEOUT_MS: '1500',
    HTTP_RETRIES: '2',
    HTTP_BACKOFF_MS: '10',
    LOG_LEVEL: 'silent',
    ...env,
  })
}

export function testRunContext(db: Db, catalog: CatalogEntry[], config: Config, now?: Date): RunContext {
  return {
    db,
    catalog,
    log: createLogger('silent'),
    http: httpClientFactory(config),
    ...(now ? { now: () => now } : {}),
  }
}

/** The npm source as the app configures it, pointed at `config`'s upstreams. */
export function npmSourceOf(config: Config) {
  return sources(config).find((s) => s.source.name === 'npm')!.source
}

/** Runs the real npm job against the fake upstream at `upstreamUrl`: how most tests seed data. */
export function syncNpmFrom(db: Db, catalog: CatalogEntry[], upstreamUrl: string, now?: Date) {
  const config = testConfig(upstreamUrl)
  return runSource(testRunContext(db, catalog, config, now), npmSourceOf(config))
}
