import { describe, expect, it } from 'vitest'
import type { CatalogEntry } from '../../src/catalog/catalog.js'
import { runSource } from '../../src/jobs/run-source.js'
import { mavenSource, type MavenOptions } from '../../src/jobs/sources/maven.js'
import { dbChecks, ISO_INSTANT, literally } from '../helpers/db-checks.js'
import { useFakeUpstream, type RecordedRequest } from '../helpers/fake-upstream.js'
import {
  gavPage,
  gavPageWith,
  json,
  mavenOptions,
  metadataWith,
  METADATA_ETAG,
  METADATA_LAST_MODIFIED,
  METADATA_PATH,
  POM_LAST_MODIFIED,
  POM_PATH,
  SEARCH_PATH,
  searchParams,
  serveMaven,
  SPRING_BOOT_Q,
  SUBJECT,
} from '../helpers/maven-upstream.js'
import { testConfig, testRunContext } from '../helpers/run-context.js'
import { useTestDatabase } from '../helpers/test-db.js'

const NOW = new Date('2026-11-25T12:00:00Z')
const t = useTestDatabase()
const fake = useFakeUpstream()

type Env = Record<string, string>

function maven(options: Partial<MavenOptions> = {}, env: Env = {}, catalog = t.catalog) {
  const context = testRunContext(t.db, catalog, testConfig(fake.url, env), NOW)
  return runSource(context, mavenSource(mavenOptions(fake, options)))
}

const releases = () =>
  t.db.selectFrom('releases').selectAll().where('source', '=', 'maven').orderBy('published_at').execute()

/** Everything a maven sync stores: releases, the metadata's validators, the POM dates. */
async function snapshot() {
  const rows = await releases()
  return {
    releases: rows.map((r) => [r.version, r.published_at.toISOString(), r.prerelease, r.url]),
    validators: await t.db.selectFrom('http_cache').select(['url', 'etag', 'last_modified']).execute(),
    state: await t.db.selectFrom('source_state').select(['key', 'value']).where('source', '=', 'maven').execute(),
  }
}

const { runsFor } = dbChecks(t)

const BOOT_PATH = '/maven2/org/springframework/boot/spring-boot'
const metadataUrl = () => `${fake.url}${BOOT_PATH}/maven-metadata.xml`
const pomUrl = (v: string) => `${fake.url}${BOOT_PATH}/${v}/spring-boot-${v}.pom`
const searchUrl = (start: number) =>
  `${fake.url}/solrsearch/select?q=${SPRING_BOOT_Q}&core=gav&rows=5&start=${start}&wt=json`
const startOf = (req: RecordedRequest) => Number(searchParams(req).get('start'))
const pomVersion = (req: RecordedRequest) => req.path.match(POM_PATH)![1]
const POM_STATE_KEY = `spring-boot:pom-dates:${SUBJECT}`

