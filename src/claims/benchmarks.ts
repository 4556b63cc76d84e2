import type { BenchmarkEntry, ClaimFramework, ClaimInputs } from '../db/queries/claim-inputs.js'
import type { BenchmarkSource } from '../db/schema.js'
import { toDay } from '../days.js'
import { sourceName } from '../source-names.js'
import { fmt, measured, unmeasurable, type Measured, type Measurement } from './measurement.js'
import { describePeers, peersOf, type PeerGroup } from './peers.js'

export interface BenchmarkTest {
  source: BenchmarkSource
  testType: string
  concurrency?: number | undefined
}

/**
 * The id of the /benchmarks heading over a test's chart and table (views/components/tfb-results.tsx,
 * benchmarker-results.tsx), so a claim's link lands on its figures rather than the page's top.
 */
export function benchmarkSection(source: BenchmarkSource, testType: string): string {
  // the-benchmarker measures one test (hello world) at several connection counts: one section.
  return source === 'techempower' ? `tfb-${testType}` : 'bm-hello'
}

const testName = (t: BenchmarkTest) => `${t.testType}${t.concurrency ? ` at ${t.concurrency} connections` : ''}`

type Found = { ok: true; run: BenchmarkEntry[]; entry: BenchmarkEntry } | { ok: false; reason: string }

// The representative variant (README, "Representative variant"); the-benchmarker marks one per level.
function representative(rows: BenchmarkEntry[], fwId: number, t: BenchmarkTest): BenchmarkEntry | undefined {
  return rows
    .filter((r) => r.framework_id === fwId && r.represents && r.test_type === t.testType && r.requests_per_s !== null)
    .filter((r) => t.concurrency === undefined || r.concurrency === t.concurrency)
    .sort((a, b) => (b.requests_per_s ?? 0) - (a.requests_per_s ?? 0))[0]
}

function find(inputs: ClaimInputs, fw: ClaimFramework, t: BenchmarkTest): Found {
  const run = inputs.benchmarks.filter((b) => b.source === t.source)
  if (run.length === 0) return { ok: false, reason: `no ${sourceName(t.source)} run with tracked frameworks imported yet` }
  const entry = representative(run, fw.id, t)
  if (!entry) return { ok: false, reason: `${fw.name} has no ${testName(t)} result in ${sourceName(t.source)}'s ${run[0]!.run_name}` }
  return { ok: true, run, entry }
}

function base(t: BenchmarkTest, e: BenchmarkEntry): Omit<Measurement, 'value' | 'text' | 'figures'> {
  const date = e.run_date ? ` (${toDay(e.run_date)})` : ''
  return { source: `${sourceName(t.source)} ${e.run_name}${date}`, period: null, fetched_at: e.imported_at.toISOString(), chart: `/benchmarks#${benchmarkSection(t.source, t.testType)}` }
}

/** Its rank in the newest run as a percent of every implementation ranked there (10 = top tenth). */
export function benchmarkTopPct(inputs: ClaimInputs, fw: ClaimFramework, t: BenchmarkTest): Measured {
  const found = find(inputs, fw, t)
  if (!found.ok) return unmeasurable(found.reason)
  const e = found.entry
  if (e.rank === null || e.out_of === null) return unmeasurable(`${sourceName(t.source)}'s ${e.run_name} ranks no ${testName(t)} result`)
  const top = (e.rank / e.out_of) * 100
  return measured({
    ...base(t, e),
    value: top,
    text: `#${e.rank} of ${e.out_of} (top ${fmt(top)}%) on ${testName(t)}`,
    figures: [
      { label: `${e.variant}, requests/s`, value: fmt(e.requests_per_s ?? 0) },
      { label: 'rank in the run', value: `${e.rank} of ${e.out_of}` },
    ],
  })
}

/** Its rank by requests/s among its peers' representative variants in the newest run. */
export function benchmarkPeerRank(inputs: ClaimInputs, fw: ClaimFramework, t: BenchmarkTest, group: PeerGroup): Measured {
  const found = find(inputs, fw, t)
  if (!found.ok) return unmeasurable(found.reason)
  const name = new Map(inputs.frameworks.map((f) => [f.id, f.name]))
  const results = peersOf(fw, inputs.frameworks, group)
    .flatMap((p) => representative(found.run, p.id, t) ?? [])
    .sort((a, b) => b.requests_per_s! - a.requests_per_s!)
  if (results.length < 2) return unmeasurable(`no other framework among ${describePeers(fw, group)} has a ${testName(t)} result in ${found.entry.run_name}`)
  const rank = 1 + results.filter((r) => r.requests_per_s! > found.entry.requests_per_s!).length
  return measured({
    ...base(t, found.entry),
    value: rank,
    text: `#${rank} of ${results.length} among ${describePeers(fw, group)} on ${testName(t)}`,
    figures: results.map((r) => ({ label: `${name.get(r.framework_id)} (${r.variant}), requests/s`, value: fmt(r.requests_per_s!) })),
  })
}
