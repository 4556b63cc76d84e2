import { setTimeout as sleep } from 'node:timers/promises'
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { z } from 'zod'
import { SourceError } from '../errors.js'
import { formatPath } from '../http.js'
import { getTextIfModified } from './conditional.js'
import {
  packageSource,
  type Collected,
  type ReleaseDraft,
  type Source,
  type SourceContext,
} from './source.js'
import { isPrerelease } from '../../versions.js'

export interface MavenOptions {
  /** Solr search base: central.sonatype.com, as search.maven.org froze in 2025 (maven.md). */
  searchUrl: string
  /** Repository base, e.g. https://repo1.maven.org/maven2 */
  repoUrl: string
  /** Solr `rows` per page: Central answers 400 to 1000, and 989 is the most that works. */
  pageSize?: number
  /** Pause between search pages: maven.md advises ~5 s, as heavy users get banned by IP. */
  pageGapMs?: number
  /** POMs read per run to date versions the index lacks; the rest wait for the next run. */
  pomLookups?: number
}

export type Coordinates = { group: string; artifact: string }

// Shapes from maven.md (core=gav: one doc per version, `timestamp` in epoch ms) and the
// repository metadata format (<metadata><groupId/><artifactId/><versioning><versions>…), both
// bound to the artifact asked for: another artifact's answer means a broken query or path.
export const gavPageSchema = (c: Coordinates) =>
  z.object({
    response: z.object({
      numFound: z.number().int().nonnegative(),
      start: z.number().int().nonnegative(),
      docs: z.array(
        z.object({
          g: z.literal(c.group),
          a: z.literal(c.artifact),
          v: z.string().min(1),
          // Seconds or microseconds land in 1970 or far ahead; nothing on Central predates 2000.
          timestamp: z.number().int().min(Date.UTC(2000, 0, 1), MS).max(Date.UTC(2100, 0, 1), MS),
        }),
      ),
    }),
  })
export type GavPage = z.infer<ReturnType<typeof gavPageSchema>>

export const metadataSchema = (c: Coordinates) =>
  z.object({
    metadata: z.object({
      groupId: z.literal(c.group),
      artifactId: z.literal(c.artifact),
      versioning: z.object({ versions: z.object({ version: z.array(z.string().min(1)).min(1) }) }),
    }),
  })

// Dates read from POMs' Last-Modified, kept so each POM is read once; null: it had none.
const pomDatesSchema = z.record(z.string(), z.iso.datetime().nullable())

const xml = new XMLParser({
  // Values stay strings: otherwise <version>1.10</version> would become the number 1.1.
  parseTagValue: false,
  isArray: (_tag, path) => path === 'metadata.versioning.versions.version',
})
const DEFAULTS = { pageSize: 200, pageGapMs: 5_000, pomLookups: 25 }
type Settings = Required<MavenOptions>
const MAX_ROWS = 989
const MS = 'must be epoch milliseconds'

const fail = (slug: string, at: string, detail: string) => new SourceError('maven', slug, `${at}: ${detail}`)

/** `group:artifact` from the catalog; anything else is a catalog mistake worth naming. */
export function parseCoordinates(subject: string, slug: string): Coordinates {
  const [group, artifact, ...rest] = subject.split(':')
  if (group && artifact && rest.length === 0) return { group, artifact }
  throw fail(slug, 'catalog', `packages.maven: "${subject}" is not "group:artifact"`)
}

/** A file of the artifact in the repository layout: the group's dots become folders. */
export const repoFile = (repo: string, c: Coordinates, file: string) =>
  `${repo}/${c.group.replaceAll('.', '/')}/${c.artifact}/${file}`

// Values quoted and encoded (maven.md gotcha 4): q=g:%22org.springframework%22+AND+a:%22…%22
export function searchUrl(base: string, c: Coordinates, rows: number, start: number): string {
  const q = `g:${encodeURIComponent(`"${c.group}"`)}+AND+a:${encodeURIComponent(`"${c.artifact}"`)}`
  return `${base}/select?q=${q}&core=gav&rows=${Math.min(rows, MAX_ROWS)}&start=${start}&wt=json`
}

export const artifactPage = (c: Coordinates, version: string) =>
  `https://central.sonatype.com/artifact/${c.group}/${c.artifact}/${version}`

