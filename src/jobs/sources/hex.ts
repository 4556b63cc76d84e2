import { z } from 'zod'
import { addDays } from '../../days.js'
import { SourceError } from '../errors.js'
import { collectDailyHistory } from './hex-daily.js'
import { packageSource, type ObservationDraft, type ReleaseDraft, type Source, type SourceContext } from './source.js'
import { isPrerelease } from '../../versions.js'

export interface HexOptions {
  /** HEX_URL: the site root, the API lives under /api. */
  baseUrl: string
}

const count = z.number().int().nonnegative()

// GET /api/packages/<name> (hex.md, apiary "Fetch a Package"): only what we read.
export const hexPackageSchema = z.object({
  name: z.string(),
  html_url: z.url(),
  // The server merges one row per view of the package_downloads view into this object
  // (package_view.ex `group_downloads`): a view without a row is simply absent.
  downloads: z.object({ all: count.optional(), day: count.optional(), week: count.optional(), recent: count.optional() }),
  releases: z.array(
    z.object({
      version: z.string().min(1),
      // The recorded certifi body has a release without it (0.3.0): no date, no release row.
      inserted_at: z.iso.datetime({ offset: true }).optional(),
    }),
  ),
})
export type HexPackage = z.infer<typeof hexPackageSchema>

/**
 * `all` is a snapshot of the running total, stored on the day it was fetched. `day` is
 * "yesterday" (apiary): the package_downloads view counts `d.day = current_date - 1` as of its
 * last refresh, so it is stored on the day before today. SCHEDULE_HEX runs at 05:37 UTC, hours
 * after midnight, so the view has been refreshed for the new day by then (an assumption: Hex
 * publishes no refresh time, and the figure carries no date).
 *
 * `week` ("last seven days", apiary: the view's `current_date - 7` to `current_date - 1`) and
 * `recent` ("last 90 days") are Hex's own sums, stored as stated on the day they were fetched: the
 * card's weekly figure from the first sync on, before any daily history is stored.
 */
export function toObservations(
  body: HexPackage,
  subject: string,
  today: string,
): ObservationDraft[] {
  const rows: ObservationDraft[] = []
  const { all, day, week, recent } = body.downloads
  if (all !== undefined) rows.push({ subject, metric: 'downloads_total', day: today, value: all })
  if (week !== undefined) rows.push({ subject, metric: 'downloads_last_7d', day: today, value: week })
  if (recent !== undefined) rows.push({ subject, metric: 'downloads_last_90d', day: today, value: recent })
  if (day !== undefined) {
    rows.push({ subject, metric: 'downloads', day: addDays(today, -1), value: day })
  }
  return rows
}

export function toReleases(body: HexPackage, subject: string): ReleaseDraft[] {
  return body.releases.flatMap((r) =>
    r.inserted_at === undefined
      ? []
      : [
          {
            subject,
            version: r.version,
            published_at: r.inserted_at,
            prerelease: isPrerelease('hex', r.version),
            // A release's html_url is the package's plus the version (apiary "Fetch a Release").
            url: `${body.html_url}/${r.version}`,
            title: null,
            notes_html: null,
          },
        ],
  )
}

export function hexSource(options: HexOptions): Source {
  // Releases first: the release series behind the daily history may meet Hex's rate limit, and
  // a refusal makes this client ask that host nothing more this run.
  return packageSource('hex', {
    releases: async (name, framework, ctx, out) => {
      const body = await fetchPackage(options, name, framework.slug, ctx)
      if (body) out.releases.push(...toReleases(body, name))
    },
    downloads: async (name, framework, ctx, out) => {
      const body = await fetchPackage(options, name, framework.slug, ctx)
      if (!body) return
      out.observations.push(...toObservations(body, name, ctx.today))
      const target = { pkg: name, slug: framework.slug, baseUrl: options.baseUrl, releases: body.releases }
      await collectDailyHistory({ ...target, dayStored: body.downloads.day !== undefined }, ctx, out)
    },
  })
}

/**
 * The package document, read by each signal itself (one failing then never takes the other's
 * data along). Never conditional: the ETag hashes the package row (id, updated_at) before
 * downloads are loaded (hexpm package_controller.ex `when_stale`, stale.ex), so a 304 would hide
 * each day's new download figures. Two requests a day are far below 100 a minute anyway.
 */
async function fetchPackage(options: HexOptions, name: string, slug: string, ctx: SourceContext): Promise<HexPackage | null> {
  const url = `${options.baseUrl}/api/packages/${encodeURIComponent(name)}`
  const result = await ctx.http.getJson({ url, schema: hexPackageSchema, framework: slug })
  if (result.notModified) return null
  if (result.body.name !== name) {
    throw new SourceError('hex', slug, `${url}: name: expected "${name}", got "${result.body.name}"`)
  }
  return result.body
}
