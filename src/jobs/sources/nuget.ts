import { z } from 'zod'
import type { CatalogEntry } from '../../catalog/catalog.js'
import { SourceError } from '../errors.js'
import { getJsonIfModified } from './conditional.js'
import { totalAndDaily } from './daily-from-totals.js'
import {
  emptyCollected,
  type Collected,
  type ReleaseDraft,
  type Source,
  type SourceContext,
} from './source.js'
import { isPrerelease } from '../../versions.js'

export interface NuGetOptions {
  /** NUGET_URL: the V3 service index; every other URL is discovered from it (nuget.md). */
  serviceIndexUrl: string
}

// Shapes from nuget.md and docs/api/{service-index,search-query-service-resource,
// registration-base-url-resource}.md: only what we read.
export const serviceIndexSchema = z.object({
  version: z.string(),
  resources: z.array(z.object({ '@id': z.string().min(1), '@type': z.string() })),
})
export type ServiceIndex = z.infer<typeof serviceIndexSchema>

export const searchSchema = z.object({
  totalHits: z.number().int().nonnegative(),
  data: z.array(z.object({ id: z.string(), totalDownloads: z.number().int().nonnegative() })),
})
export type SearchResult = z.infer<typeof searchSchema>

const leafSchema = z.object({
  catalogEntry: z.object({
    version: z.string().min(1),
    // Optional in the docs' schema; nuget.org sets it to 1900 for unlisted versions (nuget.md).
    published: z.iso.datetime({ offset: true }).optional(),
    // "`listed` may be absent; if so, treat it as true" (nuget.md).
    listed: z.boolean().optional(),
  }),
})
export type RegistrationLeaf = z.infer<typeof leafSchema>

export const registrationIndexSchema = z.object({
  items: z.array(
    // A page links its leaves or inlines them: "Always check whether `items` is there" (nuget.md).
    z.object({ '@id': z.string().min(1), items: z.array(leafSchema).optional() }),
  ),
})
export type RegistrationIndex = z.infer<typeof registrationIndexSchema>

export const pageSchema = z.object({ items: z.array(leafSchema) })

// -beta and -rc are aliases of the plain type, and 3.5.0 only adds packageType, "fully backwards
// compatible" (search-query-service-resource.md): any will do; the newest first, deterministically.
const SEARCH_TYPES = [
  'SearchQueryService/3.5.0',
  'SearchQueryService/3.0.0-rc',
  'SearchQueryService/3.0.0-beta',
  'SearchQueryService',
]
// Only these hives "include SemVer 2.0.0 packages" (nuget.md); the plain, 3.0.0-* and 3.4.0 ones
// leave out versions such as ASP.NET Core's 10.0.0-rc.2.25502.107 (dotted pre-release labels).
const REGISTRATION_TYPES = ['RegistrationsBaseUrl/3.6.0', 'RegistrationsBaseUrl/Versioned']

export interface Resources {
  search: string
  registrations: string
}

/** The first resource of the most preferred type; the primary search region is listed first. */
export function resolveResources(index: ServiceIndex, indexUrl: string, slug: string): Resources {
  const find = (types: string[]) => {
    for (const type of types) {
      const found = index.resources.find((r) => r['@type'] === type)
      if (found) return found['@id']
    }
    throw new SourceError('nuget', slug, `${indexUrl}: resources: no ${types.join(' or ')}`)
  }
  return { search: find(SEARCH_TYPES), registrations: find(REGISTRATION_TYPES) }
}

/** LOWER_ID is the ID through .NET's ToLowerInvariant(); NuGet IDs are ASCII. */
export function registrationIndexUrl(base: string, id: string): string {
  return `${base.replace(/\/?$/, '/')}${encodeURIComponent(id.toLowerCase())}/index.json`
}

export function searchUrl(base: string, id: string): string {
  const url = new URL(base)
  // An exact ID match, counting prerelease and SemVer 2 versions too (nuget.md).
  url.searchParams.set('q', `packageid:${id}`)
  url.searchParams.set('prerelease', 'true')
  url.searchParams.set('semVerLevel', '2.0.0')
  return url.toString()
}

