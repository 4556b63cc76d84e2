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

  it('never re-dates a release event, but its content follows its version\'s rows, rewritten only when they change', async () => {
    await seedOtherSources(t.db, NOW)
    await derive()
    const [release] = await events()
    expect(release).toMatchObject({ id: 'release:express:5.1.0', revised_at: null, created_at: NOW })
    const express = await frameworkIdOf(t.db, 'express')
    const later = new Date('2026-11-26T09:00:00Z')
    // The GitHub release is edited: a name, other notes, an earlier date (it cannot move the item).
    await upsertReleases(t.db, [
      {
        framework_id: express, source: 'github', subject: 'expressjs/express', version: '5.1.0', published_at: '2025-03-30T00:00:00Z',
        prerelease: false, url: 'https://github.com/expressjs/express/releases/tag/v5.1.0', title: 'Five, one', notes_html: '<p>Edited.</p>', fetched_at: later,
      },
    ])
    const version = await dataVersion(t.db)
    expect(await derive(later)).toMatchObject({ rowsWritten: 1 })
    expect(Number(await dataVersion(t.db))).toBeGreaterThan(Number(version))
    const [edited] = await events()
    expect(edited).toMatchObject({ id: release!.id, kind: 'release', occurred_at: release!.occurred_at, created_at: NOW, revised_at: later })
    // The text tells what is stored now; the item's date stays the one readers first saw.
    expect(edited!.summary).toBe('Express 5.1.0 was published on github (expressjs/express) on 2025-03-30.')
    expect(edited!.content_html).toBe(`<p><strong>Five, one</strong></p><p>${edited!.summary}</p><p>Edited.</p>`)
    // Nothing changed since: nothing written, the data version and the revision stay.
    const settled = await dataVersion(t.db)
    expect(await derive(new Date('2026-11-27T00:00:00Z'))).toMatchObject({ rowsWritten: 0 })
    expect(await dataVersion(t.db)).toBe(settled)
    expect((await events())[0]).toEqual(edited)
  })

  it('re-running it after versions are reclassified corrects their kinds, titles and the first of each major', async () => {
    serveNpm(fake)
    await runNpmJob(t, fake.url, NOW)
    // Express's 4.x and 5.x releases in the fixture (its older history aside).
    const watched = ['4.21.2', '4.22.0', '5.0.0', '5.0.0-beta.3', '5.1.0'].map((v) => `release:express:${v}`)
    const kinds = async () => (await events()).filter((e) => watched.includes(e.id)).map((e) => [e.id, e.kind, e.title])
    expect(await kinds()).toEqual([
      ['release:express:4.21.2', 'release', 'Express 4.21.2'],
      ['release:express:4.22.0', 'release', 'Express 4.22.0'],
      ['release:express:5.0.0', 'major', 'Express 5.0.0: new major version'],
      ['release:express:5.0.0-beta.3', 'prerelease', 'Express 5.0.0-beta.3 (prerelease)'],
      ['release:express:5.1.0', 'release', 'Express 5.1.0'],
    ])
    const before = await events()
    // As a start-up reclassification would: 5.0.0 turns out a prerelease, 5.0.0-beta.3 a stable one.
    const express = await frameworkIdOf(t.db, 'express')
    await t.db.updateTable('releases').set((eb) => ({ prerelease: eb.not('prerelease') })).where('framework_id', '=', express).where('version', 'in', ['5.0.0', '5.0.0-beta.3']).execute()
    const later = new Date('2026-11-26T00:00:00Z')
    expect(await derive(later)).toMatchObject({ rowsWritten: 2 })
    expect(await kinds()).toEqual([
      ['release:express:4.21.2', 'release', 'Express 4.21.2'],
      ['release:express:4.22.0', 'release', 'Express 4.22.0'],
      ['release:express:5.0.0', 'prerelease', 'Express 5.0.0 (prerelease)'],
      ['release:express:5.0.0-beta.3', 'major', 'Express 5.0.0-beta.3: new major version'],
      ['release:express:5.1.0', 'release', 'Express 5.1.0'],
    ])
    const after = await events()
    expect(after.map((e) => [e.id, e.occurred_at, e.created_at])).toEqual(before.map((e) => [e.id, e.occurred_at, e.created_at]))
    expect(after.filter((e) => e.revised_at !== null).map((e) => [e.id, e.revised_at])).toEqual([
      ['release:express:5.0.0', later], ['release:express:5.0.0-beta.3', later],
    ])
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
    // Express's 13 versions (8 of them early loose prereleases) and NestJS's 4.
    expect(Number(n)).toBe(13 + 4)
  })
})
