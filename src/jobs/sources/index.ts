import type { Config } from '../../config.js'
import { githubSource } from './github.js'
import { hexSource } from './hex.js'
import { mavenSource } from './maven.js'
import { npmSource } from './npm.js'
import { nugetSource } from './nuget.js'
import { packagistSource } from './packagist.js'
import { pypiSource } from './pypi.js'
import { rubygemsSource } from './rubygems.js'
import type { Source } from './source.js'

export interface SourceSchedule {
  source: Source
  cron: string
  /** Older data than this is refreshed at start-up instead of waiting for the next tick. */
  staleAfterMs: number
}

const HOUR = 3_600_000

/** Every registry/API source: adding one is a file in this folder and a line here. */
export function sources(config: Config): SourceSchedule[] {
  return [
    {
      source: npmSource({ apiUrl: config.NPM_API_URL, registryUrl: config.NPM_REGISTRY_URL, backfillDays: config.NPM_BACKFILL_DAYS }),
      cron: config.SCHEDULE_NPM,
      staleAfterMs: 6 * HOUR,
    },
    { source: pypiSource({ statsUrl: config.PYPISTATS_URL, pypiUrl: config.PYPI_URL }), cron: config.SCHEDULE_PYPI, staleAfterMs: 6 * HOUR },
    { source: packagistSource({ baseUrl: config.PACKAGIST_URL }), cron: config.SCHEDULE_PACKAGIST, staleAfterMs: 24 * HOUR },
    // Daily totals: a daily count needs snapshots about a day apart, so never catch up sooner.
    { source: rubygemsSource({ baseUrl: config.RUBYGEMS_URL }), cron: config.SCHEDULE_RUBYGEMS, staleAfterMs: 24 * HOUR },
    { source: nugetSource({ serviceIndexUrl: config.NUGET_URL }), cron: config.SCHEDULE_NUGET, staleAfterMs: 24 * HOUR },
    { source: hexSource({ baseUrl: config.HEX_URL }), cron: config.SCHEDULE_HEX, staleAfterMs: 24 * HOUR },
    // Releases only (Maven Central publishes no download counts); its search service bans heavy users.
    { source: mavenSource({ searchUrl: config.MAVEN_URL, repoUrl: config.MAVEN_REPO_URL }), cron: config.SCHEDULE_MAVEN, staleAfterMs: 24 * HOUR },
    {
      source: githubSource({ apiUrl: config.GITHUB_API_URL, ossInsightUrl: config.OSSINSIGHT_API_URL, token: config.GITHUB_TOKEN }),
      cron: config.SCHEDULE_GITHUB,
      staleAfterMs: HOUR,
    },
  ]
}
