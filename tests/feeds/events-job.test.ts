import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { dataVersion } from '../../src/db/queries/data-version.js'
import { frameworkIdOf } from '../../src/db/queries/frameworks.js'
import { upsertReleases } from '../../src/db/writes.js'
import { runEvents } from '../../src/jobs/events-job.js'
import { loadGuideSnapshot } from '../../src/jobs/guide-job.js'
import { useFakeUpstream } from '../helpers/fake-upstream.js'
import { runNpmJob, seedOtherSources } from '../helpers/feed-seed.js'
import { serveNpm } from '../helpers/npm-upstream.js'
import { testConfig, testRunContext } from '../helpers/run-context.js'
import { useTestDatabase } from '../helpers/test-db.js'

// Derivation against a real database: idempotent, never re-dating, and never crashing a job.
const NOW = new Date('2026-11-25T12:00:00Z')
const t = useTestDatabase()
const fake = useFakeUpstream()

const derive = (now = NOW) => runEvents(testRunContext(t.db, t.catalog, testConfig(fake.url), now), { trendThresholdPct: 20 })
const events = () => t.db.selectFrom('events').selectAll().orderBy('id').execute()

describe('event derivation after a job', () => {
  it('inserts each event once: a second run adds nothing and leaves the data version alone', async () => {
    await seedOtherSources(t.db, NOW)
    const before = await dataVersion(t.db)
    expect(await derive()).toMatchObject({ source: 'events', status: 'succeeded', rowsWritten: 3 })
    const version = await dataVersion(t.db)
    expect(Number(version)).toBeGreaterThan(Number(before))
    const first = await events()
    expect(first.map((e) => [e.id, e.kind])).toEqual([
      ['release:express:5.1.0', 'release'],
      ['stars:express:expressjs/express:75000', 'stars'],
      ['trend:django:pypi:django:2026-10-08:up', 'trend'],
    ])
    expect(first[2]!.data).toMatchObject({ direction: 'up', mean: 100_000 + (45_000 * 13) / 28, prior_mean: 100_000, threshold_pct: 20 })

    expect(await derive(new Date('2026-11-26T00:00:00Z'))).toMatchObject({ status: 'succeeded', rowsWritten: 0 })
    expect(await dataVersion(t.db)).toBe(version)
    expect(await events()).toEqual(first)
  })

  it('the bundled guide loaded at first start is no update; a later revision stored by a fetch is one', async () => {
    await loadGuideSnapshot(t.db, t.catalog)
    await derive()
    expect((await events()).filter((e) => e.kind === 'guide')).toEqual([])
    await t.db.updateTable('guide_sections').set({ post_modified_at: new Date('2026-07-01T08:00:00Z'), origin: 'live' }).execute()
    await derive()
    expect((await events()).filter((e) => e.kind === 'guide').map((e) => [e.id, e.summary])).toEqual([
      ['guide:2026-07-01T08:00:00.000Z', expect.stringMatching(/ was revised on 2026-07-01\.$/)],
    ])
  })

  it('never re-dates or rewrites an event when its source row changes', async () => {
    await seedOtherSources(t.db, NOW)
    await derive()
    const [release] = await events()
    const express = await frameworkIdOf(t.db, 'express')
    await upsertReleases(t.db, [
      {
        framework_id: express, source: 'github', subject: 'expressjs/express', version: '5.1.0', published_at: '2025-04-02T00:00:00Z',
        prerelease: false, url: 'https://github.com/expressjs/express/releases/tag/v5.1.0', title: 'v5.1.0', notes_html: '<p>Edited.</p>', fetched_at: NOW,
      },
    ])
    expect(await derive()).toMatchObject({ rowsWritten: 0 })
    expect((await events())[0]).toEqual(release)
  })

  it('runs after each job; a failure is a job_runs row and a result, never the job\'s crash', async () => {
    serveNpm(fake)
    await sql`drop table events`.execute(t.db)
    const results = await runNpmJob(t, fake.url, NOW)
    expect(results.map((r) => [r.source, r.status])).toEqual([['npm', 'succeeded'], ['npm', 'succeeded'], ['events', 'failed'], ['verdicts', 'succeeded']])
    expect(results[2]!.error).toMatch(/^events: .*"?events"? does not exist/)
    const run = await t.db.selectFrom('job_runs').selectAll().where('job', '=', 'events').executeTakeFirstOrThrow()
    expect(run).toMatchObject({ source: 'events', framework_id: null, status: 'failed', error: results[2]!.error })
    // The job's own data is stored all the same.
    const { n } = await t.db.selectFrom('releases').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()
    expect(Number(n)).toBe(9)
  })
})
