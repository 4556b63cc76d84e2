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
import { isPrerelease } from '../../versions.js'

export interface PypiOptions {
  /** pypistats.org: daily downloads (PyPI itself reports none; `info.downloads` is always -1). */
  statsUrl: string
  /** pypi.org: the JSON API, for releases and their upload times. */
  pypiUrl: string
}

// Shapes from pypi.md: pypistats `templates/api.html` and `views/api.py`; warehouse
// `docs/user/api/json.md` and `legacy/api/json.py`.
// "All stats exclude known mirrors unless noted": the series comparable with other registries.
const CATEGORY = 'without_mirrors'

export const overallSchema = z
  .object({
    data: z.array(
      z.object({ category: z.string(), date: isoDay, downloads: z.number().int().nonnegative() }),
    ),
    package: z.string(),
    type: z.literal('overall_downloads'),
  })
  .superRefine((body, ctx) => {
    const issue = (path: PropertyKey[], message: string) =>
      ctx.addIssue({ code: 'custom', path, message })
    const seen = new Set<string>()
    body.data.forEach((row, i) => {
      if (row.category !== CATEGORY) return
      if (seen.has(row.date)) issue(['data', i, 'date'], `${row.date} appears twice`)
      seen.add(row.date)
    })
    // An unknown package is a 404, never an empty list (views/api.py): no rows is a broken body.
    if (seen.size === 0) issue(['data'], `no "${CATEGORY}" rows`)
  })
export type PypistatsOverall = z.infer<typeof overallSchema>

// The docs example collapses some file lists to ["..."] (pypi.md): an entry that is not an
// object is no file. Objects are checked in full, so a changed file shape still fails loudly.
const isObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v)
const fileEntry = z.preprocess(
  (entry) => (isObject(entry) ? entry : undefined),
  z
    .object({
      // Naive UTC; `upload_time_iso_8601` is newer (the 2022 azure-cli-monitor capture lacks it).
      upload_time: z.iso.datetime({ local: true }),
      upload_time_iso_8601: z.iso.datetime().optional(),
      // Absent from older captures, which predate yanking (PEP 592).
      yanked: z.boolean().optional(),
    })
    .optional(),
)

export const projectSchema = z.object({ releases: z.record(z.string(), z.array(fileEntry)) })
export type PypiProject = z.infer<typeof projectSchema>

/** PEP 503 name normalization: runs of `-`, `_` and `.` become one `-`, lower-cased. */
export function normalizeName(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase()
}

export function toDownloadObservations(
  body: PypistatsOverall,
  subject: string,
): ObservationDraft[] {
  return body.data
    .filter((row) => row.category === CATEGORY)
    .map((row) => ({ subject, metric: 'downloads', day: row.date, value: row.downloads }))
}

/**
 * One row per version that has files. A release has no date of its own: it is the earliest
 * upload of its files (pypi.md), so a version with no files ("1.0": [] in the docs) is skipped.
 * A version whose files are all yanked is skipped too: it was withdrawn. Warehouse copies the
 * release's `yanked` onto every file (legacy/api/json.py), so "all" and "any" agree on real data;
 * a release with one file still installable is still a release.
 */
export function toReleases(body: PypiProject, subject: string): ReleaseDraft[] {
  const releases: ReleaseDraft[] = []
  for (const [version, entries] of Object.entries(body.releases)) {
    const files = entries.filter((file) => file !== undefined)
    if (files.length === 0 || files.every((file) => file.yanked === true)) continue
    const uploads = files.map((file) => file.upload_time_iso_8601 ?? `${file.upload_time}Z`)
    releases.push({
      subject,
      version,
      published_at: uploads.reduce((a, b) => (Date.parse(b) < Date.parse(a) ? b : a)),
      prerelease: isPrerelease('pypi', version),
      url: `https://pypi.org/project/${normalizeName(subject)}/${version}/`,
      title: null,
      notes_html: null,
    })
  }
  return releases
}

// pkg as the catalog spells it ("Django", the stored subject); name PEP 503 normalized ("django").
type Target = { pkg: string; name: string; slug: string }

export function pypiSource(options: PypiOptions): Source {
  const target = (pkg: string, slug: string) => ({ pkg, name: normalizeName(pkg), slug })
  // Two hosts (pypistats.org, pypi.org): either may be down while the other answers.
  return packageSource('pypi', {
    downloads: (pkg, framework, ctx, out) => fetchDownloads(target(pkg, framework.slug), ctx, options, out),
    releases: (pkg, framework, ctx, out) => fetchReleases(target(pkg, framework.slug), ctx, options, out),
  })
}

async function fetchDownloads(t: Target, ctx: SourceContext, o: PypiOptions, out: Collected) {
  // pypistats updates once a day and asks clients not to fetch an endpoint more often (pypi.md,
  // etiquette): once yesterday is stored there is nothing newer until tomorrow.
  const latest = ctx.backfill ? null : await ctx.latestDay(t.pkg, 'downloads')
  if (latest !== null && latest >= addDays(ctx.today, -1)) return
  // The server rewrites `.` and `_` but does not lower-case: hence the normalized name. One
  // response holds the whole retained window (180 days, no pagination); older stored days are
  // kept and repeated days upserted. `mirrors=false` returns only that series (views/api.py).
  const url = `${o.statsUrl}/api/packages/${encodeURIComponent(t.name)}/overall?mirrors=false`
  const result = await ctx.http.getJson({ url, schema: overallSchema, framework: t.slug })
  if (result.notModified) return
  out.observations.push(...toDownloadObservations(result.body, t.pkg))
}

async function fetchReleases(t: Target, ctx: SourceContext, o: PypiOptions, out: Collected) {
  // A name that is not normalized answers 301 (pypi.md): ask for the final URL, whose ETag we keep.
  const url = `${o.pypiUrl}/pypi/${encodeURIComponent(t.name)}/json`
  const request = { url, schema: projectSchema, framework: t.slug }
  // A backfill asks unconditionally, so releases are parsed again (after a fix, say).
  const body = await getJsonIfModified(ctx, out, request, { conditional: !ctx.backfill })
  if (body !== null) out.releases.push(...toReleases(body, t.pkg))
}
