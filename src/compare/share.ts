import type { Point } from '../db/queries/series.js'
import type { CompareSeries } from './transform.js'

export interface Member {
  slug: string
  name: string
}

/** One denominator: the tracked frameworks on a registry, on GitHub, or (releases) all of them. */
export interface ShareGroup {
  /** The series' source ('pypi', 'github'), or 'releases' for release counts of every source. */
  key: string
  members: Member[]
  /** Members with no figure at all in the range: no share can be computed while one is missing. */
  missing: string[]
  /** The only tracked framework there: its share is 100 % every day, so no line is drawn. */
  alone: boolean
}

/**
 * Share, in percent, of the total of every tracked framework in the same group on that day
 * (week, quarter): FastAPI's PyPI downloads over Django's + FastAPI's + Flask's. The group never
 * depends on which frameworks are shown, and registries are never summed together. A day on
 * which any member has no figure is left out: the others' shares would read too large.
 *
 * `all` holds every tracked framework's series; `shown` the ones to draw (a subset of them).
 */
export function shareSeries(
  shown: CompareSeries[],
  all: CompareSeries[],
  groupOf: (s: CompareSeries) => string,
  membersOf: (key: string) => Member[],
): { series: CompareSeries[]; groups: ShareGroup[] } {
  const groups = new Map<string, ShareGroup & { totals: Map<string, number> }>()
  for (const key of new Set(shown.map(groupOf))) {
    const peers = all.filter((s) => groupOf(s) === key)
    // The catalog's members, plus any framework with data there that the catalog no longer lists.
    const members = [...membersOf(key)]
    for (const s of peers) if (!members.some((m) => m.slug === s.framework)) members.push({ slug: s.framework, name: s.frameworkName })
    const missing = members.filter((m) => !peers.some((s) => s.framework === m.slug && s.points.length > 0)).map((m) => m.name)
    groups.set(key, { key, members, missing, alone: members.length === 1, totals: totalsWhereComplete(peers, members) })
  }
  const series = shown.flatMap((s) => {
    const group = groups.get(groupOf(s))!
    if (group.alone) return []
    const points: Point[] = []
    for (const p of s.points) {
      const total = group.totals.get(p.day)
      if (total !== undefined && total > 0) points.push({ day: p.day, value: (p.value / total) * 100 })
    }
    return [{ ...s, points }]
  })
  return { series, groups: [...groups.values()].map(({ totals: _, ...g }) => g) }
}

/** Day → sum of every series, on the days each member has at least one figure. */
function totalsWhereComplete(peers: CompareSeries[], members: Member[]): Map<string, number> {
  const sums = new Map<string, number>()
  const present = new Map<string, Set<string>>()
  for (const s of peers) {
    for (const p of s.points) {
      sums.set(p.day, (sums.get(p.day) ?? 0) + p.value)
      present.set(p.day, (present.get(p.day) ?? new Set()).add(s.framework))
    }
  }
  const totals = new Map<string, number>()
  for (const [day, sum] of sums) if (members.every((m) => present.get(day)!.has(m.slug))) totals.set(day, sum)
  return totals
}
