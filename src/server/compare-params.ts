import { z } from 'zod'
import { COMPARE_METRICS, COMPARE_RANGES, SMOOTHINGS, VIEWS, type CompareMetric, type CompareRange, type Smoothing, type View } from '../compare/options.js'

const names = <K extends string>(o: Record<K, unknown>) => Object.keys(o) as [K, ...K[]]
const oneOf = <K extends string>(o: Record<K, unknown>) => z.enum(names(o), { error: `must be one of ${names(o).join(', ')}` })

/** More than every tracked framework is a mistake or an attack, not a comparison. */
export const MAX_FRAMEWORKS = 20

/**
 * /compare's state. `fw` repeats (`fw=express&fw=flask`) or lists (`fw=express,flask`); each
 * must be a tracked slug. Absent, the page starts with `defaults`, unless the form sent it
 * (`submitted=1`, a hidden field): then the reader unticked every framework and none are shown.
 * `fw=` (empty) is none as well. `metrics` are the choices offered, in their order.
 */
export function compareQuery<M extends string>(slugs: ReadonlySet<string>, defaults: string[], metrics: Record<M, unknown>, defaultMetric: NoInfer<M>) {
  return z
    .object({
      fw: z
        .union([z.string(), z.array(z.string())])
        .optional()
        .transform((v) => (v === undefined ? undefined : [...new Set([v].flat().flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean))]))
        .refine((v) => v === undefined || v.length <= MAX_FRAMEWORKS, { error: `at most ${MAX_FRAMEWORKS} frameworks` })
        .superRefine((v, ctx) => {
          const unknown = v?.find((s) => !slugs.has(s))
          if (unknown !== undefined) ctx.addIssue({ code: 'custom', message: `unknown framework "${unknown.slice(0, 40)}"` })
        }),
      submitted: z.literal('1', { error: 'must be 1' }).optional(),
      metric: oneOf(metrics).default(defaultMetric),
      range: oneOf(COMPARE_RANGES).default('1y' as CompareRange),
      view: oneOf(VIEWS).default('absolute' as View),
      smooth: oneOf(SMOOTHINGS).default('none' as Smoothing),
    })
    .transform(({ fw, submitted, ...rest }) => ({ ...rest, fw: fw ?? (submitted ? [] : defaults) }))
}

/** /frameworks/:slug/badge.svg */
export const badgeQuery = z.object({
  metric: oneOf(COMPARE_METRICS).default('downloads' as CompareMetric),
  range: z.enum(['30d', '90d', '1y'], { error: 'must be one of 30d, 90d, 1y' }).default('90d'),
})
