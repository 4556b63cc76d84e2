import { z } from 'zod'
import { addDays } from '../../days.js'
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
import { composerStability } from '../../versions.js'

export interface PackagistOptions {
  /** packagist.org: download statistics, and p2 metadata unless `repoUrl` is given. */
  baseUrl: string
  /** p2 host: the apidoc names repo.packagist.org; packagist.org serves /p2/ as well. */
  repoUrl?: string
}

/**
 * stats/all.json (PackageController::overallStatsAction, packagist.md). Only `average: daily`
 * labels are days: a weekly or monthly value is its bucket's mean per day (`ceil(sum/count)`), no
 * day's count, so it is refused rather than spread over days.
 */
export function statsSchema(name: string) {
  // With `from` after `to` (a package under two days old) the server sends a placeholder, labels
  // [today] and values [[0]], the only time `values` is a list: it means no days at all.
  const noDays = (body: unknown) => {
    const placeholder = Array.isArray((body as { values?: unknown } | null)?.values)
    return placeholder ? { ...(body as object), labels: [], values: { [name]: [] } } : body
  }
  const stats = z.object({
    labels: z.array(isoDay),
    values: z.object({ [name]: z.array(z.number().int().nonnegative()) }),
    average: z.literal('daily'),
  })
  return z.preprocess(noDays, stats).superRefine((body, ctx) => {
    const count = body.values[name]!.length
    if (count !== body.labels.length) {
      const message = `${count} values for ${body.labels.length} labels`
      ctx.addIssue({ code: 'custom', path: ['values', name], message })
    }
    if (new Set(body.labels).size !== body.labels.length) {
      ctx.addIssue({ code: 'custom', path: ['labels'], message: 'a day appears twice' })
    }
  })
}
export type PackagistStats = z.infer<ReturnType<typeof statsSchema>>

const versionSchema = z.object({
  version: z.string().min(1),
  version_normalized: z.string().optional(),
  // `Y-m-d\TH:i:sP`, the tag's commit date; absent when Packagist has none (Version::toV2Array).
  time: z.iso.datetime({ offset: true }).optional(),
})
export type P2Version = z.infer<typeof versionSchema>

/**
 * A p2 file, expanded and then checked version by version. Composer expands only when `minified`
 * is "composer/2.0" (ComposerRepository): expanding a full list would carry a key into versions
 * that lack it. Error paths index the list as served, since expansion keeps the order.
 */
export function p2Schema(name: string) {
  const entries = z.array(z.record(z.string(), z.unknown()))
  return z
    .object({ minified: z.string().optional(), packages: z.object({ [name]: entries }) })
    .transform(({ minified, packages }) => {
      const versions = packages[name]!
      const expanded = minified === 'composer/2.0' ? expandMinified(versions) : versions
      return { packages: { [name]: expanded } }
    })
    .pipe(z.object({ packages: z.object({ [name]: z.array(versionSchema) }) }))
}

type Entry = Record<string, unknown>

/**
 * Composer\MetadataMinifier\MetadataMinifier::expand(): each entry after the first holds only what
 * changed from the version before it, "__unset" removes a key from that version on, and a value
 * replaces the inherited one whole (no deep merge).
 */
export function expandMinified(versions: Entry[]): Entry[] {
  const expanded: Entry[] = []
  for (const entry of versions) {
    const previous = expanded.at(-1)
    // PHP's `!$expandedVersion` is also true for an empty array: an empty entry starts afresh.
    if (previous === undefined || Object.keys(previous).length === 0) {
      expanded.push(entry)
      continue
    }
    const current = { ...previous }
    for (const [key, value] of Object.entries(entry)) {
      if (value === '__unset') delete current[key]
      else current[key] = value
    }
    expanded.push(current)
  }
  return expanded
}

export function toDownloadObservations(body: PackagistStats, name: string, subject: string) {
  const values = body.values[name]!
  return body.labels.map((day, i): ObservationDraft => {
    return { subject, metric: 'downloads', day, value: values[i]! }
  })
}

/**
 * Tagged versions with a release time. Stability is read from the normalized version, as
 * Composer's Package does; dev stability (branches, `-dev` tags) is not a release, and alpha,
 * beta and RC are pre-releases. A version without `time` has no date to show, so it is skipped.
 */
export function toReleases(versions: P2Version[], name: string, subject: string): ReleaseDraft[] {
  return versions.flatMap(({ version, version_normalized, time }) => {
    const level = composerStability(version_normalized ?? version)
    if (level === 'dev' || time === undefined) return []
    const url = `https://packagist.org/packages/${name}#${version}`
    const prerelease = level !== 'stable'
    return [
      { subject, version, published_at: time, prerelease, url, title: null, notes_html: null },
    ]
  })
}

// A day read before its nightly sync (a 0) or corrected later is read again on the next runs.
const REFETCH_DAYS = 3

// pkg as the catalog spells it (the stored subject); name lower-cased, as Packagist names packages.
type Target = { pkg: string; name: string; slug: string }

export function packagistSource(options: PackagistOptions): Source {
  const target = (pkg: string, slug: string) => ({ pkg, name: pkg.toLowerCase(), slug })
  return packageSource('packagist', {
    downloads: (pkg, framework, ctx, out) => fetchDownloads(target(pkg, framework.slug), ctx, options, out),
    releases: (pkg, framework, ctx, out) => fetchReleases(target(pkg, framework.slug), ctx, options, out),
  })
}

const path = (name: string) => name.split('/').map(encodeURIComponent).join('/')

async function fetchDownloads(t: Target, ctx: SourceContext, o: PackagistOptions, out: Collected) {
  // The server's own default `to` is two days ago: yesterday may not be synced yet, and a day
  // without data reads 0. Left out, `from` is the package's stats start (its creation, not before
  // 2012-04-13), so the first run gets the whole history and no zeros from before it existed.
  const to = addDays(ctx.today, -2)
  const latest = ctx.backfill ? null : await ctx.latestDay(t.pkg, 'downloads')
  const from = latest === null ? null : addDays(latest, -REFETCH_DAYS)
  // `average` must be explicit: by default spans over 7 months come weekly, over 48 monthly.
  const query = new URLSearchParams({ average: 'daily', ...(from === null ? {} : { from }), to })
  const url = `${o.baseUrl}/packages/${path(t.name)}/stats/all.json?${query}`
  const result = await ctx.http.getJson({ url, schema: statsSchema(t.name), framework: t.slug })
  if (result.notModified) return
  out.observations.push(...toDownloadObservations(result.body, t.name, t.pkg))
}

async function fetchReleases(t: Target, ctx: SourceContext, o: PackagistOptions, out: Collected) {
  // Tagged releases only; branches live in <name>~dev.json, which we never need. The apidoc asks
  // for If-Modified-Since against the file's Last-Modified: the stored validators do that.
  const url = `${o.repoUrl ?? o.baseUrl}/p2/${path(t.name)}.json`
  const request = { url, schema: p2Schema(t.name), framework: t.slug }
  // A backfill asks unconditionally, so releases are parsed again (after a fix, say).
  const body = await getJsonIfModified(ctx, out, request, { conditional: !ctx.backfill })
  if (body !== null) out.releases.push(...toReleases(body.packages[t.name]!, t.name, t.pkg))
}
