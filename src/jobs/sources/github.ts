import type { CatalogEntry } from '../../catalog/catalog.js'
import type { HttpClient } from '../http.js'
import { GithubApi, githubHeaders, SOURCE, type GithubRun } from './github-api.js'
import { planBudget } from './github-budget.js'
import { collectOssInsight } from './github-ossinsight.js'
import { releasesBackfill, releasesHead } from './github-releases.js'
import { collectRepo } from './github-repo.js'
import { historyBackfill, historyHead } from './github-star-history.js'
import { tagsBackfill, tagsHead } from './github-tags.js'
import {
  emptyCollected,
  type Collected,
  type ReleaseDraft,
  type Source,
  type SourceContext,
} from './source.js'

export interface GithubOptions {
  /** GITHUB_API_URL: https://api.github.com, or a GitHub Enterprise Server's /api/v3. */
  apiUrl: string
  /** OSSINSIGHT_API_URL: the star-history fallback (https://api.ossinsight.io). */
  ossInsightUrl: string
  /** GITHUB_TOKEN: 5,000 requests an hour instead of 60. Sent only to apiUrl, as a Bearer token. */
  token?: string | undefined
  /**
   * How many frameworks one run visits (the catalog's size), so the budget keeps their snapshots'
   * requests in reserve. A source sees one framework at a time; defaults to the bundled catalog's 10.
   */
  frameworks?: number
}

const DEFAULT_FRAMEWORKS = 10

/**
 * Repository snapshot, releases (or dated tags), and star history per framework, planned within
 * GitHub's rate limit (github-budget.ts): every framework's snapshot first, backfill spread over
 * runs with its cursors in Collected.state.
 */
export function githubSource(options: GithubOptions): Source {
  const headers = githubHeaders(options.token)
  // runSource makes one HttpClient per run and visits frameworks in turn: counting visits per
  // client tells how many frameworks of this run are still to come.
  const visits = new WeakMap<HttpClient, number>()
  return {
    name: SOURCE,
    subjects: (framework) => [framework.github],
    async collect(framework: CatalogEntry, ctx: SourceContext): Promise<Collected> {
      const visited = visits.get(ctx.http) ?? 0
      visits.set(ctx.http, visited + 1)
      const later = Math.max(0, (options.frameworks ?? DEFAULT_FRAMEWORKS) - visited - 1)
      const run: GithubRun = {
        ctx,
        out: emptyCollected(),
        api: new GithubApi(ctx, framework.slug, headers),
        budget: planBudget(ctx.http, later),
        apiUrl: options.apiUrl,
        slug: framework.slug,
        subject: framework.github,
        repo: framework.github,
        createdAt: null,
        authenticated: options.token !== undefined,
      }
      await collectRepo(run)

      // Routine: what changes between runs, cheap with conditional requests.
      const releases = run.budget.allows('routine') ? await releasesHead(run) : null
      const tagsOnly = releases !== null && !releases.published
      const tags = tagsOnly && run.budget.allows('routine') ? await tagsHead(run) : null
      const history = run.budget.allows('routine') ? await historyHead(run) : null

      // Backfill: resumable, so it takes only what the reserve leaves.
      if (releases) await releasesBackfill(run, releases)
      if (tags) await tagsBackfill(run, tags)
      if (history === 'unavailable') await collectOssInsight(run, options.ossInsightUrl)
      else if (history) await historyBackfill(run, history)

      run.out.releases = uniqueVersions(run.out.releases)
      return run.out
    },
  }
}

/** One row per version: an upsert may not touch a row twice (the newest page's wins). */
function uniqueVersions(releases: ReleaseDraft[]): ReleaseDraft[] {
  const byVersion = new Map<string, ReleaseDraft>()
  for (const release of releases) if (!byVersion.has(release.version)) byVersion.set(release.version, release)
  return [...byVersion.values()]
}
