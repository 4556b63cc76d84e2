import { z } from 'zod'
import { addDays, laterDay, splitSpan } from '../../days.js'
import { getJsonIfModified } from './conditional.js'
import {
  packageSource,
  type Collected,
  type ObservationDraft,
  type ReleaseDraft,
  type Source,
  type SourceContext,
} from './source.js'
import { isoDay } from './shapes.js'
import { isPrerelease } from '../../versions.js'

export interface NpmOptions {
  apiUrl: string
  registryUrl: string
  backfillDays: number
}

// Shapes from npm/registry docs/download-counts.md and docs/responses/package-metadata.md.
export const npmRangeSchema = z.object({
  start: isoDay,
  end: isoDay,
  package: z.string(),
  downloads: z.array(z.object({ day: isoDay, downloads: z.number().int().nonnegative() })),
})
export type NpmRange = z.infer<typeof npmRangeSchema>

export const packumentSchema = z.object({
  name: z.string(),
  versions: z.record(z.string(), z.unknown()),
  time: z.record(z.string(), z.iso.datetime({ offset: true })),
})
export type Packument = z.infer<typeof packumentSchema>

// The downloads API's earliest day with data (download-counts.md).
const FIRST_DAY = '2015-01-10'
// "All other queries are capped at 18 months of data"; 540 days stays inside any 18 months.
const MAX_SPAN_DAYS = 540
// npm may publish a day's count late or revise it: re-read the last few stored days each run.
const REFETCH_DAYS = 3

/** `@scope/name` → `@scope%2Fname`, the encoding the registry documents for scoped packages. */
export function encodePackage(name: string): string {
  return name.startsWith('@') ? `@${encodeURIComponent(name.slice(1))}` : encodeURIComponent(name)
}

export function toDownloadObservations(body: NpmRange, subject: string): ObservationDraft[] {
  return body.downloads.map((d) => ({ subject, metric: 'downloads', day: d.day, value: d.downloads }))
}

export function toReleases(body: Packument, subject: string): ReleaseDraft[] {
  return Object.keys(body.versions)
    .filter((version) => body.time[version] !== undefined)
    .map((version) => ({
      subject,
      version,
      published_at: body.time[version]!,
      prerelease: isPrerelease('npm', version),
      url: `https://www.npmjs.com/package/${body.name}/v/${version}`,
      title: null,
      notes_html: null,
    }))
}

export function npmSource(options: NpmOptions): Source {
  // Two hosts (api.npmjs.org, registry.npmjs.org): either may be down while the other answers.
  return packageSource('npm', {
    downloads: (pkg, framework, ctx, out) => collectDownloads(pkg, framework.slug, ctx, options, out),
    releases: (pkg, framework, ctx, out) => collectReleases(pkg, framework.slug, ctx, options, out),
  })
}

async function collectDownloads(pkg: string, slug: string, ctx: SourceContext, o: NpmOptions, out: Collected) {
  const latest = ctx.backfill ? null : await ctx.latestDay(pkg, 'downloads')
  const from = latest ? addDays(latest, -REFETCH_DAYS) : laterDay(FIRST_DAY, addDays(ctx.today, -o.backfillDays))
  // Today's count is never final; npm publishes a day soon after it ends (UTC).
  const to = addDays(ctx.today, -1)
  for (const [start, end] of splitSpan(from, to, MAX_SPAN_DAYS)) {
    const url = `${o.apiUrl}/downloads/range/${start}:${end}/${encodePackage(pkg)}`
    const result = await ctx.http.getJson({ url, schema: npmRangeSchema, framework: slug })
    if (result.notModified) continue
    out.observations.push(...toDownloadObservations(result.body, pkg))
  }
}

async function collectReleases(pkg: string, slug: string, ctx: SourceContext, o: NpmOptions, out: Collected) {
  const url = `${o.registryUrl}/${encodePackage(pkg)}`
  const body = await getJsonIfModified(ctx, out, { url, schema: packumentSchema, framework: slug })
  if (body !== null) out.releases.push(...toReleases(body, pkg))
}

