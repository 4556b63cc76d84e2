import type { CatalogEntry } from '../../catalog/catalog.js'
import { WaitingError } from '../errors.js'
import { GithubApi, githubHeaders, SOURCE, type GithubRun } from './github-api.js'
import { planBudget } from './github-budget.js'
import { collectOssInsight } from './github-ossinsight.js'
import { publishesReleases, releasesBackfill, releasesHead } from './github-releases.js'
import { collectRepo, knownRepo } from './github-repo.js'
import { historyBackfill, historyHead } from './github-star-history.js'
import { tagsBackfill, tagsHead } from './github-tags.js'
import {
  emptyCollected,
  type Collected,
  type ReleaseDraft,
  type Source,
  type SourceContext,
} from './source.js'
import { tagScheme } from '../../versions.js'

export interface GithubOptions {
  /** GITHUB_API_URL: https://api.github.com, or a GitHub Enterprise Server's /api/v3. */
  apiUrl: string
  /** OSSINSIGHT_API_URL: the star-history fallback (https://api.ossinsight.io). */
  ossInsightUrl: string
  /** GITHUB_TOKEN: 5,000 requests an hour instead of 60. Sent only to apiUrl, as a Bearer token. */
  token?: string | undefined
}

/**
 * Per framework, four signals in this order, each its own unit (run-source): the repository
 * snapshot; releases; dated tags, for projects that publish no releases; the star history. All
 * are planned within GitHub's rate limit (github-budget.ts): every framework's snapshot first,
 * backfill spread over runs with its cursors in Collected.state. Later signals read what the
 * snapshot stored (the repository's current name, its creation date), and tags what releases
 * stored, so one failing never stops the others.
 */
export function githubSource(options: GithubOptions): Source {
  const headers = githubHeaders(options.token)
  // routineAfter: this framework's routine requests still to come (the star history's head).
  const start = async (framework: CatalogEntry, ctx: SourceContext, routineAfter: number): Promise<GithubRun> => {
    const { repo, createdAt } = await knownRepo(ctx, framework.github)
    return {
      ctx,
      out: emptyCollected(),
      api: new GithubApi(ctx, framework.slug, headers),
      budget: planBudget(ctx.http, { laterFrameworks: ctx.laterFrameworks, routineAfter }),
      apiUrl: options.apiUrl,
      slug: framework.slug,
      subject: framework.github,
      repo,
      createdAt,
      authenticated: options.token !== undefined,
      tagScheme: tagScheme(framework),
    }
  }
  // Releases and tags: a routine first page, then the backfill; one row per version.
  const versions =
    (backfill: (run: GithubRun) => Promise<void>) =>
    async (framework: CatalogEntry, ctx: SourceContext): Promise<Collected> => {
      const run = await start(framework, ctx, 1)
      routine(run)
      await backfill(run)
      return withUniqueVersions(run.out)
    }
  return {
    name: SOURCE,
    subjects: (framework) => [framework.github],
    signals: [
      {
        name: 'snapshot',
        async collect(framework, ctx) {
          const run = await start(framework, ctx, 0)
          await collectRepo(run)
          return run.out
        },
      },
      { name: 'releases', collect: versions(async (run) => releasesBackfill(run, await releasesHead(run))) },
      {
        name: 'tags',
        // Only for a project whose newest page of releases held none (django/django).
        applies: async (_framework, ctx) => (await publishesReleases(ctx)) === false,
        collect: versions(async (run) => tagsBackfill(run, await tagsHead(run))),
      },
      {
        name: 'star_history',
        async collect(framework, ctx) {
          const run = await start(framework, ctx, 0)
          routine(run)
          const history = await historyHead(run)
          if (history === 'unavailable') await collectOssInsight(run, options.ossInsightUrl)
          else await historyBackfill(run, history)
          return run.out
        },
      },
    ],
  }
}

/**
 * A signal's routine request (first page of releases or tags, newest star-history weeks) is asked
 * only while the budget still holds a snapshot for every later framework; otherwise the signal
 * waits for the reset, and says so, rather than storing nothing as if it had asked. With nothing
 * left at all the HttpClient refuses to ask, naming who refused or the spent budget.
 */
function routine(run: GithubRun): void {
  const limit = run.ctx.http.rateLimit
  if (run.budget.allows('routine') || !limit || limit.remaining <= 0) return
  const why = `${limit.remaining} of ${limit.limit} requests left in this window, kept for the snapshots of ${run.ctx.laterFrameworks} later frameworks`
  throw new WaitingError(SOURCE, run.slug, limit.resetAt, why)
}

/** One row per version: an upsert may not touch a row twice (the newest page's wins). */
function withUniqueVersions(out: Collected): Collected {
  const byVersion = new Map<string, ReleaseDraft>()
  for (const release of out.releases) if (!byVersion.has(release.version)) byVersion.set(release.version, release)
  return { ...out, releases: [...byVersion.values()] }
}
