import { z } from 'zod'
import { readState, type GithubRun } from './github-api.js'
import { versionOf } from './github-releases.js'
import type { ReleaseDraft } from './source.js'
import type { Registry } from '../../catalog/catalog.js'
import { isPrerelease } from '../../versions.js'

// GET /repos/{o}/{r}/tags: names and commits, no dates, not in date order (github.md).
export const tagsSchema = z.array(
  z.object({ name: z.string().min(1), commit: z.object({ sha: z.string().regex(/^[0-9a-f]{40}$/) }) }),
)
export type Tags = z.infer<typeof tagsSchema>

// GET /repos/{o}/{r}/commits/{sha}: the date a tag gets is its commit's committer date, the
// moment the tagged commit landed (github.md: "A date needs another GET …/commits/{sha} per tag").
export const commitSchema = z.object({
  sha: z.string(),
  commit: z.object({ committer: z.object({ date: z.iso.datetime({ offset: true }) }) }),
})

/**
 * One commit request per tag costs an anonymous client's 60-an-hour budget a lot: date at most
 * this many tags per run then. With a token (5,000 an hour) the budget alone limits it.
 */
export const MAX_TAG_DATES_PER_RUN = 10
const PER_PAGE = 100

const tagSchema = z.object({ name: z.string(), sha: z.string() })
const stateSchema = z.object({
  /** Tags already dated (name → commit), so a moved tag is dated again. */
  dated: z.record(z.string(), z.string()),
  /** Tags still to date, newest first: the queue the next run continues. */
  queue: z.array(tagSchema),
})
export type TagsState = z.infer<typeof stateSchema>

// Only orders the dating queue (any scheme's usual words); whether a tag is a pre-release is
// decided by versions.ts, under its framework's registry rules.
const PRERELEASE = /^[-.]*(a|b|c|rc|alpha|beta|pre|preview|dev)\.?\d*(\W|$)/i
const VERSION = /^v?(\d+(?:\.\d+)*)(.*)$/

/**
 * Orders tag names newest version first, as tags carry no dates: numeric parts compare as numbers,
 * a pre-release sorts below its final release and a post-release ("2.1.0.post0") above it. Names
 * that are no version sort last, in the order GitHub listed them.
 */
export function compareTagsNewestFirst(a: string, b: string): number {
  const va = VERSION.exec(a)
  const vb = VERSION.exec(b)
  if (!va || !vb) return (va ? 0 : 1) - (vb ? 0 : 1)
  const na = va[1]!.split('.').map(Number)
  const nb = vb[1]!.split('.').map(Number)
  for (let i = 0; i < Math.max(na.length, nb.length); i++) {
    const diff = (nb[i] ?? 0) - (na[i] ?? 0)
    if (diff !== 0) return diff
  }
  const rank = (suffix: string) => (suffix === '' ? 1 : PRERELEASE.test(suffix) ? 0 : 2)
  const byRank = rank(vb[2]!) - rank(va[2]!)
  // alpha < beta < preview < rc, and a numbered one after the bare one ("preview.1" > "preview").
  const bare = (suffix: string) => suffix.replace(/^[-.]+/, '')
  return byRank !== 0 ? byRank : bare(vb[2]!).localeCompare(bare(va[2]!), 'en', { numeric: true })
}

/** A dated tag as a release; `scheme` is the framework's registry, whose rules name pre-releases. */
export function toTagRelease(name: string, date: string, subject: string, repo: string, scheme: Registry | null): ReleaseDraft {
  const version = versionOf(name)
  return {
    subject,
    version,
    published_at: date,
    prerelease: isPrerelease(scheme, version),
    url: `https://github.com/${repo}/tree/${encodeURIComponent(name)}`,
    title: null,
    notes_html: null,
  }
}

/**
 * For projects that publish no GitHub releases (django/django): the first page of tags, every
 * run (conditional). Tags not yet dated join the queue, newest version first; GitHub's order is
 * by name, so only this first page is considered, which holds the recent versions.
 */
export async function tagsHead(run: GithubRun): Promise<TagsState> {
  const url = `${run.apiUrl}/repos/${run.repo}/tags?per_page=${PER_PAGE}`
  const known = await readState(run, 'tags', stateSchema)
  const page = await run.api.get(url, tagsSchema, known !== undefined)
  if (page.notModified) {
    run.out.notModified++
    return known!
  }
  run.out.validators.set(url, page.validators)
  const tags = [...page.body].sort((a, b) => compareTagsNewestFirst(a.name, b.name))
  const previously = known?.dated ?? {}
  // Tags that disappeared leave the state, so it stays as small as one page.
  const listed = tags.map((t) => ({ name: t.name, sha: t.commit.sha }))
  const dated = Object.fromEntries(listed.filter((t) => previously[t.name] === t.sha).map((t) => [t.name, t.sha]))
  const queue = listed.filter((t) => dated[t.name] === undefined)
  const state = { dated, queue }
  run.out.state.set('tags', state)
  return state
}

/** Dates queued tags, one commit request each, as far as the budget and the per-run cap allow. */
export async function tagsBackfill(run: GithubRun, state: TagsState): Promise<void> {
  const dated = { ...state.dated }
  const queue = [...state.queue]
  const cap = run.authenticated ? Number.POSITIVE_INFINITY : MAX_TAG_DATES_PER_RUN
  for (let n = 0; n < cap && queue.length > 0 && run.budget.allows('backfill'); n++) {
    const tag = queue[0]!
    const url = `${run.apiUrl}/repos/${run.repo}/commits/${tag.sha}`
    const result = await run.api.get(url, commitSchema, false)
    if (result.notModified) break
    run.out.releases.push(toTagRelease(tag.name, result.body.commit.committer.date, run.subject, run.repo, run.tagScheme))
    dated[tag.name] = tag.sha
    queue.shift()
  }
  if (queue.length !== state.queue.length) run.out.state.set('tags', { dated, queue })
}
