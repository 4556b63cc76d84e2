import { createHash } from 'node:crypto'
import { addDays, toDay } from '../../src/days.js'
import type { FakeResponse, FakeUpstream, RecordedRequest } from './fake-upstream.js'
import { fixture } from './npm-upstream.js'

export const NOW = new Date('2026-11-25T12:00:00Z')
const TODAY = toDay(NOW)
const DAY_S = 86_400

/**
 * The ten catalog repositories as the fake serves them. Histories are far shorter than the real
 * ones (weeks, the creation week included) so a 60-request budget can finish them in two runs:
 * django needs 22 pages of 30 weeks, the others 2 or 3. Express publishes 150 releases (two pages
 * of 100), django none (it only tags), the rest the ten recorded ones.
 */
export interface FakeRepo {
  fullName: string
  id: number
  weeks: number
  /** Or the repository's own releases, as a test gives them. */
  releases: 'none' | 'recorded' | 'many' | Release[]
}

export const FAKE_REPOS: FakeRepo[] = [
  { fullName: 'django/django', id: 4164482, weeks: 650, releases: 'none' },
  { fullName: 'expressjs/express', id: 237159, weeks: 80, releases: 'many' },
  { fullName: 'spring-projects/spring-boot', id: 6296790, weeks: 45, releases: 'recorded' },
  { fullName: 'rails/rails', id: 8514, weeks: 70, releases: 'recorded' },
  { fullName: 'laravel/framework', id: 7548986, weeks: 40, releases: 'recorded' },
  { fullName: 'dotnet/aspnetcore', id: 17620347, weeks: 35, releases: 'recorded' },
  { fullName: 'fastapi/fastapi', id: 160919119, weeks: 85, releases: 'recorded' },
  { fullName: 'nestjs/nest', id: 28017085, weeks: 50, releases: 'recorded' },
  { fullName: 'pallets/flask', id: 596892, weeks: 31, releases: 'recorded' },
  { fullName: 'phoenixframework/phoenix', id: 3481232, weeks: 60, releases: 'recorded' },
]

/** Sunday 00:00 UTC starting the week of `day` (the fake's weeks are UTC, Sunday first). */
export function weekStart(day: string): number {
  const t = Date.parse(`${day}T00:00:00Z`) / 1000
  return t - new Date(t * 1000).getUTCDay() * DAY_S
}

export function createdAt(repo: FakeRepo): string {
  const week = weekStart(TODAY) - (repo.weeks - 1) * 7 * DAY_S
  return new Date((week + 2 * DAY_S + 9.5 * 3600) * 1000).toISOString().replace('.000Z', 'Z')
}

/** Deterministic stars that still exist, by the day they were given: 0 to 4 a day. */
export function starsOn(repo: FakeRepo, day: string): number {
  if (day < createdAt(repo).slice(0, 10) || day > TODAY) return 0
  return (Math.round(Date.parse(`${day}T00:00:00Z`) / 1000 / DAY_S) * 7 + repo.id) % 5
}

export function totalStars(repo: FakeRepo): number {
  let total = 0
  for (let day = createdAt(repo).slice(0, 10); day <= TODAY; day = addDays(day, 1)) total += starsOn(repo, day)
  return total
}

/** The history endpoint's weeks, newest first: `week` (Unix seconds), `total`, `days` (7). */
export function historyWeeks(repo: FakeRepo) {
  return Array.from({ length: repo.weeks }, (_, i) => {
    const week = weekStart(TODAY) - i * 7 * DAY_S
    const days = Array.from({ length: 7 }, (_, d) => starsOn(repo, toDay(new Date((week + d * DAY_S) * 1000))))
    return { week, total: days.reduce((a, b) => a + b, 0), days }
  })
}

export type Release = Record<string, unknown> & { tag_name: string }
const RECORDED = fixture('github/releases.json') as Release[]
const TAGS = fixture('github/tags.json') as Array<{ name: string; commit: { sha: string } }>
const COMMIT = fixture('github/commit.json') as { commit: { committer: Record<string, string> } }