export function totalDownloads(body: SearchResult, id: string, url: string, slug: string): number {
  const hit = body.data.find((d) => d.id.toLowerCase() === id.toLowerCase())
  if (!hit) throw new SourceError('nuget', slug, `${url}: data: no package with id "${id}"`)
  return hit.totalDownloads
}

/**
 * Listed versions only: "published is set to year 1900 when the package is unlisted", so such a
 * date means unlisted, not 1900 (nuget.md). Build metadata is dropped from the version: SemVer
 * §10 ignores it and NuGet treats 3.12.0+build-632 as 3.12.0 (its leaf is 3.12.0.json).
 */
export function toReleases(leaves: RegistrationLeaf[], id: string): ReleaseDraft[] {
  const byVersion = new Map<string, ReleaseDraft>()
  for (const { catalogEntry: entry } of leaves) {
    const published = entry.published
    if (entry.listed === false || !published || published.startsWith('1900-')) continue
    const version = entry.version.split('+')[0]!
    byVersion.set(version, {
      subject: id,
      version,
      published_at: published,
      prerelease: isPrerelease('nuget', version),
      url: `https://www.nuget.org/packages/${id}/${version}`,
      title: null,
      notes_html: null,
    })
  }
  return [...byVersion.values()]
}

export function nugetSource(options: NuGetOptions): Source {
  // Each signal reads the service index itself: a search service that is down (downloads) then
  // costs no releases, which come from the registration blobs on another host.
  const signal = (collectId: (id: string, resources: Resources, run: Run) => Promise<void>) => {
    return async (framework: CatalogEntry, ctx: SourceContext): Promise<Collected> => {
      const run: Run = { slug: framework.slug, ctx, out: emptyCollected() }
      const ids = framework.packages.nuget ?? []
      if (ids.length === 0) return run.out
      // Unconditional: without its body (a 304) there would be no URLs to follow.
      const url = options.serviceIndexUrl
      const index = await ctx.http.getJson({ url, schema: serviceIndexSchema, framework: run.slug })
      if (index.notModified) return run.out
      const resources = resolveResources(index.body, url, run.slug)
      for (const id of ids) await collectId(id, resources, run)
      return run.out
    }
  }
  return {
    name: 'nuget',
    subjects: (framework) => framework.packages.nuget ?? [],
    signals: [
      { name: 'releases', collect: signal((id, resources, run) => collectReleases(id, resources.registrations, run)) },
      { name: 'downloads', collect: signal((id, resources, run) => collectTotal(id, resources.search, run)) },
    ],
  }
}

/** What every request of one collect() shares. */
interface Run {
  slug: string
  ctx: SourceContext
  out: Collected
}

async function collectTotal(id: string, search: string, { slug, ctx, out }: Run) {
  // Search is "the only V3 source of download counts" and moves all day: never conditional.
  const url = searchUrl(search, id)
  const result = await ctx.http.getJson({ url, schema: searchSchema, framework: slug })
  if (result.notModified) return
  const total = totalDownloads(result.body, id, url, slug)
  const previous = await ctx.latestObservation(id, 'downloads_total')
  out.observations.push(...totalAndDaily(id, total, ctx.today, previous))
}

async function collectReleases(id: string, registrations: string, run: Run) {
  // Registration files are static blobs on a CDN, expected (not verified, nuget.md) to send ETag
  // and Last-Modified; without them the requests are simply unconditional.
  const url = registrationIndexUrl(registrations, id)
  const index = await getJsonIfModified(run.ctx, run.out, {
    url,
    schema: registrationIndexSchema,
    framework: run.slug,
  })
  // An unchanged index means unchanged pages: each page's commitId is listed in the index.
  if (!index) return
  const leaves: RegistrationLeaf[] = []
  for (const page of index.items) {
    // Fetch a page only when not inlined, by its @id; never built from lower/upper (nuget.md).
    const items = page.items ?? (await fetchPage(page['@id'], run))?.items
    if (items) leaves.push(...items)
  }
  run.out.releases.push(...toReleases(leaves, id))
}

function fetchPage(url: string, { ctx, out, slug }: Run) {
  return getJsonIfModified(ctx, out, { url, schema: pageSchema, framework: slug })
}
