import { readFileSync } from 'node:fs'
import type { MavenOptions } from '../../src/jobs/sources/maven.js'
import type { FakeResponse, FakeUpstream, RecordedRequest } from './fake-upstream.js'

export const text = (path: string): string =>
  readFileSync(new URL(`../fixtures/${path}`, import.meta.url), 'utf8')
export const json = (path: string): unknown => JSON.parse(text(path))

export const SUBJECT = 'org.springframework.boot:spring-boot'
export const SEARCH_PATH = /^\/solrsearch\/select\?(.+)$/
export const METADATA_PATH = /^\/maven2\/org\/springframework\/boot\/spring-boot\/maven-metadata\.xml$/
export const POM_PATH = /^\/maven2\/org\/springframework\/boot\/spring-boot\/([^/]+)\/spring-boot-\1\.pom$/
/** The query the source must send, exactly as maven.md writes it (quoted, encoded). */
export const SPRING_BOOT_Q = 'g:%22org.springframework.boot%22+AND+a:%22spring-boot%22'
/** The fixture pages hold 5 docs each: gav-spring-boot-start-{0,5,10}.json, 13 versions. */
export const PAGE_SIZE = 5
export const PAGE_STARTS = [0, 5, 10]
export const METADATA_ETAG = '"spring-boot-v1"'
export const METADATA_LAST_MODIFIED = 'Thu, 19 Nov 2026 09:58:15 GMT'
/** Upload time of the one version the search index does not have yet (4.1.2). */
export const POM_LAST_MODIFIED = 'Thu, 19 Nov 2026 09:58:12 GMT'

export function mavenOptions(fake: FakeUpstream, more: Partial<MavenOptions> = {}): MavenOptions {
  const urls = { searchUrl: `${fake.url}/solrsearch`, repoUrl: `${fake.url}/maven2` }
  return { ...urls, pageSize: PAGE_SIZE, pageGapMs: 0, ...more }
}

/** The query parameters of a recorded search request. */
export const searchParams = (req: RecordedRequest) => new URLSearchParams(req.path.split('?')[1])

export interface GavBody {
  responseHeader: Record<string, unknown>
  response: { numFound: number; start: number; docs: Array<Record<string, unknown>> }
}

/** A page of the core=gav fixtures, or what Solr answers past the end (no docs). */
export function gavPage(start: number): GavBody {
  if (PAGE_STARTS.includes(start)) return json(`maven/gav-spring-boot-start-${start}.json`) as GavBody
  const last = json('maven/gav-spring-boot-start-10.json') as GavBody
  return { ...last, response: { ...last.response, start, docs: [] } }
}

/** The index after it caught up with newer versions: `docs` first (newest), then the fixtures'. */
export function gavPageWith(docs: Array<{ v: string; timestamp: number }>, start: number): GavBody {
  const fixtures = PAGE_STARTS.flatMap((s) => gavPage(s).response.docs)
  const template = fixtures[0]!
  const newer = docs.map(({ v, timestamp }) => ({ ...template, id: `${SUBJECT}:${v}`, v, timestamp }))
  const all = [...newer, ...fixtures]
  const page = gavPage(0)
  return { ...page, response: { numFound: all.length, start, docs: all.slice(start, start + PAGE_SIZE) } }
}

/** The metadata fixture with more <version> lines appended (versions deployed since). */
export function metadataWith(...versions: string[]): string {
  const extra = versions.map((v) => `      <version>${v}</version>\n`).join('')
  return text('maven/maven-metadata-spring-boot.xml').replace('    </versions>', `${extra}    </versions>`)
}

export interface MavenServe {
  /** The metadata body; by default the fixture. */
  metadata?: string
  /** A new ETag stands for a new deploy: the metadata changed since the first sync. */
  etag?: string
  /** Last-Modified per POM version; absent: the POM is 404, null: sent without the header. */
  poms?: Record<string, string | null>
}

/**
 * A healthy Maven Central on one fake host: Solr under /solrsearch answering only the exact
 * spring-boot core=gav query, the repository under /maven2 honouring If-None-Match and
 * If-Modified-Since on maven-metadata.xml.
 */
export function serveMaven(fake: FakeUpstream, serve: MavenServe = {}): void {
  const { metadata = text('maven/maven-metadata-spring-boot.xml'), etag = METADATA_ETAG } = serve
  const poms = serve.poms ?? { '4.1.2': POM_LAST_MODIFIED }
  fake.on(SEARCH_PATH, (req) => {
    const p = searchParams(req)
    // The raw q, as sent: URLSearchParams would decode it and hide a missing %22.
    const q = req.path.match(/[?&]q=([^&]*)/)![1]
    const expected = q === SPRING_BOOT_Q && p.get('core') === 'gav' && p.get('wt') === 'json'
    const rows = Number(p.get('rows'))
    if (!expected || !(rows > 0)) {
      return { status: 400, body: { error: { msg: `unexpected query ${req.path}`, code: 400 } } }
    }
    // The fixtures' pages hold PAGE_SIZE docs each; another page size gets the same docs re-cut.
    if (rows === PAGE_SIZE) return { body: gavPage(Number(p.get('start'))) }
    const start = Number(p.get('start'))
    const all = PAGE_STARTS.flatMap((s) => gavPage(s).response.docs)
    const first = gavPage(0)
    return { body: { ...first, response: { numFound: all.length, start, docs: all.slice(start, start + rows) } } }
  })
  fake.on(METADATA_PATH, (req) => metadataResponse(req, metadata, etag))
  fake.on(POM_PATH, (_req, m) => {
    const modified = poms[m[1]!]
    if (modified === undefined) return { status: 404, body: '<html><body><h1>404 Not Found</h1></body></html>' }
    const headers = { 'content-type': 'text/xml', ...(modified ? { 'last-modified': modified } : {}) }
    return { headers, body: text('maven/spring-boot-4.1.2.pom') }
  })
}

function metadataResponse(req: RecordedRequest, body: string, etag: string): FakeResponse {
  const headers = { etag, 'last-modified': METADATA_LAST_MODIFIED, 'content-type': 'text/xml' }
  // RFC 9110 §13.1.3: If-Modified-Since counts only when If-None-Match is absent.
  const ifNoneMatch = req.headers['if-none-match']
  const unchanged =
    ifNoneMatch === undefined ? req.headers['if-modified-since'] === METADATA_LAST_MODIFIED : ifNoneMatch === etag
  return unchanged ? { status: 304, headers } : { headers, body }
}
