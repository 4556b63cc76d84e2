import { z } from 'zod'
import { addDays } from '../../days.js'
import { SourceError } from '../errors.js'
import { packageSource, type ObservationDraft, type ReleaseDraft, type Source } from './source.js'

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
  downloads: z.object({ all: count.optional(), day: count.optional() }),
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
 */
export function toObservations(
  body: HexPackage,
  subject: string,
  today: string,
): ObservationDraft[] {
  const rows: ObservationDraft[] = []
  const { all, day } = body.downloads
  if (all !== undefined) rows.push({ subject, metric: 'downloads_total', day: today, value: all })
  if (day !== undefined) {
    rows.push({ subject, metric: 'downloads', day: addDays(today, -1), value: day })
  }
  return rows
}

// SemVer 2 §9: a hyphen after the version core, before any "+build", starts a pre-release.
const PRERELEASE = /^[^+]*-/

export function toReleases(body: HexPackage, subject: string): ReleaseDraft[] {
  return body.releases.flatMap((r) =>
    r.inserted_at === undefined
      ? []
      : [
          {
            subject,
            version: r.version,
            published_at: r.inserted_at,
            prerelease: PRERELEASE.test(r.version),
            // A release's html_url is the package's plus the version (apiary "Fetch a Release").
            url: `${body.html_url}/${r.version}`,
            title: null,
            notes_html: null,
          },
        ],
  )
}

export function hexSource(options: HexOptions): Source {
  return packageSource('hex', async (name, framework, ctx, out) => {
    // Never conditional: the ETag hashes the package row (id, updated_at) before downloads
    // are loaded (hexpm package_controller.ex `when_stale`, stale.ex), so a 304 would hide
    // each day's new download figures. One request a day is far below 100 a minute anyway.
    const url = `${options.baseUrl}/api/packages/${encodeURIComponent(name)}`
    const result = await ctx.http.getJson({
      url,
      schema: hexPackageSchema,
      framework: framework.slug,
    })
    if (result.notModified) return
    if (result.body.name !== name) {
      const detail = `${url}: name: expected "${name}", got "${result.body.name}"`
      throw new SourceError('hex', framework.slug, detail)
    }
    out.observations.push(...toObservations(result.body, name, ctx.today))
    out.releases.push(...toReleases(result.body, name))
  })
}
