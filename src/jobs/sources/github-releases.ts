import { z } from 'zod'
import { readState, semanticError, type GithubRun } from './github-api.js'
import { renderNotes } from './github-markdown.js'
import type { ReleaseDraft, SourceContext } from './source.js'
import type { Registry } from '../../catalog/catalog.js'
import { isPrerelease } from '../../versions.js'

// GET /repos/{o}/{r}/releases, newest first (github.md, "Endpoints").
export const releasesSchema = z.array(
  z.object({
    tag_name: z.string().min(1),
    name: z.string().nullable(),
    draft: z.boolean(),
    prerelease: z.boolean(),
    // null for drafts, which only accounts with push access see (github.md).
    published_at: z.iso.datetime().nullable(),
    html_url: z.url(),
    body: z.string().nullable().optional(),
  }),
)
export type Releases = z.infer<typeof releasesSchema>

const PER_PAGE = 100

const stateSchema = z.object({
  /** The older page still to read (a Link URL as given), or null once every page was read. */
  next: z.string().nullable(),
  /** Whether the newest page held a published release: if not, the project only tags (tags.ts). */
  published: z.boolean(),
})
export type ReleasesState = z.infer<typeof stateSchema>

/** "v1.2.3" → "1.2.3": a leading "v" before a digit is a naming habit, not part of the version. */
export function versionOf(tag: string): string {
  return tag.replace(/^v(?=\d)/, '')
}

/**
 * Published releases as rows; drafts are skipped. Two tags naming one version keep the newest.
 * GitHub's `prerelease` flag stands when set; a release left unflagged is still a pre-release when
 * its tag is one under `scheme`, the framework's registry rules ("v4.0.0-beta.1", "5.0.0rc1").
 */
export function toReleases(body: Releases, subject: string, url: string, slug: string, scheme: Registry | null): ReleaseDraft[] {
  const rows = new Map<string, ReleaseDraft>()
  body.forEach((release, i) => {
    if (release.draft) return
    if (release.published_at === null) {
      throw semanticError(slug, url, `[${i}].published_at`, 'null on a published release')
    }
    const version = versionOf(release.tag_name)
    if (rows.has(version)) return
    rows.set(version, {
      subject,
      version,
      published_at: release.published_at,
      prerelease: release.prerelease || isPrerelease(scheme, version),
      url: release.html_url,
      title: release.name?.trim() || null,
      notes_html: renderNotes(release.body),
    })
  })
  return [...rows.values()]
}

/**
 * The newest page, every run (conditional). On the first run its Link next starts the walk
 * through older pages, which `releasesBackfill` continues within the budget. New releases appear
 * on the first page, so once the walk is done only that page is read again.
 */
export async function releasesHead(run: GithubRun): Promise<ReleasesState> {
  const url = `${run.apiUrl}/repos/${run.repo}/releases?per_page=${PER_PAGE}`
  const known = await readState(run, 'releases', stateSchema)
  const page = await run.api.get(url, releasesSchema, known !== undefined)
  if (page.notModified) {
    run.out.notModified++
    return known!
  }
  const rows = toReleases(page.body, run.subject, url, run.slug, run.tagScheme)
  run.out.releases.push(...rows)
  run.out.validators.set(url, page.validators)
  const state = { next: known ? known.next : page.next, published: rows.length > 0 }
  run.out.state.set('releases', state)
  return state
}

/**
 * Whether the newest page of releases, as last stored, held a published release; undefined before
 * the releases signal ever succeeded. A project without (django/django) is dated by its tags.
 */
export async function publishesReleases(ctx: SourceContext): Promise<boolean | undefined> {
  const parsed = stateSchema.safeParse(await ctx.state('releases'))
  return parsed.success ? parsed.data.published : undefined
}

export async function releasesBackfill(run: GithubRun, state: ReleasesState): Promise<void> {
  let next = state.next
  while (next && run.budget.allows('backfill')) {
    const url = next
    const page = await run.api.get(url, releasesSchema, false)
    if (page.notModified) break
    run.out.releases.push(...toReleases(page.body, run.subject, url, run.slug, run.tagScheme))
    next = page.next
  }
  if (next !== state.next) run.out.state.set('releases', { ...state, next })
}
