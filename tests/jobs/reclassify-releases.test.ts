import { describe, expect, it } from 'vitest'
import { cadence } from '../../src/cadence.js'
import { storedVerdicts } from '../../src/db/queries/claim-verdicts.js'
import { dataVersion } from '../../src/db/queries/data-version.js'
import { frameworkIdOf } from '../../src/db/queries/frameworks.js'
import { releaseFacts } from '../../src/db/queries/releases.js'
import type { NewRelease } from '../../src/db/schema.js'
import { upsertReleases } from '../../src/db/writes.js'
import { runEvents } from '../../src/jobs/events-job.js'
import { reclassifyStoredReleases } from '../../src/jobs/reclassify-releases.js'
import { runVerdicts } from '../../src/jobs/verdicts-job.js'
import { testConfig, testRunContext } from '../helpers/run-context.js'
import { useTestDatabase } from '../helpers/test-db.js'

// The start-up step against a real database: rows stored under an older rule get today's flag,
// and the cadence, verdicts and events derived from them follow at once.
const NOW = new Date('2026-11-25T12:00:00Z')
const t = useTestDatabase()
const ctx = () => testRunContext(t.db, t.catalog, testConfig('http://127.0.0.1:1'), NOW)
const OPTIONS = { trendThresholdPct: 20 }
const CLAIM = 'spring-boot-long-term-support'

async function seed(): Promise<{ spring: number; express: number }> {
  const spring = await frameworkIdOf(t.db, 'spring-boot')
  const express = await frameworkIdOf(t.db, 'express')
  const row = (framework_id: number, source: string, subject: string, version: string, day: string, prerelease: boolean): NewRelease => ({
    framework_id, source, subject, version, published_at: `${day}T10:00:00Z`, prerelease, url: null, title: null, notes_html: null, fetched_at: NOW,
  })
  const maven = (version: string, day: string, prerelease: boolean) => row(spring, 'maven', 'org.springframework.boot:spring-boot', version, day, prerelease)
  await upsertReleases(t.db, [
    // Six "stable" releases in the claim's 182 days, one a milestone stored as stable (wrong).
    maven('4.0.0', '2026-06-20', false),
    maven('4.0.1', '2026-07-20', false),
    maven('4.0.2', '2026-08-20', false),
    maven('4.1.0', '2026-09-20', false),
    maven('4.2.0-M1', '2026-10-20', false),
    maven('4.1.1', '2026-11-20', false),
    // GitHub's release of that milestone, unflagged by GitHub: its tag is one under Maven's rules.
    row(spring, 'github', 'spring-projects/spring-boot', '4.2.0-M1', '2026-10-20', false),
    // A stable-looking tag GitHub itself calls a prerelease: GitHub's flag stands.
    row(spring, 'github', 'spring-projects/spring-boot', '4.0.3', '2026-08-25', true),
    // npm's loose 1.0.0rc4, as the old hyphen-only rule stored it; and a row already right.
    row(express, 'npm', 'express', '1.0.0rc4', '2010-12-29', false),
    row(express, 'npm', 'express', '5.0.0-beta.3', '2024-03-25', true),
  ])
  return { spring, express }
}

const flags = async () =>
  (await t.db.selectFrom('releases').select(['source', 'version', 'prerelease']).orderBy('source').orderBy('version').execute()).map(
    (r) => [r.source, r.version, r.prerelease],
  )

describe('reclassifying stored releases at start', () => {
  it('corrects the flags and derives cadence, verdicts and events again', async () => {
    const { spring } = await seed()
    // What the old rules' last sync derived.
    await runEvents(ctx(), OPTIONS)
    await runVerdicts(ctx())
    expect((await storedVerdicts(t.db)).get(CLAIM)).toMatchObject({ status: 'supported' })
    const cadenceOf = async () => cadence((await releaseFacts(t.db)).get(spring)!, NOW)
    expect(await cadenceOf()).toMatchObject({ stableLastYear: 6, prereleasesLastYear: 1 })
    const versionBefore = await dataVersion(t.db)

    const result = await reclassifyStoredReleases(ctx(), OPTIONS)
    expect(result.changed).toBe(3)
    expect(result.derived.map((r) => [r.source, r.status])).toEqual([['events', 'succeeded'], ['verdicts', 'succeeded']])
    expect(await flags()).toEqual([
      ['github', '4.0.3', true],
      ['github', '4.2.0-M1', true],
      ['maven', '4.0.0', false],
      ['maven', '4.0.1', false],
      ['maven', '4.0.2', false],
      ['maven', '4.1.0', false],
      ['maven', '4.1.1', false],
      ['maven', '4.2.0-M1', true],
      ['npm', '1.0.0rc4', true],
      ['npm', '5.0.0-beta.3', true],
    ])
    expect(Number(await dataVersion(t.db))).toBeGreaterThan(Number(versionBefore))
    expect(await cadenceOf()).toMatchObject({ stableLastYear: 5, prereleasesLastYear: 2 })
    // Five stable releases in 182 days: the claim of six no longer holds, and the flip is an event.
    expect((await storedVerdicts(t.db)).get(CLAIM)).toMatchObject({ status: 'not supported', measured_status: 'not supported' })
    const events = await t.db.selectFrom('events').select(['id', 'kind', 'title']).orderBy('id').execute()
    expect(events.filter((e) => e.kind === 'verdict').map((e) => e.id)).toEqual([`verdict:${CLAIM}:not-supported:2026-11-25`])
    // The release events follow the stored data (events-job.ts rewrites what changed).
    expect(events.filter((e) => e.id === 'release:spring-boot:4.2.0-M1' || e.id === 'release:express:1.0.0rc4')).toEqual([
      { id: 'release:express:1.0.0rc4', kind: 'prerelease', title: 'Express 1.0.0rc4 (prerelease)' },
      { id: 'release:spring-boot:4.2.0-M1', kind: 'prerelease', title: 'Spring Boot 4.2.0-M1 (prerelease)' },
    ])
  })

  it('with every flag right it writes nothing and derives nothing', async () => {
    await seed()
    await reclassifyStoredReleases(ctx(), OPTIONS)
    const version = await dataVersion(t.db)
    const runs = await t.db.selectFrom('job_runs').select('id').execute()
    expect(await reclassifyStoredReleases(ctx(), OPTIONS)).toEqual({ changed: 0, derived: [] })
    expect(await dataVersion(t.db)).toBe(version)
    expect(await t.db.selectFrom('job_runs').select('id').execute()).toEqual(runs)
  })
})
