import { describe, expect, it } from 'vitest'
import type { CatalogEntry } from '../../../src/catalog/catalog.js'
import { latencyMs } from '../../../src/jobs/sources/techempower-format.js'
import { toTechempowerRun } from '../../../src/jobs/sources/techempower.js'

const origin = { label: 'test.json', sha256: 'ab'.repeat(32) }
const catalog = [
  { slug: 'express', techempower: ['Express'], benchmarker: [] },
] as unknown as CatalogEntry[]
const meta = (name: string, extra: Record<string, string> = {}) => ({
  name,
  project_name: 'express',
  framework: 'express',
  approach: 'realistic',
  classification: 'micro',
  orm: 'full',
  database: 'postgres',
  ...extra,
})

describe('TFB results adapter', () => {
  it.each([
    ['393.54us', 0.39354],
    ['1.71ms', 1.71],
    ['8.00s', 8000],
    ['1.5m', 90_000],
    ['75.20%', null],
    [undefined, null],
  ])('reads the wrk latency %s as %s ms', (value, ms) => {
    expect(latencyMs(value)).toBe(ms)
  })

  it('needs only duration and rawData; missing levels default to run-tests.py, a missing uuid to the digest', () => {
    const { run, results } = toTechempowerRun(
      {
        duration: 15,
        rawData: { json: { tiny: [{}, { totalRequests: 30, '5xx': 0 }], none: [] } },
      },
      catalog,
      origin,
    )
    expect(run).toMatchObject({
      run_key: `sha256:${origin.sha256}`,
      name: 'TechEmpower run abababababab',
      uuid: null,
      started_at: null,
      commit: null,
    })
    // An implementation with no entries did not run: no row. A missing count is 0, as in tfb-status.
    expect(results).toEqual([
      expect.objectContaining({
        variant: 'tiny',
        framework: 'tiny',
        requests_per_s: 2,
        concurrency: 32,
        rank: 1,
        out_of: 1,
        represents: true,
        slug: null,
      }),
    ])
  })

  const levels = (n: number) => [{ totalRequests: n }]

  it('without a default test, prefers the full-ORM Postgres variant of the main project', () => {
    const json = {
      duration: 1,
      rawData: {
        fortune: {
          'express-mysql': levels(50),
          'express-postgres': levels(40),
          'typescript-rest': levels(90),
          'express-raw': levels(99),
          'express-failed': [{}],
        },
      },
      testMetadata: [
        meta('express', { orm: 'none', database: 'none' }),
        meta('express-mysql', { database: 'mysql' }),
        meta('express-postgres'),
        meta('typescript-rest', { project_name: 'typescript-rest' }),
        meta('express-raw', { orm: 'raw' }),
        meta('express-failed'),
      ],
    }
    const { results } = toTechempowerRun(json, catalog, origin)
    // Faster raw SQL, MySQL, another project's port and a failed run all lose to it.
    expect(results.filter((r) => r.represents).map((r) => r.variant)).toEqual(['express-postgres'])
    expect(results.every((r) => r.slug === 'express')).toBe(true)
    expect(results.find((r) => r.variant === 'express-failed')).toMatchObject({
      requests_per_s: 0,
      rank: null,
    })
    expect(results.find((r) => r.variant === 'express-raw')).toMatchObject({ rank: 1, out_of: 4 })
  })

  it('prefers the default test to an ORM variant, and a full-stack test to a platform one', () => {
    const json = {
      duration: 1,
      rawData: {
        db: { express: levels(10), 'express-mongo': levels(20) },
        json: { express: levels(80), 'express-mvc': levels(30) },
      },
      testMetadata: [
        meta('express', { orm: 'micro', classification: 'platform' }),
        meta('express-mongo', { database: 'mongodb', classification: 'platform' }),
        meta('express-mvc', { classification: 'fullstack' }),
      ],
    }
    const chosen = toTechempowerRun(json, catalog, origin).results.filter((r) => r.represents)
    expect(chosen.map((r) => `${r.test_type}:${r.variant}`).sort()).toEqual([
      'db:express',
      'json:express-mvc',
    ])
  })

  it('names the entry whose level the file does not list', () => {
    const json = {
      duration: 15,
      concurrencyLevels: [16],
      rawData: { db: { x: [{ totalRequests: 1 }, { totalRequests: 2 }] } },
    }
    expect(() => toTechempowerRun(json, catalog, origin)).toThrow(
      'techempower: test.json: rawData.db.x[1]: entry 2 has no level (concurrencyLevels lists 1)',
    )
  })
})
