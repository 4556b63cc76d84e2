import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import type { Job } from '../../src/jobs/jobs.js'
import { createJobRunner } from '../../src/jobs/scheduler.js'
import { runSource } from '../../src/jobs/run-source.js'
import { createLogger } from '../../src/logger.js'
import { createApp } from '../../src/server/app.js'
import { FakeUpstream } from '../helpers/fake-upstream.js'
import { serveNpm } from '../helpers/npm-upstream.js'
import { npmSourceOf, testConfig, testRunContext } from '../helpers/run-context.js'
import { testApp } from '../helpers/app-server.js'
import { useTestDatabase } from '../helpers/test-db.js'

const t = useTestDatabase()
const TOKEN = 'correct-horse-battery-staple'
const log = createLogger('silent')

function app({ admin = false, publicUrl = 'http://pulse.test', trustProxy = true } = {}) {
  const ran: string[] = []
  const job = (name: string): Job => ({ name, cron: '0 0 1 1 *', staleAfterMs: 0, run: async (ctx) => (ran.push(`${name}:${ctx.catalog.map((f) => f.slug).join('+')}`), []) })
  const runner = createJobRunner({ db: t.db, catalog: t.catalog, log, http: () => { throw new Error('no HTTP') } })
  const instance = createApp({
    db: t.db,
    dbKind: t.handle.kind,
    catalog: t.catalog,
    collected: new Set(['npm']),
    log,
    publicUrl,
    admin: admin ? { token: TOKEN, trustProxy, jobs: [job('npm'), job('github')], runner } : undefined,
  })
  return { instance, ran }
}

const post = (body: Record<string, string>, headers: Record<string, string> = {}) => ({
  method: 'POST',
  body: new URLSearchParams(body),
  headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': `10.0.0.${Math.floor(Math.random() * 250)}`, ...headers },
})

