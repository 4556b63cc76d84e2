import { z } from 'zod'

// The raw shape of a TFB results.json (techempower.md; toolset/utils/results.py
// `Results.__to_jsonable`, tfb-status `Results.java`), in the pieces the import reads as the file
// streams: the header fields, testMetadata, and each rawData.<type>.<test> levels array, whose
// entries are checked one by one as it is reduced. The rest (verify, completed, ...) is skipped.

/** Test types in the order pages show them: fortunes first, the most realistic. */
export const TEST_TYPES = [
  'fortune',
  'db',
  'query',
  'cached-query',
  'update',
  'json',
  'plaintext',
] as const
export type TestType = (typeof TEST_TYPES)[number]

// "We renamed the 'cached_query' test type to 'cached-query' on July 2, 2020" (tfb-status): accept both.
const RAW_DATA_KEYS: Record<string, TestType> = {
  fortune: 'fortune',
  db: 'db',
  query: 'query',
  cached_query: 'cached-query',
  'cached-query': 'cached-query',
  update: 'update',
  json: 'json',
  plaintext: 'plaintext',
}

/** The test type a rawData key names; undefined for commitCounts, slocCounts and the rest. */
export const testTypeOf = (key: string): TestType | undefined =>
  Object.hasOwn(RAW_DATA_KEYS, key) ? RAW_DATA_KEYS[key] : undefined

/** Types that touch the database: only for these do ORM and database tell variants apart. */
export const DATABASE_TYPES: ReadonlySet<TestType> = new Set([
  'fortune',
  'db',
  'query',
  'cached-query',
  'update',
])

// toolset/run-tests.py defaults, for files that predate a levels field.
const DEFAULT_LEVELS = {
  concurrencyLevels: [16, 32, 64, 128, 256, 512],
  pipelineConcurrencyLevels: [256, 1024, 4096, 16384],
  queryIntervals: [1, 5, 10, 15, 20],
  cachedQueryIntervals: [1, 10, 20, 50, 100],
}

const levels = (fallback: number[]) =>
  z
    .array(z.number().int().positive())
    .min(1)
    .nullish()
    .transform((v) => v ?? fallback)

// `duration` is a number of seconds, but a STRING ("60") in a 2025 file (techempower.md).
const duration = z.union(
  [
    z.number().positive(),
    z
      .string()
      .regex(/^\d+(\.\d+)?$/)
      .transform(Number),
  ],
  { error: 'must be a number of seconds' },
)

const text = z.string().nullish()

export const testMetadataSchema = z.looseObject({
  name: z.string().min(1),
  framework: text,
  project_name: text,
  approach: text,
  classification: text,
  database: text,
  orm: text,
  webserver: text,
  display_name: text,
})
export type TestMetadata = z.infer<typeof testMetadataSchema>

/** The run's small top-level fields; a field missing from a file gets its default. */
export const headerSchema = z.object({
  uuid: z.string().min(1).nullish(),
  name: text,
  environmentDescription: text,
  git: z.object({ commitId: z.string().min(1), repositoryUrl: text, branchName: text }).nullish(),
  startTime: z.number().nullish(),
  completionTime: z.number().nullish(),
  duration,
  concurrencyLevels: levels(DEFAULT_LEVELS.concurrencyLevels),
  pipelineConcurrencyLevels: levels(DEFAULT_LEVELS.pipelineConcurrencyLevels),
  queryIntervals: levels(DEFAULT_LEVELS.queryIntervals),
  cachedQueryIntervals: levels(DEFAULT_LEVELS.cachedQueryIntervals),
})
export type TfbHeader = z.infer<typeof headerSchema>
export const HEADER_FIELDS: readonly string[] = Object.keys(headerSchema.shape)

export const testMetadataListSchema = z
  .array(testMetadataSchema)
  .nullish()
  .transform((v) => v ?? [])

/** rawData: one object per test type, plus commitCounts and slocCounts (not read). */
export const rawDataSchema = z.record(z.string(), z.unknown())
/** rawData.<type>: one array of level entries per test name. */
export const levelsSchema = z.array(z.unknown())
export const testTypeSchema = z.record(z.string(), levelsSchema)

// wrk's latency units as TFB's parse_test regex allows them (`us|ms|s|m|%`).
const LATENCY = /^(\d+(?:\.\d+)?)(us|ms|s|m|%)$/
const MS_PER_UNIT: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 }

const latency = z
  .string()
  .regex(LATENCY, 'must be a wrk latency such as "393.54us", "1.71ms" or "8.00s"')
const count = z.number().int()

/** One wrk execution; at a failed level any field may be missing (12,173 entries, 12,075 with totalRequests, in 2019). */
export const entrySchema = z.looseObject({
  latencyAvg: latency.optional(),
  latencyStdev: latency.optional(),
  latencyMax: latency.optional(),
  totalRequests: count.optional(),
  '5xx': count.optional(),
})
export type Entry = z.infer<typeof entrySchema>

/** "1.71ms" → 1.71; a percentage or a missing value → null. */
export function latencyMs(value: string | undefined): number | null {
  const match = value?.match(LATENCY)
  if (!match || match[2] === '%') return null
  return Number(match[1]) * MS_PER_UNIT[match[2]!]!
}

// metadata.parse_config: a framework's `default` test is named after its project; others add "-<key>".
export const isDefaultTest = (m: TestMetadata | undefined) =>
  m !== undefined && m.name === m.project_name
