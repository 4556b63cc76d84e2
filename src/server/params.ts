import { zValidator } from '@hono/zod-validator'
import { HTTPException } from 'hono/http-exception'
import { z } from 'zod'
import { RANGES } from '../db/queries/series.js'

const rangeNames = Object.keys(RANGES) as [keyof typeof RANGES, ...(keyof typeof RANGES)[]]

export const chartQuery = z.object({
  range: z.enum(rangeNames, { error: `must be one of ${rangeNames.join(', ')}` }).default('90d'),
})

export const seriesQuery = chartQuery.extend({
  metric: z.enum(['downloads'], { error: 'must be one of downloads' }).default('downloads'),
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