describe('probes and metrics', () => {
  it('/healthz answers while the process lives; /readyz checks the database and migrations', async () => {
    const { instance } = app()
    expect(await (await instance.request('/healthz')).text()).toBe('ok')
    expect((await instance.request('/readyz')).status).toBe(200)
    await sql`delete from kysely_migration where name = '0002_source_state'`.execute(t.db)
    const notReady = await instance.request('/readyz')
    expect(notReady.status).toBe(503)
    expect(await notReady.text()).toBe('not ready: migrations pending: 0002_source_state')
  })

  it('/metrics counts requests by route pattern in the Prometheus text format', async () => {
    const { instance } = app()
    await instance.request('/frameworks/express')
    await instance.request('/frameworks/nestjs')
    const res = await instance.request('/metrics')
    expect(res.headers.get('content-type')).toContain('text/plain')
    const text = await res.text()
    expect(text).toMatch(/framework_pulse_http_requests_total\{method="GET",route="\/frameworks\/:slug",status="200"\} [2-9]/)
    expect(text).toContain('# TYPE framework_pulse_upstream_requests_total counter')
    expect(text).toContain('# TYPE framework_pulse_upstream_rate_limit_remaining gauge')
  })

  it('/metrics shows a sync: runs, rows written and upstream answers by status, 304s included', async () => {
    const fake = await new FakeUpstream().start()
    try {
      serveNpm(fake)
      const config = testConfig(fake.url)
      const npm = npmSourceOf(config)
      await runSource(testRunContext(t.db, t.catalog, config), npm)
      await runSource(testRunContext(t.db, t.catalog, config), npm)
    } finally {
      await fake.stop()
    }
    const text = await (await app().instance.request('/metrics')).text()
    const value = (series: string) => Number(new RegExp(`^${series.replace(/[{}]/g, '\\$&')} (\\d+)$`, 'm').exec(text)?.[1] ?? NaN)
    expect(value('framework_pulse_job_runs_total{source="npm",status="succeeded"}')).toBeGreaterThanOrEqual(4)
    expect(value('framework_pulse_rows_written_total{source="npm"}')).toBeGreaterThanOrEqual(2 * 548)
    expect(value('framework_pulse_upstream_requests_total{source="npm",status="200"}')).toBeGreaterThanOrEqual(6)
    // The second run's registry documents were answered 304 from the stored ETags.
    expect(value('framework_pulse_upstream_requests_total{source="npm",status="304"}')).toBeGreaterThanOrEqual(2)
    expect(text).toMatch(/framework_pulse_job_run_duration_seconds_count\{source="npm"\} \d+/)
  })

  it('logs one JSON line per request, with its id and route, and one per source and framework synced', async () => {
    const lines: Array<Record<string, unknown>> = []
    const logger = createLogger('info', { write: (line: string) => void lines.push(JSON.parse(line)) })
    const fake = await new FakeUpstream().start()
    try {
      serveNpm(fake)
      const config = testConfig(fake.url)
      await runSource({ ...testRunContext(t.db, t.catalog, config), log: logger }, npmSourceOf(config))
    } finally {
      await fake.stop()
    }
    const instance = testApp(t, { log: logger })
    const res = await instance.request('/frameworks/express?range=30d')
    expect(lines.filter((l) => l.msg === 'source synced').map((l) => [l.source, l.framework, l.signal])).toEqual([
      ['npm', 'express', 'downloads'],
      ['npm', 'express', 'releases'],
      ['npm', 'nestjs', 'downloads'],
      ['npm', 'nestjs', 'releases'],
    ])
    // At info, a page served is no line; a failure is.
    expect(lines.filter((l) => l.msg === 'request')).toEqual([])
    const missing = await instance.request('/frameworks/nope', { headers: { 'x-request-id': 'proxy-given-1' } })
    expect(missing.headers.get('x-request-id')).toBe('proxy-given-1')
    expect(lines.filter((l) => l.msg === 'request')).toMatchObject([{ level: 30, reqId: 'proxy-given-1', path: '/frameworks/nope', status: 404 }])
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('logs every request at debug, with its id and route, whether rendered or answered from the memo', async () => {
    const lines: Array<Record<string, unknown>> = []
    const logger = createLogger('debug', { write: (line: string) => void lines.push(JSON.parse(line)) })
    const instance = testApp(t, { log: logger })
    const first = await instance.request('/frameworks/express?range=30d')
    const second = await instance.request('/frameworks/express?range=30d')
    const requests = lines.filter((l) => l.msg === 'request')
    expect(requests).toMatchObject([
      { level: 20, method: 'GET', path: '/frameworks/express', route: '/frameworks/:slug', status: 200 },
      { level: 20, method: 'GET', path: '/frameworks/express', route: '/frameworks/:slug', status: 200 },
    ])
    expect(requests.map((r) => r.reqId)).toEqual([first.headers.get('x-request-id'), second.headers.get('x-request-id')])
    expect(first.headers.get('x-request-id')).not.toBe(second.headers.get('x-request-id'))
    expect(typeof requests[0]!.ms).toBe('number')
  })

  it('sends HSTS only when PUBLIC_URL is https', async () => {
    expect((await app().instance.request('/')).headers.get('strict-transport-security')).toBeNull()
    const https = await app({ publicUrl: 'https://pulse.example' }).instance.request('/')
    expect(https.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains')
    expect(https.headers.get('x-content-type-options')).toBe('nosniff')
    expect(https.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
  })

  it('sends the security headers browsers still honour, and none of the retired ones', async () => {
    const res = await app().instance.request('/')
    expect(res.headers.get('referrer-policy')).toBe('no-referrer')
    expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin')
    expect(res.headers.get('cross-origin-resource-policy')).toBe('same-origin')
    for (const retired of ['x-frame-options', 'x-xss-protection', 'x-download-options', 'x-permitted-cross-domain-policies', 'x-dns-prefetch-control']) {
      expect(res.headers.get(retired), retired).toBeNull()
    }
  })
})

describe('POST /admin/sync', () => {
  it('does not exist without ADMIN_TOKEN, and /status shows no form', async () => {
    const { instance } = app()
    expect((await instance.request('/admin/sync', post({ token: TOKEN }))).status).toBe(404)
    expect(await (await instance.request('/status')).text()).not.toContain('action="/admin/sync"')
  })

  it('refuses a missing or wrong token with 401, and starts nothing', async () => {
    const { instance, ran } = app({ admin: true })
    expect((await instance.request('/admin/sync', post({}))).status).toBe(401)
    expect((await instance.request('/admin/sync', post({ token: 'nope' }))).status).toBe(401)
    expect((await instance.request('/admin/sync', post({}, { authorization: 'Bearer wrong-token-wrong-token' }))).status).toBe(401)
    expect(ran).toEqual([])
  })

  it('starts every job for a bearer token, or one source and framework, and answers 202 at once', async () => {
    const { instance, ran } = app({ admin: true })
    const all = await instance.request('/admin/sync', { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } })
    expect(all.status).toBe(202)
    expect(await all.json()).toEqual({ started: ['npm', 'github'], alreadyRunning: [] })
    const again = await instance.request('/admin/sync?source=github', { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } })
    expect(await again.json()).toEqual({ started: [], alreadyRunning: ['github'] })
    await new Promise((resolve) => setTimeout(resolve, 200))
    const one = await instance.request('/admin/sync?source=github&framework=flask', { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } })
    expect(await one.json()).toEqual({ started: ['github'], alreadyRunning: [] })
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(ran).toContain('github:flask')
    expect(ran.find((r) => r.startsWith('npm:'))).toBe(`npm:${t.catalog.map((f) => f.slug).join('+')}`)
  })

  it('the /status form posts the token and is redirected back with what started', async () => {
    const { instance } = app({ admin: true })
    expect(await (await instance.request('/status')).text()).toContain('action="/admin/sync"')
    const res = await instance.request('/admin/sync', post({ token: TOKEN, source: 'npm' }))
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/status?sync=npm')
    expect(await (await instance.request('/status?sync=npm')).text()).toContain('Started: npm.')
    expect((await instance.request('/status?sync=<script>')).status).toBe(400)
  })

  it('rejects an unknown source or framework with 400', async () => {
    const { instance } = app({ admin: true })
    const source = await instance.request('/admin/sync', post({ token: TOKEN, source: 'cargo' }))
    expect(source.status).toBe(400)
    expect(await source.text()).toContain('source must be one of npm, github')
    expect((await instance.request('/admin/sync', post({ token: TOKEN, framework: 'gin' }))).status).toBe(400)
  })

  it('ignores a client-sent X-Forwarded-For unless TRUST_PROXY is set, so it cannot dodge the limit', async () => {
    const { instance } = app({ admin: true, trustProxy: false })
    const statuses = []
    for (let i = 0; i < 11; i++) statuses.push((await instance.request('/admin/sync', post({ token: 'guess' }, { 'x-forwarded-for': `198.51.100.${i}` }))).status)
    expect(statuses.at(-1)).toBe(429)
  })

  it('rate-limits attempts per client', async () => {
    const { instance } = app({ admin: true })
    const from = { 'x-forwarded-for': '192.0.2.7' }
    const statuses = []
    for (let i = 0; i < 12; i++) statuses.push((await instance.request('/admin/sync', post({ token: 'guess' }, from))).status)
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true)
    expect(statuses.slice(10)).toEqual([429, 429])
  })
})