function releasesOf(repo: FakeRepo): Release[] {
  if (Array.isArray(repo.releases)) return repo.releases
  if (repo.releases === 'none') return []
  if (repo.releases === 'recorded') return RECORDED
  // The recorded ten, then 140 older copies of them under other tags.
  const older = Array.from({ length: 140 }, (_, i) => ({ ...RECORDED[i % 10]!, id: i, tag_name: `v0.${139 - i}.0` }))
  return [...RECORDED, ...older]
}

/** The date the fake gives the commit of the n-th recorded tag: 30 days apart, newest first. */
export function tagDate(n: number): string {
  return `${addDays('2024-11-03', -30 * n)}T16:20:12Z`
}

/**
 * GitHub (and OSS Insight, under /v1) on the fake server: ETags and 304s, Link pagination with
 * /repositories/{id} URLs, 301 for renamed repositories, and x-ratelimit-* headers counting
 * down from `limit` like the real API; once spent, 403 with remaining 0 and the recorded body.
 * A 304 to an authorized request costs nothing (GitHub's docs on conditional requests).
 */
export class FakeGitHub {
  limit = 60
  remaining = 60
  resetAt = Math.floor(Date.now() / 1000) + 3600
  historyStatus = 200
  ossInsightRemaining = 600
  /** old full name → new full name: the old path answers 301 to /repositories/{id}. */
  readonly renamed = new Map<string, string>()
  readonly repos: FakeRepo[]

  constructor(
    private readonly fake: FakeUpstream,
    repos: FakeRepo[] = FAKE_REPOS,
  ) {
    this.repos = repos.map((r) => ({ ...r }))
  }

