import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { offline, useChildProcesses } from '../helpers/child-processes.js'
import { useFakeUpstream } from '../helpers/fake-upstream.js'
import { serveNpm } from '../helpers/npm-upstream.js'
import { TEST_DATABASE_URL, useTestDatabase } from '../helpers/test-db.js'

// Two processes can share one database only on a PostgreSQL server (PGlite is one process per
// directory), so this runs where TEST_DATABASE_URL is set: `.ci/run` does.
const t = useTestDatabase()
const fake = useFakeUpstream()
const { launch } = useChildProcesses(t)

describe.skipIf(!TEST_DATABASE_URL)('two worker processes on one PostgreSQL', () => {
  it('run each scheduled job once per tick, never overlapping, and stop cleanly on SIGTERM', async () => {
    // Every 2 s, against an upstream slow enough that a run spans several ticks.
    serveNpm(fake, { delayMs: 400 })
    const env = {
      ...offline(fake.url),
      DATABASE_URL: t.url!,
      ROLE: 'worker',
      // A worker serves /healthz and /metrics too: any free port.
      PORT: '0',
      SYNC_ON_START: 'false',
      SCHEDULE_NPM: '*/2 * * * * *',
      SCHEDULE_GUIDE: '0 0 1 1 *',
      NPM_API_URL: fake.url,
      NPM_REGISTRY_URL: fake.url,
    }
    const a = launch('src/main.ts', [], env)
    const b = launch('src/main.ts', [], env)
    // Start-up time varies with the machine's load: wait for three claimed ticks, not a fixed time.
    const npmTicks = () => t.db.selectFrom('job_ticks').selectAll().where('job', '=', 'npm').orderBy('tick').execute()
    for (let waited = 0; (await npmTicks()).length < 3 && waited < 40_000; waited += 500) await sleep(500)
    a.child.kill('SIGTERM')
    b.child.kill('SIGTERM')
    expect(await a.exited, a.output()).toBe(0)
    expect(await b.exited, b.output()).toBe(0)

    const ticks = await npmTicks()
    // Both processes asked for every tick; the table's key lets one claim each.
    expect(ticks.length).toBeGreaterThanOrEqual(3)
    const runs = await t.db
      .selectFrom('job_runs')
      .innerJoin('frameworks', 'frameworks.id', 'job_runs.framework_id')
      .select(['slug', 'signal', 'started_at', 'finished_at', 'status'])
      .where('job', '=', 'npm')
      .orderBy('started_at')
      .execute()
    expect(runs.length).toBeGreaterThanOrEqual(2)
    const lanes = [...new Set(runs.map((r) => `${r.slug}/${r.signal}`))]
    // Each framework's downloads and releases are recorded as runs of their own.
    expect(lanes.sort()).toEqual(['express/downloads', 'express/releases', 'nestjs/downloads', 'nestjs/releases'])
    for (const lane of lanes) {
      const mine = runs.filter((r) => `${r.slug}/${r.signal}` === lane)
      // Never two runs of the job at once, whichever process ran them.
      for (let i = 1; i < mine.length; i++) expect(mine[i]!.started_at.getTime()).toBeGreaterThanOrEqual(mine[i - 1]!.finished_at!.getTime())
      // SIGTERM let the framework in progress finish: nothing left 'running' or lost.
      expect(mine.every((r) => r.status === 'succeeded')).toBe(true)
    }
    // A tick's run covers both frameworks' two signals; there are never more runs than claimed ticks.
    expect(runs.length / lanes.length).toBeLessThanOrEqual(ticks.length)
    const leases = await t.db.selectFrom('job_leases').selectAll().execute()
    expect(leases).toEqual([])
  }, 90_000)
})
