import { readFileSync } from 'node:fs'
import { addDays } from '../../src/days.js'
import type { FakeUpstream, FakeResponse } from './fake-upstream.js'

export const fixture = (path: string): unknown =>
  JSON.parse(readFileSync(new URL(`../fixtures/${path}`, import.meta.url), 'utf8'))

export const PACKUMENTS: Record<string, string> = {
  express: 'npm/packument-express.json',
  '@nestjs/core': 'npm/packument-nestjs-core.json',
}

/** A deterministic daily count growing 0.15 % a day, so tests can assert exact figures. */
export function downloadsOn(pkg: string, day: string): number {
  const base = pkg === 'express' ? 5_000_000 : 1_000_000
  const daysSince2026 = (Date.parse(`${day}T00:00:00Z`) - Date.parse('2026-01-01T00:00:00Z')) / 86_400_000
  return Math.round(base * 1.0015 ** daysSince2026)
}

/** A range body in the recorded shape: {downloads: [{day, downloads}], start, end, package}. */
export function rangeBody(pkg: string, start: string, end: string) {
  const downloads = []
  for (let day = start; day <= end; day = addDays(day, 1)) downloads.push({ day, downloads: downloadsOn(pkg, day) })
  return { downloads, start, end, package: pkg }
}

export const RANGE_PATH = /^\/downloads\/range\/(\d{4}-\d{2}-\d{2}):(\d{4}-\d{2}-\d{2})\/(.+)$/

/** Routes of a healthy npm (downloads API and registry on one fake host), honouring ETags. */
export function serveNpm(fake: FakeUpstream, { delayMs = 0 } = {}): void {
  fake.on(RANGE_PATH, (_req, m) => {
    const pkg = decodeURIComponent(m[3]!)
    if (!(pkg in PACKUMENTS)) return { status: 404, body: fixture('npm/error-404.json'), delayMs }
    return { body: rangeBody(pkg, m[1]!, m[2]!), delayMs }
  })
  fake.on(/^\/(@[^/]+%2F[^/]+|[^/@]+)$/, (req, m) => ({
    ...packumentResponse(decodeURIComponent(m[1]!), req.headers['if-none-match']),
    delayMs,
  }))
}

function packumentResponse(pkg: string, ifNoneMatch: string | string[] | undefined): FakeResponse {
  const file = PACKUMENTS[pkg]
  if (!file) return { status: 404, body: { error: 'Not found' } }
  const etag = `"${pkg}-v1"`
  if (ifNoneMatch === etag) return { status: 304, headers: { etag } }
  return { headers: { etag, 'last-modified': 'Fri, 20 Jun 2025 12:00:01 GMT' }, body: fixture(file) }
}
