import { defineConfig } from 'vitest/config'

export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'hono/jsx' } },
  test: {
    include: ['tests/**/*.test.{ts,tsx}'],
    globalSetup: ['tests/helpers/global-setup.ts'],
    // PGlite's first start (initdb) takes seconds; real Postgres creates a database per file.
    hookTimeout: 60_000,
    testTimeout: 30_000,
    // Two cores: more workers only make PGlite instances fight for them.
    maxWorkers: 2,
    // CI also writes a JSON report, from which .ci/run prints 'N passed, N failed'.
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: 'test-results/vitest.json' },
  },
})
