import type { ClaimFramework, ClaimInputs } from '../db/queries/claim-inputs.js'
import { fetchedKey } from '../db/queries/claim-inputs.js'
import { addDays } from '../days.js'
import { sourceName } from '../source-names.js'
import { chartUrl, fmt, measured, pct, unmeasurable, type Measured } from './measurement.js'
import { describePeers, peersOf, rankOf, type PeerGroup } from './peers.js'

// RubyGems' daily counts come from totals on consecutive days, so a missed day is a gap: a
// window still counts when 90% of its days are stored, and its mean is over the stored days.
const COVERAGE = 0.9
const TOTALS_ONLY = ['rubygems', 'nuget']

interface Window {
  from: string
  to: string
  mean: number
}

type WindowResult = { ok: true; window: Window; registry: string } | { ok: false; reason: string }

/** Mean daily downloads over `days` days ending `endOffset` days before the newest stored day. */
function window(inputs: ClaimInputs, fw: ClaimFramework, days: number, endOffset: number, needed: number): WindowResult {
  const rows = inputs.downloads.filter((d) => d.framework_id === fw.id)
  if (rows.length === 0) return { ok: false, reason: noDownloads(fw) }
  const registry = rows[0]!.source
  const newest = rows.reduce((max, d) => (d.day > max ? d.day : max), rows[0]!.day)
  const to = addDays(newest, -endOffset)
  const from = addDays(to, -(days - 1))
  const inside = rows.filter((d) => d.day >= from && d.day <= to)
  const stored = new Set(rows.filter((d) => d.day >= addDays(newest, -(needed - 1))).map((d) => d.day)).size
  if (new Set(inside.map((d) => d.day)).size < Math.ceil(days * COVERAGE)) {
    return { ok: false, reason: `only ${stored} days of ${fw.name}'s downloads stored, ${needed} needed` }
  }
  const mean = inside.reduce((sum, d) => sum + d.value, 0) / new Set(inside.map((d) => d.day)).size
  return { ok: true, window: { from, to, mean }, registry }
}

function noDownloads(fw: ClaimFramework): string {
  const counting = fw.registries.filter((r) => r !== 'maven')
  if (counting.length === 0 && fw.registries.includes('maven')) return 'Maven Central publishes no download counts'
  if (counting.length === 0) return `no registry of ${fw.name} is in the catalog`
  // These registries publish a running total: a daily count needs totals from two consecutive days.
  const fromTotals = counting.filter((r) => TOTALS_ONLY.includes(r))
  if (fromTotals.length === counting.length) {
    const publish = fromTotals.length === 1 ? 'publishes' : 'publish'
    return `no daily downloads of ${fw.name} stored yet: ${names(fromTotals)} ${publish} a running total, and a daily count needs totals from two consecutive days of syncs`
  }
  return `no downloads of ${fw.name} stored yet from ${names(counting)}: the first sync has not succeeded`
}

const names = (sources: string[]) => sources.map(sourceName).join(', ')

const fetchedAt = (inputs: ClaimInputs, fw: ClaimFramework) => inputs.fetched.get(fetchedKey(fw.id, 'downloads'))?.toISOString() ?? null

/** Mean daily downloads over the last `days` vs the `days` before, in percent. */
export function downloadsGrowth(inputs: ClaimInputs, fw: ClaimFramework, days: number): Measured {
  const recent = window(inputs, fw, days, 0, 2 * days)
  if (!recent.ok) return unmeasurable(recent.reason)
  const before = window(inputs, fw, days, days, 2 * days)
  if (!before.ok) return unmeasurable(before.reason)
  if (before.window.mean === 0) return unmeasurable(`no downloads of ${fw.name} in the ${days} days compared with`)
  const change = (recent.window.mean / before.window.mean - 1) * 100
  return measured({
    value: change,
    text: `${pct(change)} mean daily downloads, last ${days} days vs the ${days} before`,
    source: recent.registry,
    period: { from: before.window.from, to: recent.window.to },
    fetched_at: fetchedAt(inputs, fw),
    figures: [
      { label: `mean a day ${recent.window.from} – ${recent.window.to}`, value: fmt(recent.window.mean) },
      { label: `mean a day ${before.window.from} – ${before.window.to}`, value: fmt(before.window.mean) },
    ],
    chart: chartUrl(fw.slug, 2 * days),
  })
}

type PeerMeans = { ok: true; means: Map<number, number>; names: Map<number, string>; own: Window; registry: string } | { ok: false; reason: string }

// Peers without stored downloads (Spring Boot: Maven Central counts nothing) are left out and named.
function peerMeans(inputs: ClaimInputs, fw: ClaimFramework, days: number, group: PeerGroup): PeerMeans {
  const own = window(inputs, fw, days, 0, days)
  if (!own.ok) return own
  const means = new Map<number, number>()
  const names = new Map<number, string>()
  for (const peer of peersOf(fw, inputs.frameworks, group)) {
    const w = peer.id === fw.id ? own : window(inputs, peer, days, 0, days)
    if (w.ok) means.set(peer.id, w.window.mean)
    names.set(peer.id, peer.name)
  }
  if (means.size < 2) {
    return { ok: false, reason: `no other framework among ${describePeers(fw, group)} has ${days} days of downloads stored; add its peers to the catalog to compare` }
  }
  return { ok: true, means, names, own: own.window, registry: own.registry }
}

function peerFigures(p: Extract<PeerMeans, { ok: true }>) {
  return [...p.means.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([id, mean]) => ({ label: `${p.names.get(id)}, mean a day`, value: fmt(mean) }))
}

/** Rank by mean daily downloads over the last `days` among its peers (registries count differently). */
export function downloadsRank(inputs: ClaimInputs, fw: ClaimFramework, days: number, group: PeerGroup): Measured {
  const p = peerMeans(inputs, fw, days, group)
  if (!p.ok) return unmeasurable(p.reason)
  const rank = rankOf(fw.id, p.means)
  const missing = [...p.names.keys()].filter((id) => !p.means.has(id)).map((id) => p.names.get(id))
  return measured({
    value: rank,
    text: `#${rank} of ${p.means.size} by mean daily downloads among ${describePeers(fw, group)}${missing.length ? ` (no counts: ${missing.join(', ')})` : ''}`,
    source: p.registry,
    period: { from: p.own.from, to: p.own.to },
    fetched_at: fetchedAt(inputs, fw),
    figures: peerFigures(p),
    chart: chartUrl(fw.slug, days),
  })
}

/** Percent of its peers' mean daily downloads over the last `days`. */
export function downloadsShare(inputs: ClaimInputs, fw: ClaimFramework, days: number, group: PeerGroup): Measured {
  const p = peerMeans(inputs, fw, days, group)
  if (!p.ok) return unmeasurable(p.reason)
  const total = [...p.means.values()].reduce((a, b) => a + b, 0)
  const share = total === 0 ? 0 : (p.means.get(fw.id)! / total) * 100
  return measured({
    value: share,
    text: `${fmt(share)}% of the downloads of ${describePeers(fw, group)}, last ${days} days`,
    source: p.registry,
    period: { from: p.own.from, to: p.own.to },
    fetched_at: fetchedAt(inputs, fw),
    figures: peerFigures(p),
    chart: chartUrl(fw.slug, days),
  })
}
