import type { Config } from '../../config.js'
import { npmSource } from './npm.js'
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
      source: npmSource({
        apiUrl: config.NPM_API_URL,
        registryUrl: config.NPM_REGISTRY_URL,
        backfillDays: config.NPM_BACKFILL_DAYS,
      }),
      cron: config.SCHEDULE_NPM,
      staleAfterMs: 6 * HOUR,
    },
  ]
}
