import { expect } from 'vitest'
import type { SignalName } from '../../src/db/schema.js'
import type { TestDatabase } from './test-db.js'

/** `s` inside a RegExp, matching itself only: URLs in error messages are full of `.` and `?`. */
export const literally = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** A RegExp source for the instant in "rate limited until <instant>". */
export const ISO_INSTANT = '\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z'

/** Queries the sync tests check stored data with; `t.db` is read when called (after beforeAll). */
export function dbChecks(t: TestDatabase) {
  /** Rows in observations and in releases, of one subject if given. */
  async function counts(subject?: string) {
    const count = async (table: 'observations' | 'releases') => {
      let q = t.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n'))
      if (subject) q = q.where('subject', '=', subject)
      return Number((await q.executeTakeFirstOrThrow()).n)
    }
    return { observations: await count('observations'), releases: await count('releases') }
  }

  /** A subject's stored value on a day, whatever the source and metric; undefined if none. */
  async function valueOn(subject: string, day: string) {
    const row = await t.db
      .selectFrom('observations')
      .select('value')
      .where('subject', '=', subject)
      .where('day', '=', day)
      .executeTakeFirst()
    return row?.value
  }

  /** A framework's job_runs, oldest first. */
  function runsFor(slug: string) {
    return t.db
      .selectFrom('job_runs')
      .innerJoin('frameworks', 'frameworks.id', 'job_runs.framework_id')
      .selectAll('job_runs')
      .where('frameworks.slug', '=', slug)
      .orderBy('job_runs.id')
      .execute()
  }

  return { counts, valueOn, runsFor }
}

/**
 * Checks for one source's sync of one framework: what it stored, its newest run, and the check
 * every failure case ends with.
 */
export function sourceChecks(t: TestDatabase, { source, slug }: { source: string; slug: string }) {
  const observations = () =>
    t.db
      .selectFrom('observations')
      .select(['subject', 'metric', 'day', 'value'])
      .where('source', '=', source)
      .orderBy('metric')
      .orderBy('day')
      .execute()

  const releases = () =>
    t.db
      .selectFrom('releases')
      .selectAll()
      .where('source', '=', source)
      .orderBy('published_at')
      .execute()

  /** Everything a failed sync must leave as it was. */
  async function stored() {
    const rows = await observations()
    return { observations: rows, releases: (await releases()).map((r) => r.version) }
  }

  /** The newest run of the framework on this source, of one signal when named. */
  const lastRun = (signal?: SignalName) => {
    let q = t.db
      .selectFrom('job_runs')
      .innerJoin('frameworks', 'frameworks.id', 'job_runs.framework_id')
      .selectAll('job_runs')
      .where('frameworks.slug', '=', slug)
      .where('job_runs.source', '=', source)
    if (signal) q = q.where('job_runs.signal', '=', signal)
    return q.orderBy('job_runs.id', 'desc').executeTakeFirstOrThrow()
  }

  /** The newest run of each signal of the framework on this source, in the order they ran. */
  async function latestOfEachSignal() {
    const runs = await t.db
      .selectFrom('job_runs')
      .innerJoin('frameworks', 'frameworks.id', 'job_runs.framework_id')
      .selectAll('job_runs')
      .where('frameworks.slug', '=', slug)
      .where('job_runs.source', '=', source)
      .orderBy('job_runs.id', 'desc')
      .execute()
    return runs.filter((r, i) => runs.findIndex((o) => o.signal === r.signal) === i).reverse()
  }

  /**
   * With `signal`: its newest run failed with `error` (text or pattern), wrote nothing and changed
   * nothing of what that signal stores (downloads: observations; releases: releases); the other
   * signal, another endpoint, may have moved on. Without: the first signal whose newest run failed
   * did so with `error`, and nothing stored changed at all (one endpoint serves both, say).
   */
  async function expectFailure(error: string | RegExp, before: Awaited<ReturnType<typeof stored>>, signal?: 'downloads' | 'releases') {
    const run = signal ? await lastRun(signal) : (await latestOfEachSignal()).find((r) => r.status === 'failed')
    expect(run?.status).toBe('failed')
    expect(run!.rows_written).toBe(0)
    if (typeof error === 'string') expect(run!.error).toBe(error)
    else expect(run!.error).toMatch(error)
    const now = await stored()
    if (signal === 'downloads') expect(now.observations).toEqual(before.observations)
    else if (signal === 'releases') expect(now.releases).toEqual(before.releases)
    else expect(now).toEqual(before)
  }

  return { observations, releases, stored, lastRun, expectFailure }
}
