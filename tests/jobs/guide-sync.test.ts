import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { GUIDE_SNAPSHOT_FILE, loadGuideSnapshot, runGuide } from '../../src/jobs/guide-job.js'
import { useFakeUpstream } from '../helpers/fake-upstream.js'
import { testConfig, testRunContext } from '../helpers/run-context.js'
import { useTestDatabase } from '../helpers/test-db.js'

const t = useTestDatabase()
const fake = useFakeUpstream()
const GUIDE_PATH = /^\/wp-json\/wp\/v2\/posts\/25042$/
const post = () => JSON.parse(readFileSync(GUIDE_SNAPSHOT_FILE, 'utf8'))

function guide() {
  const config = testConfig(fake.url)
  return runGuide(testRunContext(t.db, t.catalog, config), config.GUIDE_URL)
}

const sections = () =>
  t.db
    .selectFrom('guide_sections')
    .innerJoin('frameworks', 'frameworks.id', 'guide_sections.framework_id')
    .select(['slug', 'rank', 'origin', 'paragraphs', 'post_modified_at'])
    .orderBy('rank')
    .execute()

describe('guide job', () => {
  it('loads the bundled snapshot into an empty database, once', async () => {
    expect(await loadGuideSnapshot(t.db, t.catalog)).toBe(10)
    expect(await loadGuideSnapshot(t.db, t.catalog)).toBe(0)
    const stored = await sections()
    expect(stored.map((s) => s.slug)).toEqual(t.catalog.map((f) => f.slug))
    expect(stored.every((s) => s.origin === 'snapshot')).toBe(true)
  })

  it('a live fetch replaces the snapshot; the same revision again is a 304', async () => {
    await loadGuideSnapshot(t.db, t.catalog)
    const updated = post()
    updated.modified_gmt = '2026-11-20T08:00:00'
    updated.content.rendered = updated.content.rendered.replace('FastAPI has seen explosive growth', 'FastAPI keeps growing')
    fake.on(GUIDE_PATH, (req) =>
      req.headers['if-none-match'] === '"rev-2"' ? { status: 304 } : { body: updated, headers: { etag: '"rev-2"' } },
    )

    const [first] = await guide()
    expect(first).toMatchObject({ status: 'succeeded', rowsWritten: 10 })
    const stored = await sections()
    expect(stored.every((s) => s.origin === 'live')).toBe(true)
    expect(stored.find((s) => s.slug === 'fastapi')!.paragraphs[0]).toMatch(/^<p>FastAPI keeps growing/)
    expect(stored[0]!.post_modified_at.toISOString()).toBe('2026-11-20T08:00:00.000Z')

    const [second] = await guide()
    expect(second).toMatchObject({ status: 'succeeded', rowsWritten: 0, notModified: 1 })
    expect(fake.requests.at(-1)!.headers['if-none-match']).toBe('"rev-2"')
  })

  it.each([
    ['an unreachable site', { status: 502, body: 'Bad gateway' }, /^guide: HTTP 502 Bad Gateway from /],
    ['a body of the wrong shape', { body: { id: 25042, title: 'no rendered' } }, /^guide: unexpected response from .*: link: /],
    ['a post without the numbered sections', { body: { ...post(), content: { rendered: '<p>Moved.</p>' } } }, /no numbered framework sections/],
  ])('%s fails the run and keeps the snapshot', async (_what, response, error) => {
    await loadGuideSnapshot(t.db, t.catalog)
    fake.on(GUIDE_PATH, response)
    const [result] = await guide()
    expect(result!.status).toBe('failed')
    expect(result!.error).toMatch(error)
    const stored = await sections()
    expect(stored).toHaveLength(10)
    expect(stored.every((s) => s.origin === 'snapshot')).toBe(true)
    const run = await t.db.selectFrom('job_runs').selectAll().where('job', '=', 'guide').executeTakeFirstOrThrow()
    expect(run).toMatchObject({ status: 'failed', error: result!.error })
  })
})