describe('maven sync against the fake upstream', () => {
  it('pages through core=gav, dates the version the index lacks by its POM, writes releases only', async () => {
    serveMaven(fake)
    const results = await maven()
    // Maven Central's one signal: releases.
    expect(results).toEqual([
      {
        source: 'maven',
        framework: 'spring-boot',
        status: 'succeeded',
        rowsWritten: 14,
        notModified: 0,
        signals: [{ signal: 'releases', status: 'succeeded', rowsWritten: 14, notModified: 0 }],
      },
    ])

    expect(fake.requests.map((r) => `${fake.url}${r.path}`)).toEqual([
      metadataUrl(),
      searchUrl(0),
      searchUrl(5),
      searchUrl(10),
      pomUrl('4.1.2'),
    ])
    expect(fake.requests.every((r) => /^FrameworkPulse\//.test(String(r.headers['user-agent'])))).toBe(true)

    const rows = await releases()
    expect(rows.map((r) => r.version)).toEqual([
      '1.5.22.RELEASE', '2.3.0.RELEASE', '2.4.0', '2.7.18', '3.4.0', '3.5.0', '4.0.0-M1',
      '4.0.0', '4.1.0-RC1', '4.1.0', '4.2.0-M1', '4.0.9', '4.1.1', '4.1.2',
    ])
    const prereleases = rows.filter((r) => r.prerelease).map((r) => r.version)
    expect(prereleases).toEqual(['4.0.0-M1', '4.1.0-RC1', '4.2.0-M1'])
    const byVersion = Object.fromEntries(rows.map((r) => [r.version, r]))
    // 1787220751000 ms in gav-spring-boot-start-0.json.
    expect(byVersion['4.1.1']).toMatchObject({
      subject: SUBJECT,
      published_at: new Date('2026-08-20T10:12:31.000Z'),
      url: 'https://central.sonatype.com/artifact/org.springframework.boot/spring-boot/4.1.1',
      title: null,
      notes_html: null,
    })
    // Not in the index: the POM's Last-Modified, not the metadata's <lastUpdated> (09:58:14).
    expect(byVersion['4.1.2']!.published_at.toISOString()).toBe('2026-11-19T09:58:12.000Z')
    // Maven Central has no download counts: nothing but releases.
    expect(await t.db.selectFrom('observations').selectAll().execute()).toEqual([])

    const stored = await snapshot()
    expect(stored.validators).toEqual([
      { url: metadataUrl(), etag: METADATA_ETAG, last_modified: METADATA_LAST_MODIFIED },
    ])
    expect(stored.state).toEqual([{ key: POM_STATE_KEY, value: { '4.1.2': '2026-11-19T09:58:12.000Z' } }])
    const [run] = await runsFor('spring-boot')
    expect(run).toMatchObject({ job: 'maven', status: 'succeeded', rows_written: 14, not_modified: 0 })
    expect(run!.error).toBeNull()
  })

  it('a second sync asks for the metadata conditionally, counts the 304, leaves the index alone', async () => {
    serveMaven(fake)
    await maven()
    const before = await snapshot()
    fake.reset()
    serveMaven(fake)

    const [second] = await maven()
    expect(second).toMatchObject({ status: 'succeeded', rowsWritten: 0, notModified: 1 })
    expect(fake.requests).toHaveLength(1)
    expect(fake.requests[0]!.headers).toMatchObject({
      'if-none-match': METADATA_ETAG,
      'if-modified-since': METADATA_LAST_MODIFIED,
    })
    expect(await snapshot()).toEqual(before)
    const runs = await runsFor('spring-boot')
    expect(runs.map((r) => [r.status, r.rows_written, r.not_modified])).toEqual([
      ['succeeded', 14, 0],
      ['succeeded', 0, 1],
    ])
  })

  it('changed metadata pages the index again but never reads a POM twice', async () => {
    serveMaven(fake)
    await maven()
    const before = await snapshot()
    fake.reset()
    serveMaven(fake, { etag: '"spring-boot-v2"' })

    const [second] = await maven()
    expect(second).toMatchObject({ status: 'succeeded', rowsWritten: 0, notModified: 0 })
    expect(fake.requestsTo(SEARCH_PATH)).toHaveLength(3)
    expect(fake.requestsTo(POM_PATH)).toHaveLength(0)
    expect((await snapshot()).releases).toEqual(before.releases)
  })

  it('pauses between index pages, as maven.md advises against bans', async () => {
    serveMaven(fake)
    const started = Date.now()
    await maven({ pageGapMs: 250 })
    // Three pages, two pauses.
    expect(Date.now() - started).toBeGreaterThanOrEqual(500)
  })

  it('once the index has a version dated by its POM, the index’s timestamp replaces it', async () => {
    serveMaven(fake)
    await maven()
    fake.reset()
    serveMaven(fake, { etag: '"spring-boot-v2"' })
    const indexed = [{ v: '4.1.2', timestamp: Date.parse('2026-11-19T09:58:09Z') }]
    fake.on(SEARCH_PATH, (req) => ({ body: gavPageWith(indexed, startOf(req)) }))

    const [second] = await maven()
    expect(second).toMatchObject({ status: 'succeeded', rowsWritten: 1 })
    expect(fake.requestsTo(SEARCH_PATH).map(startOf)).toEqual([0, 5, 10])
    const latest = (await releases()).at(-1)!
    expect([latest.version, latest.published_at.toISOString()]).toEqual(['4.1.2', '2026-11-19T09:58:09.000Z'])
  })

  it('reads at most pomLookups POMs a run, newest first, and stays unconditional until done', async () => {
    serveMaven(fake, {
      metadata: metadataWith('4.1.3', '4.2.0-M2'),
      poms: {
        '4.1.2': POM_LAST_MODIFIED,
        '4.1.3': 'Mon, 23 Nov 2026 10:00:00 GMT',
        '4.2.0-M2': 'Tue, 24 Nov 2026 10:00:00 GMT',
      },
    })
    const [first] = await maven({ pomLookups: 2 })
    expect(first).toMatchObject({ status: 'succeeded', rowsWritten: 15 })
    expect(fake.requestsTo(POM_PATH).map(pomVersion)).toEqual(['4.2.0-M2', '4.1.3'])
    // One version is still undated, so no validators: the next run must not be answered 304.
    expect(await t.db.selectFrom('http_cache').selectAll().execute()).toEqual([])

    fake.requests.length = 0
    const [second] = await maven({ pomLookups: 2 })
    expect(second).toMatchObject({ status: 'succeeded', rowsWritten: 1, notModified: 0 })
    expect(fake.requestsTo(METADATA_PATH)[0]!.headers['if-none-match']).toBeUndefined()
    expect(fake.requestsTo(POM_PATH).map(pomVersion)).toEqual(['4.1.2'])
    expect((await releases()).map((r) => r.version).slice(-3)).toEqual(['4.1.2', '4.1.3', '4.2.0-M2'])
    const validators = await t.db.selectFrom('http_cache').select('etag').execute()
    expect(validators).toEqual([{ etag: METADATA_ETAG }])
  })

  it('never invents a date: a version neither indexed nor with a POM Last-Modified is left out', async () => {
    serveMaven(fake, { poms: { '4.1.2': null } })
    const [result] = await maven()
    expect(result).toMatchObject({ status: 'succeeded', rowsWritten: 13 })
    expect((await releases()).map((r) => r.version)).not.toContain('4.1.2')
    const { state, validators } = await snapshot()
    // Remembered as undatable, so its POM is not read on every run.
    expect(state).toEqual([{ key: POM_STATE_KEY, value: { '4.1.2': null } }])
    expect(validators).toHaveLength(1)
  })

  it('records a 404 for an unknown artifact, and asks the index nothing', async () => {
    serveMaven(fake)
    const nope = 'org.springframework.boot:spring-boot-nope'
    const catalog: CatalogEntry[] = t.catalog.map((f) =>
      f.slug === 'spring-boot' ? { ...f, packages: { maven: [nope] } } : f,
    )
    const [result] = await maven({}, {}, catalog)
    expect(result!.status).toBe('failed')
    const url = `${fake.url}/maven2/org/springframework/boot/spring-boot-nope/maven-metadata.xml`
    expect(result!.error).toBe(`maven / spring-boot: HTTP 404 Not Found from ${url}`)
    expect(fake.requestsTo(SEARCH_PATH)).toHaveLength(0)
    const [run] = await runsFor('spring-boot')
    expect(run).toMatchObject({ status: 'failed', error: result!.error, rows_written: 0 })
  })

  it('names a catalog entry that is not group:artifact, before any request', async () => {
    const catalog: CatalogEntry[] = t.catalog.map((f) =>
      f.slug === 'spring-boot' ? { ...f, packages: { maven: ['spring-boot'] } } : f,
    )
    const [result] = await maven({}, {}, catalog)
    expect(result!.error).toBe('maven / spring-boot: catalog: packages.maven: "spring-boot" is not "group:artifact"')
    expect(fake.requests).toHaveLength(0)
  })

  describe('a broken upstream leaves earlier data untouched', () => {
    /** A first good sync, then a changed metadata ETag so the next run reads everything again. */
    async function withEarlierData() {
      serveMaven(fake)
      await maven()
      fake.reset()
      serveMaven(fake, { etag: '"spring-boot-v2"' })
      return snapshot()
    }

    /** The run failed with `error`, and its job_runs row says so. */
    async function expectFailure(error: string | RegExp): Promise<string> {
      const [result] = await maven({}, { HTTP_TIMEOUT_MS: '300', HTTP_RETRIES: '1' })
      expect(result!.status).toBe('failed')
      if (typeof error === 'string') expect(result!.error).toBe(error)
      else expect(result!.error).toMatch(error)
      const runs = await runsFor('spring-boot')
      expect(runs.at(-1)).toMatchObject({ status: 'failed', error: result!.error, rows_written: 0 })
      return result!.error!
    }

    it('a 429 with a long Retry-After on the repository stops with "rate limited until"', async () => {
      const before = await withEarlierData()
      const headers = { 'retry-after': '3600', 'content-type': 'text/plain' }
      fake.on(METADATA_PATH, { status: 429, headers, body: 'Too Many Requests' })
      const where = literally(`(${metadataUrl()})`)
      await expectFailure(new RegExp(`^maven / spring-boot: rate limited until ${ISO_INSTANT} ${where}$`))
      expect(fake.requestsTo(METADATA_PATH)).toHaveLength(1)
      expect(await snapshot()).toEqual(before)
    })

    it('a 429 with a short Retry-After on the index is waited out', async () => {
      await withEarlierData()
      const tooMany = { status: 429, headers: { 'retry-after': '0' } }
      fake.on(SEARCH_PATH, tooMany, (req) => ({ body: gavPage(startOf(req)) }))
      const [result] = await maven()
      expect(result).toMatchObject({ status: 'succeeded', rowsWritten: 0 })
      expect(fake.requestsTo(SEARCH_PATH).map(startOf)).toEqual([0, 0, 5, 10])
    })

    it('a 504 from the index (maven.md) is retried, then succeeds', async () => {
      const before = await withEarlierData()
      let failed = false
      fake.on(SEARCH_PATH, (req) => {
        if (startOf(req) !== 5 || failed) return { body: gavPage(startOf(req)) }
        failed = true
        const body = '<html><body><h1>504 Gateway Time-out</h1></body></html>'
        return { status: 504, headers: { 'content-type': 'text/html' }, body }
      })
      const [result] = await maven()
      expect(result).toMatchObject({ status: 'succeeded', rowsWritten: 0 })
      expect(fake.requestsTo(SEARCH_PATH).map(startOf)).toEqual([0, 5, 5, 10])
      expect((await snapshot()).releases).toEqual(before.releases)
      const validators = await t.db.selectFrom('http_cache').select('etag').execute()
      expect(validators).toEqual([{ etag: '"spring-boot-v2"' }])
    })

    it('a 500 that persists fails after the retries', async () => {
      const before = await withEarlierData()
      fake.on(SEARCH_PATH, { status: 500, body: 'Internal Server Error' })
      await expectFailure(`maven / spring-boot: HTTP 500 Internal Server Error from ${searchUrl(0)}`)
      expect(fake.requestsTo(SEARCH_PATH)).toHaveLength(2)
      expect(await snapshot()).toEqual(before)
    })

    it('a hung index page times out (maven.md: silent read timeouts)', async () => {
      const before = await withEarlierData()
      fake.on(SEARCH_PATH, (req) => (startOf(req) === 10 ? { hang: true } : { body: gavPage(startOf(req)) }))
      await expectFailure(`maven / spring-boot: request to ${searchUrl(10)} failed: timed out`)
      expect(await snapshot()).toEqual(before)
    })

    it('malformed XML metadata', async () => {
      const before = await withEarlierData()
      const truncated = '<?xml version="1.0"?>\n<metadata>\n  <groupId>org.springframework.boot</groupId>\n  <versioning>'
      fake.on(METADATA_PATH, { headers: { 'content-type': 'text/xml' }, body: truncated })
      const detail = '\\(body\\): malformed XML: .+ \\(line \\d+\\)'
      await expectFailure(new RegExp(`^maven / spring-boot: ${literally(metadataUrl())}: ${detail}$`))
      expect(fake.requestsTo(SEARCH_PATH)).toHaveLength(0)
      expect(await snapshot()).toEqual(before)
    })

    it('malformed JSON from the index', async () => {
      const before = await withEarlierData()
      const truncated = '{"responseHeader":{"status":0},"response":{"numFound":13,'
      fake.on(SEARCH_PATH, { headers: { 'content-type': 'application/json' }, body: truncated })
      await expectFailure(new RegExp(`^maven / spring-boot: malformed JSON from ${literally(searchUrl(0))}: `))
      expect(await snapshot()).toEqual(before)
    })

    it('valid JSON of the wrong shape names the failing field', async () => {
      const before = await withEarlierData()
      fake.on(SEARCH_PATH, (req) => {
        const page = gavPage(startOf(req))
        page.response.docs[2] = { ...page.response.docs[2], timestamp: '2026-07-16T13:27:48Z' }
        return { body: page }
      })
      const prefix = `maven / spring-boot: unexpected response from ${searchUrl(0)}: `
      const error = await expectFailure(new RegExp(`^${literally(prefix)}`))
      expect(error).toMatch(/: response\.docs\[2\]\.timestamp: Invalid input: expected number, received string$/)
      expect(await snapshot()).toEqual(before)
    })

    it('timestamps in seconds, not milliseconds, are refused rather than stored as 1970', async () => {
      const before = await withEarlierData()
      fake.on(SEARCH_PATH, (req) => {
        const page = gavPage(startOf(req))
        page.response.docs = page.response.docs.map((d) => ({ ...d, timestamp: Number(d.timestamp) / 1000 }))
        return { body: page }
      })
      const error = await expectFailure(/unexpected response from /)
      expect(error).toMatch(/: response\.docs\[0\]\.timestamp: must be epoch milliseconds$/)
      expect(await snapshot()).toEqual(before)
    })

    it('an answer about another artifact (the default core instead of core=gav) is refused', async () => {
      const before = await withEarlierData()
      fake.on(SEARCH_PATH, { body: json('maven/search-ga-plexus-utils.json') })
      const error = await expectFailure(/unexpected response from /)
      expect(error).toMatch(/: response\.docs\[0\]\.g: Invalid input: expected "org\.springframework\.boot"$/)
      expect(await snapshot()).toEqual(before)
    })

    it('metadata for another artifact names metadata.artifactId', async () => {
      const before = await withEarlierData()
      const other = metadataWith().replace('<artifactId>spring-boot<', '<artifactId>spring-boot-starter<')
      fake.on(METADATA_PATH, { body: other })
      await expectFailure(
        `maven / spring-boot: ${metadataUrl()}: metadata.artifactId: Invalid input: expected "spring-boot"`,
      )
      expect(await snapshot()).toEqual(before)
    })

    it('metadata without versions names metadata.versioning.versions', async () => {
      const before = await withEarlierData()
      fake.on(METADATA_PATH, { body: metadataWith().replace(/<versions>[\s\S]*<\/versions>/, '<versions/>') })
      const prefix = `maven / spring-boot: ${metadataUrl()}: metadata.versioning.versions: `
      await expectFailure(new RegExp(`^${literally(prefix)}`))
      expect(await snapshot()).toEqual(before)
    })

    it('an index that ignores start is caught instead of looping', async () => {
      const before = await withEarlierData()
      fake.on(SEARCH_PATH, { body: gavPage(0) })
      await expectFailure(`maven / spring-boot: ${searchUrl(5)}: response.start: expected 5, got 0`)
      expect(await snapshot()).toEqual(before)
    })

    it('a page with no docs before numFound is caught instead of looping', async () => {
      const before = await withEarlierData()
      fake.on(SEARCH_PATH, (req) => {
        const page = gavPage(startOf(req))
        if (startOf(req) === 5) page.response.docs = []
        return { body: page }
      })
      await expectFailure(`maven / spring-boot: ${searchUrl(5)}: response.docs: empty before numFound (13)`)
      expect(await snapshot()).toEqual(before)
    })

    it('a POM that fails to load fails the run: nothing half-dated is stored', async () => {
      const before = await withEarlierData()
      // Forget the POM date, so the run has to read the POM again.
      await t.db.deleteFrom('source_state').execute()
      fake.on(POM_PATH, { status: 404, body: 'Not Found' })
      await expectFailure(`maven / spring-boot: HTTP 404 Not Found from ${pomUrl('4.1.2')}`)
      const after = await snapshot()
      expect(after.releases).toEqual(before.releases)
      expect(after.validators).toEqual(before.validators)
    })
  })
})
