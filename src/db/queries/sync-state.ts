import type { Db } from '../database.js'
import type { RateLimit, Validators } from '../../jobs/http.js'

export interface SeriesKey {
  frameworkId: number
  source: string
  subject: string
  metric: string
}

/** Newest stored day of one series, so a source fetches only what is missing. */
export async function latestDay(db: Db, key: SeriesKey): Promise<string | null> {
  const row = await db
    .selectFrom('observations')
    .select((eb) => eb.fn.max('day').as('day'))
    .where('framework_id', '=', key.frameworkId)
    .where('metric', '=', key.metric)
    .where('source', '=', key.source)
    .where('subject', '=', key.subject)
    .executeTakeFirst()
  return row?.day ?? null
}

export async function validatorsFor(db: Db, url: string): Promise<Validators | undefined> {
  const row = await db.selectFrom('http_cache').selectAll().where('url', '=', url).executeTakeFirst()
  return row ? { etag: row.etag, lastModified: row.last_modified } : undefined
}

export async function latestObservation(db: Db, key: SeriesKey): Promise<{ day: string; value: number } | null> {
  const row = await db
    .selectFrom('observations')
    .select(['day', 'value'])
    .where('framework_id', '=', key.frameworkId)
    .where('metric', '=', key.metric)
    .where('source', '=', key.source)
    .where('subject', '=', key.subject)
    .orderBy('day', 'desc')
    .limit(1)
    .executeTakeFirst()
  return row ?? null
}

export async function sourceState(db: Db, source: string, key: string): Promise<unknown> {
  const row = await db.selectFrom('source_state').select('value').where('source', '=', source).where('key', '=', key).executeTakeFirst()
  return row?.value
}

export interface RateLimitState {
  source: string
  limit: number
  remaining: number
  resetAt: Date
  seenAt: Date
}

type StoredRateLimit = { limit: number; remaining: number; resetAt: string; resource?: string | null; host?: string }

/** The budget a source's upstream last reported (saved by run-source), to plan the next run with. */
export async function storedRateLimit(db: Db, source: string): Promise<RateLimit | null> {
  const value = (await sourceState(db, source, 'rate_limit')) as StoredRateLimit | undefined
  if (!value) return null
  const limit = { limit: value.limit, remaining: value.remaining, resetAt: new Date(value.resetAt), resource: value.resource ?? null }
  return value.host === undefined ? limit : { ...limit, host: value.host }
}

/** The last rate-limit budget each source's upstream reported (x-ratelimit-* headers). */
export async function rateLimits(db: Db): Promise<RateLimitState[]> {
  const rows = await db.selectFrom('source_state').selectAll().where('key', '=', 'rate_limit').orderBy('source').execute()
  return rows.map((row) => {
    const value = row.value as { limit: number; remaining: number; resetAt: string }
    return { source: row.source, limit: value.limit, remaining: value.remaining, resetAt: new Date(value.resetAt), seenAt: row.updated_at }
  })
}
