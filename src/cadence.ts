import semver from 'semver'

export interface ReleasePoint {
  version: string
  published_at: Date
  prerelease: boolean
}

export interface Cadence {
  /** Distinct stable versions published in the 365 days before `now`. */
  stableLastYear: number
  prereleasesLastYear: number
  /** Median days between consecutive stable releases of the last 365 days; null with fewer than two. */
  medianDaysBetween: number | null
  daysSinceLast: number | null
  lastVersion: string | null
  /** "major.minor" of the highest stable version ever published, e.g. "5.1". */
  latestMinor: string | null
}

const DAY = 86_400_000

/**
 * Release cadence from every source's releases. A version listed by a registry and by GitHub
 * ("v5.1.0" and "5.1.0") is one release, dated by its earliest publication.
 */
export function cadence(releases: ReleasePoint[], now: Date): Cadence {
  const byVersion = new Map<string, ReleasePoint>()
  for (const r of releases) {
    const key = r.version.replace(/^v/i, '')
    const seen = byVersion.get(key)
    if (!seen || r.published_at < seen.published_at) byVersion.set(key, { ...r, version: key })
  }
  const all = [...byVersion.values()].sort((a, b) => a.published_at.getTime() - b.published_at.getTime())
  const stable = all.filter((r) => !r.prerelease)
  const yearAgo = now.getTime() - 365 * DAY
  const recent = stable.filter((r) => r.published_at.getTime() >= yearAgo)
  const last = stable.at(-1) ?? null
  return {
    stableLastYear: recent.length,
    prereleasesLastYear: all.filter((r) => r.prerelease && r.published_at.getTime() >= yearAgo).length,
    medianDaysBetween: median(recent.slice(1).map((r, i) => (r.published_at.getTime() - recent[i]!.published_at.getTime()) / DAY)),
    daysSinceLast: last ? Math.floor((now.getTime() - last.published_at.getTime()) / DAY) : null,
    lastVersion: last?.version ?? null,
    latestMinor: latestMinor(stable.map((r) => r.version)),
  }
}

function median(values: number[]): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  const value = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
  return Math.round(value * 10) / 10
}

// semver.coerce reads "5.1", "3.4.0.RELEASE" and "2024.1" alike, so every registry's scheme ranks.
function latestMinor(versions: string[]): string | null {
  const parsed = versions.map((v) => semver.coerce(v)).filter((v) => v !== null)
  const highest = parsed.sort(semver.rcompare)[0]
  return highest ? `${highest.major}.${highest.minor}` : null
}
