import { zValidator } from '@hono/zod-validator'
import { HTTPException } from 'hono/http-exception'
import { z } from 'zod'
import { RANGES } from '../db/queries/series.js'
import { EVENT_KINDS, isEventKind, type EventKind } from '../event-kinds.js'

const rangeNames = Object.keys(RANGES) as [keyof typeof RANGES, ...(keyof typeof RANGES)[]]

export const chartQuery = z.object({
  range: z.enum(rangeNames, { error: `must be one of ${rangeNames.join(', ')}` }).default('90d'),
})

export const seriesQuery = chartQuery.extend({
  metric: z.enum(['downloads'], { error: 'must be one of downloads' }).default('downloads'),
})

/**
 * Feeds: `kind=release,major` (or `kind=release&kind=major`) narrows a feed to those event
 * kinds, in the vocabulary's order; absent, the route uses its default (no prereleases).
 */
export const feedQuery = z.object({
  kind: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((value) => (value === undefined ? undefined : [value].flat().flatMap((v) => v.split(',')).map((v) => v.trim())))
    .refine((kinds) => kinds === undefined || (kinds.length > 0 && kinds.every(isEventKind)), {
      error: `must be a comma-separated list of ${EVENT_KINDS.join(', ')}`,
    })
    .transform((kinds): EventKind[] | undefined => kinds && EVENT_KINDS.filter((k) => kinds.includes(k))),
})

export const benchmarksQuery = z.object({
  variants: z.enum(['one', 'all'], { error: 'must be one of one, all' }).default('one'),
})

/** zod at the edge: a bad parameter is a 400 naming it, never a 500. */
export function valid<T extends z.ZodType>(target: 'query' | 'param', schema: T) {
  return zValidator(target, schema, (result) => {
    if (!result.success) {
      const issue = result.error.issues[0]!
      const name = issue.path.join('.') || target
      throw new HTTPException(400, { message: `${name}: ${issue.message}` })
    }
  })
}

/** /status?sync=npm,github: the jobs the admin form just started, to confirm it. */
export const statusQuery = z.object({
  sync: z
    .string()
    .regex(/^[a-z0-9,-]{1,200}$/, 'must be a comma-separated list of job names')
    .optional(),
})
