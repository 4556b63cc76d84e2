import type { ClaimFramework, ClaimInputs } from '../db/queries/claim-inputs.js'
import { fetchedKey } from '../db/queries/claim-inputs.js'
import { addDays } from '../days.js'
import { chartUrl, fmt, measured, pct, unmeasurable, type Measured } from './measurement.js'
import { describePeers, peersOf, rankOf, type PeerGroup } from './peers.js'

const noStars = (fw: ClaimFramework) => `no GitHub star count of ${fw.name} stored yet: the first GitHub sync has not succeeded`

/** Rank by the newest GitHub star count among its peers. */
export function starsRank(inputs: ClaimInputs, fw: ClaimFramework, group: PeerGroup): Measured {
  const own = inputs.stars.find((s) => s.framework_id === fw.id)
  if (!own) return unmeasurable(noStars(fw))
  const peers = peersOf(fw, inputs.frameworks, group)
  const counts = new Map(peers.flatMap((p) => inputs.stars.filter((s) => s.framework_id === p.id).map((s) => [p.id, s.value] as const)))
  if (counts.size < 2) return unmeasurable(`no other framework among ${describePeers(fw, group)} has a star count stored yet`)
  const rank = rankOf(fw.id, counts)
  const name = new Map(peers.map((p) => [p.id, p.name]))
  return measured({
    value: rank,
    text: `#${rank} of ${counts.size} by GitHub stars among ${describePeers(fw, group)}`,
    source: 'GitHub',
    period: { from: own.day, to: own.day },
    fetched_at: own.fetched_at.toISOString(),
    figures: [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([id, n]) => ({ label: `${name.get(id)} stars`, value: fmt(n) })),
    chart: chartUrl(fw.slug, 90).replace('#trend-chart', '#chart-stars'),
  })
}

// The star history counts stars given per day (metric stars_retained); the snapshot gives today's
// total, so growth = stars given in the window over the total before it.
const COVERAGE = 0.9

/** Stars given over the last `days`, in percent of the stars it had before them. */
export function starsGrowth(inputs: ClaimInputs, fw: ClaimFramework, days: number): Measured {
  const now = inputs.stars.find((s) => s.framework_id === fw.id)
  if (!now) return unmeasurable(noStars(fw))
  const given = inputs.starsGiven.filter((d) => d.framework_id === fw.id)
  if (given.length === 0) return unmeasurable(`no star history of ${fw.name} stored yet (GitHub's history is read over several runs without a token)`)
  const to = given.reduce((max, d) => (d.day > max ? d.day : max), given[0]!.day)
  const from = addDays(to, -(days - 1))
  const inside = given.filter((d) => d.day >= from)
  const stored = new Set(inside.map((d) => d.day)).size
  if (stored < Math.ceil(days * COVERAGE)) return unmeasurable(`only ${stored} days of ${fw.name}'s star history stored, ${days} needed`)
  const gained = inside.reduce((sum, d) => sum + d.value, 0)
  const before = now.value - gained
  if (before <= 0) return unmeasurable(`${fw.name}'s stars before ${from} are not known`)
  const growth = (gained / before) * 100
  return measured({
    value: growth,
    text: `${pct(growth)} GitHub stars in the last ${days} days`,
    source: 'GitHub',
    period: { from, to },
    fetched_at: inputs.fetched.get(fetchedKey(fw.id, 'stars_retained'))?.toISOString() ?? now.fetched_at.toISOString(),
    figures: [
      { label: `stars given ${from} – ${to}`, value: fmt(gained) },
      { label: `stars on ${now.day}`, value: fmt(now.value) },
    ],
    chart: chartUrl(fw.slug, days).replace('#trend-chart', '#chart-stars'),
  })
}
