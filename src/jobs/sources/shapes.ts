import { z } from 'zod'

/** A calendar day as npm, pypistats, Packagist and OSS Insight write it. */
export const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD')
