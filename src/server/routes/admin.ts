import { getConnInfo } from '@hono/node-server/conninfo'
import { Hono, type Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { rateLimiter } from 'hono-rate-limiter'
import { z } from 'zod'
import type { Job } from '../../jobs/jobs.js'
import type { JobRunner } from '../../jobs/scheduler.js'
import type { CatalogEntry } from '../../catalog/catalog.js'
import { tokenMatches } from '../admin-auth.js'

export interface AdminDeps {
  token: string
  /** TRUST_PROXY: take the client address from X-Forwarded-For (set only behind a proxy). */
  trustProxy: boolean
  jobs: Job[]
  runner: JobRunner
  catalog: CatalogEntry[]
}

const syncForm = z.object({
  token: z.string().optional(),
  source: z.string().optional(),
  framework: z.string().optional(),
})

/**
 * POST /admin/sync: starts jobs now (all, one source, and/or one framework) and answers at once.
 * A JSON client sends `Authorization: Bearer <ADMIN_TOKEN>` and gets 202; the form on /status
 * sends the token as a field and is redirected back to /status.
 */
export function adminRoutes(admin: AdminDeps) {
  return new Hono().post(
    '/admin/sync',
    // Ten attempts a minute per client: guessing a 16+ character token stays hopeless.
    rateLimiter({ windowMs: 60_000, limit: 10, keyGenerator: (c) => clientAddress(c, admin.trustProxy) }),
    async (c) => {
      const form = await readForm(c)
      const bearer = c.req.header('authorization')?.replace(/^Bearer\s+/i, '')
      if (!tokenMatches(bearer ?? form.token, admin.token)) throw new HTTPException(401, { message: 'admin token missing or wrong' })
      const jobs = selectJobs(admin.jobs, form.source)
      const catalog = selectFrameworks(admin.catalog, form.framework)
      const started = jobs.filter((job) => !admin.runner.isRunning(job.name))
      for (const job of started) void admin.runner.run(job, { catalog })
      const body = { started: started.map((j) => j.name), alreadyRunning: jobs.filter((j) => !started.includes(j)).map((j) => j.name) }
      if (!bearer) return c.redirect(`/status?sync=${encodeURIComponent(body.started.join(',') || 'none')}`, 303)
      return c.json(body, 202)
    },
  )
}

async function readForm(c: Context) {
  const type = c.req.header('content-type') ?? ''
  const raw = type.includes('form') ? Object.fromEntries(Object.entries(await c.req.parseBody()).map(([k, v]) => [k, String(v)])) : c.req.query()
  const parsed = syncForm.safeParse(raw)
  if (!parsed.success) throw new HTTPException(400, { message: `bad form: ${parsed.error.issues[0]!.message}` })
  return { ...parsed.data, source: parsed.data.source || undefined, framework: parsed.data.framework || undefined }
}

function selectJobs(jobs: Job[], source: string | undefined): Job[] {
  if (!source) return jobs
  const job = jobs.find((j) => j.name === source)
  if (!job) throw new HTTPException(400, { message: `source must be one of ${jobs.map((j) => j.name).join(', ')}` })
  return [job]
}

function selectFrameworks(catalog: CatalogEntry[], slug: string | undefined): CatalogEntry[] {
  if (!slug) return catalog
  const entry = catalog.filter((f) => f.slug === slug)
  if (entry.length === 0) throw new HTTPException(400, { message: `framework must be one of ${catalog.map((f) => f.slug).join(', ')}` })
  return entry
}

// A client could send any X-Forwarded-For to get a fresh rate-limit bucket per attempt: it is read
// only when TRUST_PROXY says a proxy in front sets it (behind one, every client shares its address).
function clientAddress(c: Context, trustProxy: boolean): string {
  const forwarded = trustProxy ? c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim() : undefined
  if (forwarded) return forwarded
  try {
    return getConnInfo(c).remote.address ?? 'unknown'
  } catch {
    // No socket: a request made in-process (app.request), as tests do.
    return 'local'
  }
}
