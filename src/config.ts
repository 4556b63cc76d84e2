import { validate as isValidCron } from 'node-cron'
import { z } from 'zod'
import { DEFAULT_CATALOG_FILE } from './catalog/catalog.js'

// Each upstream has its own base URL variable so tests, mirrors, proxies and GitHub
// Enterprise can point it elsewhere; the defaults are the public services.
const baseUrl = (fallback: string) =>
  z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .default(fallback)
    .transform((url) => url.replace(/\/+$/, ''))

const cron = (fallback: string) =>
  z.string().default(fallback).refine(isValidCron, 'must be a cron expression like "0 */6 * * *"')

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback)

const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'], { error: 'must be true or false' })
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1')

// A URL with a scheme must be http(s); anything else is a local file path.
const isLocation = (entry: string) => !/^[a-z][a-z\d+.-]*:\/\//i.test(entry) || /^https?:\/\/[^/]/i.test(entry)

const locationList = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value) => value.split(',').map((entry) => entry.trim()).filter(Boolean))
    .refine((entries) => entries.every(isLocation), 'must be comma-separated http(s) URLs or file paths')

const emptyAsUnset = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value)

export const envSchema = z.object({
  PORT: z.preprocess(
    emptyAsUnset,
    z.coerce.number({ error: 'must be a whole number from 0 to 65535' }).int('must be a whole number from 0 to 65535').min(0).max(65535).default(3000),
  ),
  // Behind a reverse proxy, trust its X-Forwarded-For for the client address (admin rate limit).
  TRUST_PROXY: flag(false),
  HOST: z.string().min(1).default('0.0.0.0'),
  // Unset: http://localhost:<PORT> (loadConfig), so feed links work on the port the app listens on.
  PUBLIC_URL: z.preprocess(
    emptyAsUnset,
    z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
      .transform((url) => url.replace(/\/+$/, ''))
      .optional(),
  ),
  ROLE: z.enum(['both', 'web', 'worker']).default('both'),
  // Enables POST /admin/sync and the sync button on /status; unset, admin is off.
  ADMIN_TOKEN: z.preprocess(emptyAsUnset, z.string().min(16, 'must be at least 16 characters').optional()),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // Open pages check their live regions this often (a 304 when nothing changed); paused in hidden tabs.
  LIVE_POLL_SECONDS: z.preprocess(
    emptyAsUnset,
    z.coerce
      .number({ error: 'must be a whole number of seconds from 5 to 3600' })
      .int('must be a whole number of seconds from 5 to 3600')
      .min(5, 'must be at least 5 (seconds)')
      .max(3600, 'must be at most 3600 (seconds)')
      .default(60),
  ),

  DATABASE_URL: z.preprocess(
    emptyAsUnset,
    z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' }).optional(),
  ),
  DATA_DIR: z.string().min(1).default('./data'),
  CATALOG_FILE: z.string().min(1).default(DEFAULT_CATALOG_FILE),

  GUIDE_URL: baseUrl('https://www.kaashivinfotech.com/blog/wp-json/wp/v2/posts/25042'),
  NPM_API_URL: baseUrl('https://api.npmjs.org'),
  NPM_REGISTRY_URL: baseUrl('https://registry.npmjs.org'),
  PYPISTATS_URL: baseUrl('https://pypistats.org'),
  PYPI_URL: baseUrl('https://pypi.org'),
  RUBYGEMS_URL: baseUrl('https://rubygems.org'),
  PACKAGIST_URL: baseUrl('https://packagist.org'),
  // NuGet's service index: the client discovers every other resource URL from it.
  NUGET_URL: baseUrl('https://api.nuget.org/v3/index.json'),
  HEX_URL: baseUrl('https://hex.pm'),
  MAVEN_URL: baseUrl('https://central.sonatype.com/solrsearch'),
  MAVEN_REPO_URL: baseUrl('https://repo1.maven.org/maven2'),
  GITHUB_API_URL: baseUrl('https://api.github.com'),
  OSSINSIGHT_API_URL: baseUrl('https://api.ossinsight.io'),
  GITHUB_TOKEN: z.preprocess(emptyAsUnset, z.string().min(1).optional()),
  // TFB results files, each imported once (techempower.md): rounds' ph.json, tfb-status run
  // metadata (…/results/<uuid>.json, which names the raw file) or raw results, or local paths.
  // Round 23 (2025-02-24) is the last official round; TFB's sunset was announced in March 2026.
  TFB_RESULTS_URLS: locationList('https://www.techempower.com/benchmarks/results/round23/ph.json'),
  BENCHMARKER_DATA_URL: baseUrl('https://raw.githubusercontent.com/the-benchmarker/web-frameworks/develop/data.min.json'),

  SCHEDULE_GUIDE: cron('17 4 * * *'),
  SCHEDULE_NPM: cron('41 */6 * * *'),
  SCHEDULE_PYPI: cron('23 */6 * * *'),
  SCHEDULE_RUBYGEMS: cron('7 1 * * *'),
  SCHEDULE_PACKAGIST: cron('13 2 * * *'),
  SCHEDULE_NUGET: cron('29 3 * * *'),
  SCHEDULE_HEX: cron('37 5 * * *'),
  SCHEDULE_MAVEN: cron('47 6 * * *'),
  SCHEDULE_GITHUB: cron('3 * * * *'),
  // Weekly: configured files never change and are skipped without a request once imported.
  SCHEDULE_TECHEMPOWER: cron('53 3 * * 1'),
  // Daily, conditional (ETag): the-benchmarker commits a new data.min.json with each run.
  SCHEDULE_BENCHMARKER: cron('19 5 * * *'),
  SYNC_ON_START: flag(true),
  NPM_BACKFILL_DAYS: z.coerce.number().int().min(1).max(4000).default(548),

  HTTP_TIMEOUT_MS: positiveInt(20_000),
  HTTP_RETRIES: z.coerce.number().int().min(0).max(10).default(3),
  HTTP_BACKOFF_MS: positiveInt(500),
  HTTP_HOST_CONCURRENCY: positiveInt(2),
  HTTP_MAX_BODY_MB: positiveInt(64),

  // Feeds: a download trend change is a 28-day mean this many percent above or below the 28
  // days before it (jobs/events/trends.ts).
  FEED_TREND_THRESHOLD_PCT: z.coerce.number().positive().max(1000).default(20),
})

export type Config = Omit<z.infer<typeof envSchema>, 'PUBLIC_URL'> & { PUBLIC_URL: string }

export class ConfigError extends Error {
  override name = 'ConfigError'
}

/** Parses the environment once; every bad variable becomes one line of the error message. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env)
  if (parsed.success) return { ...parsed.data, PUBLIC_URL: parsed.data.PUBLIC_URL ?? `http://localhost:${parsed.data.PORT}` }
  const lines = parsed.error.issues.map((issue) => {
    const name = String(issue.path[0])
    return `${name}=${JSON.stringify(env[name] ?? '')}: ${issue.message}`
  })
  throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`)
}
