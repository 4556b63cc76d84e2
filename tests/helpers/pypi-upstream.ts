import { addDays } from '../../src/days.js'
import type { FakeResponse, FakeUpstream } from './fake-upstream.js'
import { fixture } from './npm-upstream.js'

/** PyPI JSON bodies by PEP 503 name (the names the fake knows). */
export const PROJECTS: Record<string, string> = {
  django: 'pypi/project-django.json',
  fastapi: 'pypi/project-fastapi.json',
  flask: 'pypi/project-flask.json',
}

// "Time series data is retained only for 180 days" (pypistats.org, pypi.md).
export const WINDOW_DAYS = 180

/** A deterministic daily count without mirrors, growing 0.1 % a day, so tests assert exact figures. */
export function pypiDownloadsOn(pkg: string, day: string): number {
  const base = { django: 400_000, fastapi: 1_500_000, flask: 2_000_000 }[pkg] ?? 1_000
  const daysSince2026 =
    (Date.parse(`${day}T00:00:00Z`) - Date.parse('2026-01-01T00:00:00Z')) / 86_400_000
  return Math.round(base * 1.001 ** daysSince2026)
}

/**
 * An `/overall` body in the documented shape: the retained window ending `lastDay`, sorted by
 * category then date; `mirrors=false` keeps only "without_mirrors", as views/api.py does.
 */
export function overallBody(pkg: string, lastDay: string, mirrors: string | null = null) {
  const categories =
    mirrors === 'false'
      ? ['without_mirrors']
      : mirrors === 'true'
        ? ['with_mirrors']
        : ['with_mirrors', 'without_mirrors']
  const data = []
  for (const category of categories) {
    for (let i = WINDOW_DAYS - 1; i >= 0; i--) {
      const date = addDays(lastDay, -i)
      const downloads = pypiDownloadsOn(pkg, date)
      data.push({
        category,
        date,
        downloads: category === 'with_mirrors' ? downloads + 1_234 : downloads,
      })
    }
  }
  return { data, package: pkg, type: 'overall_downloads' }
}

export const OVERALL_PATH = /^\/api\/packages\/([^/?]+)\/overall(?:\?(.*))?$/
export const PROJECT_PATH = /^\/pypi\/([^/]+)\/json$/

/** pypistats and PyPI (one fake host) with `lastDay` the newest day pypistats has ingested. */
export function servePypi(fake: FakeUpstream, { lastDay }: { lastDay: string }): void {
  fake.on(OVERALL_PATH, (_req, m) => {
    // The server rewrites `.` and `_` to `-` but does not lower-case (views/api.py).
    const pkg = decodeURIComponent(m[1]!).replace(/[._]/g, '-')
    if (!(pkg in PROJECTS)) return PYPISTATS_404
    return { body: overallBody(pkg, lastDay, new URLSearchParams(m[2] ?? '').get('mirrors')) }
  })
  fake.on(PROJECT_PATH, (req, m) =>
    projectResponse(decodeURIComponent(m[1]!), req.headers['if-none-match']),
  )
}

/** pypistats error bodies are plain text, not JSON (views/error.py). */
export const PYPISTATS_404: FakeResponse = {
  status: 404,
  headers: { 'content-type': 'text/html; charset=utf-8' },
  body: '404',
}
/** Warehouse's JSON-API 404 (warehouse/views.py). */
export const PYPI_404: FakeResponse = { status: 404, body: { message: 'Not Found' } }

export const projectEtag = (name: string) => `"${name}-serial-1"`

function projectResponse(name: string, ifNoneMatch: string | string[] | undefined): FakeResponse {
  const normalized = name.replace(/[-_.]+/g, '-').toLowerCase()
  // "Name not normalized → 301 redirect to the PEP 503 normalized name" (pypi.md).
  if (normalized !== name) return { status: 301, headers: { location: `/pypi/${normalized}/json` } }
  const file = PROJECTS[name]
  if (!file) return PYPI_404
  const etag = projectEtag(name)
  if (ifNoneMatch === etag) return { status: 304, headers: { etag } }
  return { headers: { etag, 'x-pypi-last-serial': '1' }, body: fixture(file) }
}
