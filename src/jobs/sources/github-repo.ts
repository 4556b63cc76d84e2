import { z } from 'zod'
import { readState, type GithubRun } from './github-api.js'
import type { ObservationDraft, SourceContext } from './source.js'

const count = z.number().int().nonnegative()

// GET /repos/{owner}/{repo} (github.md, "Endpoints"; docs.github.com/rest/repos/repos#get-a-repository).
export const repoSchema = z.object({
  full_name: z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'must be "owner/repo"'),
  created_at: z.iso.datetime(),
  // null for a repository nothing was ever pushed to.
  pushed_at: z.iso.datetime().nullable(),
  stargazers_count: count,
  forks_count: count,
  // Counts open pull requests too (github.md).
  open_issues_count: count,
  // The real watchers; `watchers_count` is a legacy alias of stargazers_count (github.md).
  subscribers_count: count,
  archived: z.boolean(),
})
export type Repo = z.infer<typeof repoSchema>

const repoStateSchema = z.object({ full_name: z.string(), created_at: z.string() })

/**
 * Where the repository lives now and when it was created, as the snapshot last stored them: the
 * other signals build their URLs and end the star history with it. Read even on a backfill (it is
 * no cursor); before any snapshot, the catalog's name and no creation date.
 */
export async function knownRepo(ctx: SourceContext, subject: string): Promise<{ repo: string; createdAt: string | null }> {
  const parsed = repoStateSchema.safeParse(await ctx.state('repo'))
  return parsed.success ? { repo: parsed.data.full_name, createdAt: parsed.data.created_at } : { repo: subject, createdAt: null }
}

/** Today's snapshot metrics of a repository (metrics.ts): all stored on the day they were fetched. */
export function toSnapshot(repo: Repo, subject: string, day: string): ObservationDraft[] {
  const values: Array<[ObservationDraft['metric'], number | null]> = [
    ['stars', repo.stargazers_count],
    ['forks', repo.forks_count],
    ['open_issues', repo.open_issues_count],
    ['watchers', repo.subscribers_count],
    ['pushed_at', repo.pushed_at === null ? null : Date.parse(repo.pushed_at) / 1000],
    ['archived', repo.archived ? 1 : 0],
  ]
  return values
    .filter(([, value]) => value !== null)
    .map(([metric, value]) => ({ subject, metric, day, value: value! }))
}

/**
 * Stores today's snapshot and returns where the repository lives now and when it was created.
 *
 * The request is conditional only once today's snapshot is stored: a 304 writes nothing, so an
 * If-None-Match on the first run of a UTC day would leave that day without its 'stars' value, the
 * one exact star series (github.md: "take it every day whatever else is available"). A renamed or
 * transferred repository answers 301 to /repositories/{id}; fetch follows it, and `full_name`
 * then names the new place, used for every later request of this run.
 */
export async function collectRepo(run: GithubRun): Promise<void> {
  const url = `${run.apiUrl}/repos/${run.subject}`
  const conditional = (await run.ctx.latestDay(run.subject, 'stars')) === run.ctx.today
  const result = await run.api.get(url, repoSchema, conditional)
  if (result.notModified) {
    run.out.notModified++
    const known = await readState(run, 'repo', repoStateSchema)
    run.repo = known?.full_name ?? run.subject
    run.createdAt = known?.created_at ?? null
    return
  }
  run.out.observations.push(...toSnapshot(result.body, run.subject, run.ctx.today))
  run.out.validators.set(url, result.validators)
  run.out.state.set('repo', { full_name: result.body.full_name, created_at: result.body.created_at })
  run.repo = result.body.full_name
  run.createdAt = result.body.created_at
}
