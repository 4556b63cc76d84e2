import { addDays } from '../../src/days.js'
import type { Db } from '../../src/db/database.js'
import { frameworkIdOf } from '../../src/db/queries/frameworks.js'
import { upsertObservations, upsertReleases } from '../../src/db/writes.js'
import { loadGuideSnapshot } from '../../src/jobs/guide-job.js'
import { jobs } from '../../src/jobs/jobs.js'
import type { SubjectResult } from '../../src/jobs/run-source.js'
import type { TestDatabase } from './test-db.js'
import { testConfig, testRunContext } from './run-context.js'

export const PUBLIC_URL = 'https://pulse.example'

/** The real npm job (with its event derivation, as the scheduler runs it) against the fake upstream. */
export async function runNpmJob(t: TestDatabase, upstreamUrl: string, now: Date, env: Record<string, string> = {}): Promise<SubjectResult[]> {
  const config = testConfig(upstreamUrl, env)
  const npm = jobs(config).find((j) => j.name === 'npm')!
  return npm.run(testRunContext(t.db, t.catalog, config, now))
}

export const EXPRESS_NOTES =
  '<p>Express 5.1.0 makes v5 the <strong>latest</strong> release.</p><ul><li>Fix: <code>res.redirect()</code></li></ul>'

/**
 * Rows of sources Framework Pulse does not collect in this tree yet, written the way a source's
 * run would (writes.ts): a GitHub release with notes for a version npm also lists, GitHub star
 * counts passing 75,000 (with a dip back under it), and PyPI downloads for Django that step up 45 %.
 */
export async function seedOtherSources(db: Db, fetchedAt: Date): Promise<void> {
  const express = await frameworkIdOf(db, 'express')
  const django = await frameworkIdOf(db, 'django')
  await upsertReleases(db, [
    {
      framework_id: express, source: 'github', subject: 'expressjs/express', version: '5.1.0',
      // GitHub's release is created a few minutes after npm's publish: the event keeps npm's date.
      published_at: '2025-03-31T14:45:00Z', prerelease: false,
      url: 'https://github.com/expressjs/express/releases/tag/v5.1.0', title: 'v5.1.0', notes_html: EXPRESS_NOTES, fetched_at: fetchedAt,
    },
  ])
  const stars = [74_950, 75_020, 74_990, 75_100, 75_200]
  await upsertObservations(
    db,
    stars.map((value, i) => ({
      framework_id: express, source: 'github', subject: 'expressjs/express', metric: 'stars', day: addDays('2026-11-20', i), value, fetched_at: fetchedAt,
    })),
  )
  await upsertObservations(db, djangoDownloads(django, fetchedAt))
}

/** 120 days to 2026-11-24: 100,000 a day, 145,000 from the 61st day (2026-09-26). */
function djangoDownloads(frameworkId: number, fetchedAt: Date) {
  return Array.from({ length: 120 }, (_, i) => ({
    framework_id: frameworkId, source: 'pypi', subject: 'django', metric: 'downloads',
    day: addDays('2026-07-28', i), value: i < 60 ? 100_000 : 145_000, fetched_at: fetchedAt,
  }))
}

/** Everything a fresh install has after its first sync, plus the sources seeded above. */
export async function seedAll(t: TestDatabase, upstreamUrl: string, now: Date): Promise<SubjectResult[]> {
  await loadGuideSnapshot(t.db, t.catalog)
  await seedOtherSources(t.db, now)
  return runNpmJob(t, upstreamUrl, now)
}