/** The metadata's versions, or a SourceError naming the URL and the failing field. */
export function parseMetadata(text: string, c: Coordinates, url: string, slug: string): string[] {
  // XMLValidator is deprecated for fast-xml-validator, which is not a dependency here.
  const valid = XMLValidator.validate(text)
  if (valid !== true) throw fail(slug, url, `(body): malformed XML: ${valid.err.msg} (line ${valid.err.line})`)
  const parsed = metadataSchema(c).safeParse(xml.parse(text))
  if (parsed.success) return parsed.data.metadata.versioning.versions.version
  const issue = parsed.error.issues[0]!
  throw fail(slug, url, `${formatPath(issue.path) || '(body)'}: ${issue.message}`)
}

/** Upload time per version on one core=gav page. */
export function searchDates(page: GavPage): Map<string, string> {
  return new Map(page.response.docs.map((doc) => [doc.v, new Date(doc.timestamp).toISOString()]))
}

/**
 * The metadata's versions (the authoritative list) and any only the index knows, each with its
 * date. A version without one is left out: a date is never invented, and <lastUpdated> belongs
 * to whichever deploy came last, not to <release> (renovate#35079 turned that idea down too).
 */
export function toReleases(c: Coordinates, versions: string[], dates: Map<string, string>): ReleaseDraft[] {
  const subject = `${c.group}:${c.artifact}`
  return [...new Set([...versions, ...dates.keys()])].flatMap((version) => {
    const published_at = dates.get(version)
    if (!published_at) return []
    const release = { subject, version, published_at, url: artifactPage(c, version) }
    return [{ ...release, prerelease: isPrerelease('maven', version), title: null, notes_html: null }]
  })
}

export function mavenSource(options: MavenOptions): Source {
  const o = { ...DEFAULTS, ...options }
  // Central publishes no download counts (maven.md gotcha 2): releases only.
  return packageSource('maven', {
    releases: (subject, framework, ctx, out) => collectArtifact(parseCoordinates(subject, framework.slug), framework.slug, ctx, o, out),
  })
}

async function collectArtifact(c: Coordinates, slug: string, ctx: SourceContext, o: Settings, out: Collected) {
  const url = repoFile(o.repoUrl, c, 'maven-metadata.xml')
  const meta = await getTextIfModified(ctx, out, { url, framework: slug })
  // Unchanged metadata: nothing was deployed, so the search index is not asked at all.
  if (meta === null) return
  const versions = parseMetadata(meta, c, url, slug)
  const searched = await searchAll(c, slug, ctx, o)
  const key = `pom-dates:${c.group}:${c.artifact}`
  const poms = { ...pomDatesSchema.catch({}).parse(await ctx.state(key)) }
  // Missing from the index: lag, or core=gav misses (maven.md gotcha 3). Newest (last) first.
  const undated = versions.filter((v) => !searched.has(v) && !(v in poms)).reverse()
  for (const v of undated.slice(0, o.pomLookups)) {
    // A POM's Last-Modified is its upload time: Renovate dates Maven releases so (renovate#9795).
    const pomUrl = repoFile(o.repoUrl, c, `${v}/${c.artifact}-${v}.pom`)
    const pom = await ctx.http.getText({ url: pomUrl, framework: slug })
    const modified = Date.parse((!pom.notModified && pom.validators.lastModified) || '')
    poms[v] = Number.isNaN(modified) ? null : new Date(modified).toISOString()
  }
  if (undated.length > 0) out.state.set(key, poms)
  const fromPoms = Object.entries(poms).filter((e): e is [string, string] => e[1] !== null)
  // The index's timestamp, recorded by Central at upload, wins over a file header.
  out.releases.push(...toReleases(c, versions, new Map([...fromPoms, ...searched])))
  // Versions still to look up: no validators, so the next run gets no 304 and reaches them.
  if (undated.length > o.pomLookups) out.validators.delete(url)
}

// core=gav sends no ETag (maven.md): every page is read again whenever the metadata changed.
async function searchAll(c: Coordinates, slug: string, ctx: SourceContext, o: Settings) {
  const dates = new Map<string, string>()
  const schema = gavPageSchema(c)
  for (let start = 0; ; await sleep(o.pageGapMs)) {
    const url = searchUrl(o.searchUrl, c, o.pageSize, start)
    const page = await ctx.http.getJson({ url, schema, framework: slug })
    if (page.notModified) throw fail(slug, url, '304 to an unconditional request')
    const { numFound, start: served, docs } = page.body.response
    if (served !== start) throw fail(slug, url, `response.start: expected ${start}, got ${served}`)
    // The index may shift while we page (newest first), so a version can show up twice.
    for (const [v, at] of searchDates(page.body)) if (!dates.has(v)) dates.set(v, at)
    start += docs.length
    if (start >= numFound) return dates
    if (docs.length === 0) throw fail(slug, url, `response.docs: empty before numFound (${numFound})`)
  }
}
