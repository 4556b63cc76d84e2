import { z } from 'zod'
import { SourceError } from '../errors.js'
import { getJsonIfModified } from './conditional.js'
import { totalAndDaily } from './daily-from-totals.js'
import {
  packageSource,
  type Collected,
  type ReleaseDraft,
  type Source,
  type SourceContext,
} from './source.js'
import { isPrerelease } from '../../versions.js'

export interface RubyGemsOptions {
  /** RUBYGEMS_URL: the site root, the API lives under /api/v1. */
  baseUrl: string
}

// GET /api/v1/gems/<gem>.json (rubygems.md): only what we read; the 2011 shape has both too.
export const gemSchema = z.object({
  name: z.string(),
  downloads: z.number().int().nonnegative(),
})
export type Gem = z.infer<typeof gemSchema>

// GET /api/v1/versions/<gem>.json: every public version in one array, newest first (rubygems.md).
export const versionsSchema = z.array(
  z.object({
    number: z.string().min(1),
    // Push time; `built_at` is the gemspec date, "often midnight, can be wrong" (rubygems.md).
    created_at: z.iso.datetime({ offset: true }),
  }),
)
export type GemVersions = z.infer<typeof versionsSchema>

/**
 * One release per version number. A number can appear once per platform (ruby, java,
 * x86_64-linux…; rubygems.md), each pushed separately: the first push is the release date.
 */
export function toReleases(versions: GemVersions, gem: string): ReleaseDraft[] {
  const byNumber = new Map<string, GemVersions[number]>()
  for (const v of versions) {
    const seen = byNumber.get(v.number)
    if (!seen || Date.parse(v.created_at) < Date.parse(seen.created_at)) byNumber.set(v.number, v)
  }
  return [...byNumber.values()].map((v) => ({
    subject: gem,
    version: v.number,
    published_at: v.created_at,
    // The body's `prerelease` is Gem::Version#prerelease?, the rule versions.ts applies to every
    // stored row too: classifying here keeps stored rows and fresh ones alike.
    prerelease: isPrerelease('rubygems', v.number),
    url: `https://rubygems.org/gems/${gem}/versions/${v.number}`,
    title: null,
    notes_html: null,
  }))
}

export function rubygemsSource(options: RubyGemsOptions): Source {
  return packageSource('rubygems', {
    downloads: (gem, framework, ctx, out) => collectTotal(gem, framework.slug, ctx, options, out),
    releases: (gem, framework, ctx, out) => collectReleases(gem, framework.slug, ctx, options, out),
  })
}

async function collectTotal(
  gem: string,
  slug: string,
  ctx: SourceContext,
  o: RubyGemsOptions,
  out: Collected,
) {
  // Unconditional: the counter moves all day, and a 304 would leave the day without a snapshot.
  const url = `${o.baseUrl}/api/v1/gems/${encodeURIComponent(gem)}.json`
  const result = await ctx.http.getJson({ url, schema: gemSchema, framework: slug })
  if (result.notModified) return
  // Names are case sensitive (rubygems.md): another name means another gem's counter.
  if (result.body.name !== gem) {
    const detail = `${url}: name: expected "${gem}", got "${result.body.name}"`
    throw new SourceError('rubygems', slug, detail)
  }
  const previous = await ctx.latestObservation(gem, 'downloads_total')
  out.observations.push(...totalAndDaily(gem, result.body.downloads, ctx.today, previous))
}

async function collectReleases(
  gem: string,
  slug: string,
  ctx: SourceContext,
  o: RubyGemsOptions,
  out: Collected,
) {
  // VersionsController#show answers If-None-Match/If-Modified-Since with 304 (rubygems.md).
  const url = `${o.baseUrl}/api/v1/versions/${encodeURIComponent(gem)}.json`
  const body = await getJsonIfModified(ctx, out, { url, schema: versionsSchema, framework: slug })
  if (body !== null) out.releases.push(...toReleases(body, gem))
}