  serve(): this {
    this.fake.on(/^\/(repos|repositories|v1)\//, (req) => this.handle(req))
    return this
  }

  /** A new rate-limit window. */
  reset(limit = this.limit): void {
    this.limit = limit
    this.remaining = limit
    this.resetAt = Math.floor(Date.now() / 1000) + 3600
  }

  githubRequests(): RecordedRequest[] {
    return this.fake.requests.filter((r) => /^\/(repos|repositories)\//.test(r.path))
  }

  /** The answer to one request; tests that override a route can hand requests back here. */
  handle(req: RecordedRequest): FakeResponse {
    const url = new URL(req.path, 'http://fake')
    if (url.pathname.startsWith('/v1/')) return this.ossInsight(url)
    if (this.remaining <= 0) {
      return { status: 403, headers: this.rateHeaders(), body: fixture('github/error-ratelimit-403-2013.json') }
    }
    const response = this.route(url)
    const etag = response.status === undefined && typeof response.body === 'object' ? etagOf(response.body) : undefined
    const notModified = etag !== undefined && req.headers['if-none-match'] === etag
    if (!(notModified && req.headers.authorization)) this.remaining--
    const headers = { ...this.rateHeaders(), ...(etag ? { etag } : {}), ...response.headers }
    return notModified ? { status: 304, headers } : { ...response, headers }
  }

  private rateHeaders(): Record<string, string> {
    return {
      'x-ratelimit-limit': String(this.limit),
      'x-ratelimit-remaining': String(Math.max(0, this.remaining)),
      'x-ratelimit-reset': String(this.resetAt),
      'x-ratelimit-used': String(this.limit - Math.max(0, this.remaining)),
      'x-ratelimit-resource': 'core',
    }
  }

  private route(url: URL): FakeResponse {
    const m = /^\/(?:repos\/([^/]+\/[^/]+)|repositories\/(\d+))(\/.*)?$/.exec(url.pathname)
    const name = m?.[1]
    if (name && this.renamed.has(name)) {
      const target = this.repos.find((r) => r.fullName === this.renamed.get(name))!
      return { status: 301, headers: { location: `/repositories/${target.id}${m?.[3] ?? ''}${url.search}` }, body: '' }
    }
    const repo = this.repos.find((r) => (name ? r.fullName === name : String(r.id) === m?.[2]))
    if (!repo) return notFound()
    const rest = m?.[3] ?? ''
    if (rest === '') return { body: this.repoBody(repo) }
    if (rest === '/releases') return this.paged(url, repo, 'releases', releasesOf(repo), 100)
    if (rest === '/tags') return this.paged(url, repo, 'tags', repo.releases === 'none' ? TAGS : [], 100)
    if (rest === '/stargazers/history') {
      if (this.historyStatus !== 200) return { ...notFound(), status: this.historyStatus }
      const perPage = Number(url.searchParams.get('per_page') ?? 30)
      if (perPage > 30) return { status: 422, body: fixture('github/error-validation-422.json') }
      if (Number(url.searchParams.get('page') ?? 1) > 100) return { status: 422, body: fixture('github/error-stargazers-pagination-422.json') }
      return this.paged(url, repo, 'stargazers/history', historyWeeks(repo), perPage)
    }
    const commit = /^\/commits\/([0-9a-f]{40})$/.exec(rest)
    const n = TAGS.findIndex((t) => t.commit.sha === commit?.[1])
    if (commit && n >= 0) {
      return { body: { ...COMMIT, sha: commit[1], commit: { ...COMMIT.commit, committer: { ...COMMIT.commit.committer, date: tagDate(n) } } } }
    }
    return notFound()
  }

  private repoBody(repo: FakeRepo) {
    const [owner, name] = repo.fullName.split('/')
    return {
      ...(fixture('github/repo.json') as object),
      id: repo.id,
      name,
      full_name: repo.fullName,
      owner: { login: owner },
      html_url: `https://github.com/${repo.fullName}`,
      created_at: createdAt(repo),
      pushed_at: '2026-11-24T18:02:11Z',
      stargazers_count: totalStars(repo),
      watchers_count: totalStars(repo),
      forks_count: repo.id % 1000,
      open_issues_count: repo.id % 300,
      subscribers_count: repo.id % 500,
      archived: repo.fullName === 'pallets/flask',
    }
  }

  /** GitHub pagination: `per_page`, `page` from 1, and a Link header with /repositories/{id} URLs. */
  private paged(url: URL, repo: FakeRepo, path: string, items: unknown[], perPage: number): FakeResponse {
    const size = Math.min(Number(url.searchParams.get('per_page') ?? 30), perPage)
    const page = Number(url.searchParams.get('page') ?? 1)
    const last = Math.max(1, Math.ceil(items.length / size))
    const link = (p: number) => `<${this.fake.url}/repositories/${repo.id}/${path}?per_page=${size}&page=${p}>`
    const rels = [
      ...(page < last ? [`${link(page + 1)}; rel="next"`, `${link(last)}; rel="last"`] : []),
      ...(page > 1 ? [`${link(1)}; rel="first"`, `${link(page - 1)}; rel="prev"`] : []),
    ]
    return { body: items.slice((page - 1) * size, page * size), headers: rels.length > 0 ? { link: rels.join(', ') } : {} }
  }

  /** OSS Insight: running totals of stars given on the days that had any, from creation on. */
  private ossInsight(url: URL): FakeResponse {
    const m = /^\/v1\/repos\/([^/]+\/[^/]+)\/stargazers\/history\/$/.exec(url.pathname)
    const repo = this.repos.find((r) => r.fullName === m?.[1])
    if (!repo) return notFound()
    const from = url.searchParams.get('from') ?? '2000-01-01'
    const to = url.searchParams.get('to') ?? '2099-01-01'
    const rows: Array<{ date: string; stargazers: string }> = []
    let total = 0
    for (let day = createdAt(repo).slice(0, 10); day <= TODAY; day = addDays(day, 1)) {
      total += starsOn(repo, day)
      if (starsOn(repo, day) > 0 && day >= from && day <= to) rows.push({ date: day, stargazers: String(total) })
    }
    this.ossInsightRemaining--
    const body = fixture('github/ossinsight-stargazers-history.json') as { data: object }
    return {
      headers: { 'x-ratelimit-limit': '600', 'x-ratelimit-remaining': String(this.ossInsightRemaining), 'x-ratelimit-reset': String(this.resetAt) },
      body: { ...body, data: { ...body.data, rows: rows.slice(0, 2000) } },
    }
  }
}

function notFound(): FakeResponse {
  return { status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' } }
}

function etagOf(body: unknown): string {
  return `W/"${createHash('sha1').update(JSON.stringify(body)).digest('hex')}"`
}
