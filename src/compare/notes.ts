import type { CompareResult } from '../db/queries/compare.js'
import { inSentence, sourceName } from '../source-names.js'
import { COMPARE_CHOICES, isReleaseMetric } from './options.js'
import { quarterLabel } from './quarters.js'

/**
 * A comparison as drawn, with the shown frameworks whose only registry publishes no download
 * counts (Maven Central's), by name: set by the route when the metric is downloads.
 */
export type ChartResult = CompareResult & { noDownloadCounts?: readonly string[] }

const list = (names: string[]) => (names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`)
const PERIODS = { day: 'Days', week: 'Weeks', quarter: 'Quarters' } as const

/**
 * What a reader must know to read the chart right, in plain sentences: on the page beside the
 * chart and in the JSON. Registry-count caveats are separate (REGISTRY_CAVEAT).
 */
export function compareNotes(result: ChartResult): string[] {
  const { state, bucket } = result
  const notes: string[] = []
  if (isReleaseMetric(state.metric)) {
    notes.push(
      'Stable releases per calendar quarter (UTC), from every source that lists them: a version on a registry and on GitHub ("v5.1.0" and "5.1.0") counts once, dated by its earliest publication; prereleases are left out.',
    )
    const q = result.quarters
    if (q) {
      const soFar = q.soFar.map((c) => `${c.name} ${c.value}`).join(', ')
      notes.push(`${quarterLabel(q.current)} is not over: it is left out rather than drawn as a dip${soFar ? ` (so far: ${soFar})` : ''}.`)
      if (q.widened) notes.push('Releases are counted per quarter: a range shorter than four quarters shows the last four complete quarters.')
    }
    if (state.smooth !== 'none') notes.push('Smoothing does not apply to quarterly counts: each point is already a quarter’s total.')
    if (state.view === 'log') notes.push('A quarter without a stable release (0) cannot be drawn on a log scale and is left out.')
  }
  for (const g of result.share ?? []) {
    const names = g.members.map((m) => m.name)
    if (g.alone) {
      notes.push(`${names[0]} is the only tracked framework on ${sourceName(g.key)}: its share would be 100 % every time, so no line is drawn.`)
      continue
    }
    if (g.key === 'releases') {
      notes.push(`Share of the stable releases of all ${names.length} tracked frameworks that quarter (${list(names)}), whichever of them are shown.`)
    } else {
      const why = g.key === 'github' ? 'GitHub publishes no total over all repositories we could divide by' : 'registries publish no ecosystem-wide total we can divide by'
      notes.push(`Share among the ${names.length} tracked frameworks on ${sourceName(g.key)} (${list(names)}), whichever of them are shown: ${why}. ${PERIODS[bucket]} on which any of them has no figure are left out.`)
    }
    if (g.missing.length > 0) {
      notes.push(`${list(g.missing)} ${g.missing.length === 1 ? 'has' : 'have'} no figures stored in this range: no share can be computed until every one of them has.`)
    }
  }
  if (result.series.length > 0 && result.absent.length > 0) {
    notes.push(`No ${inSentence(COMPARE_CHOICES[state.metric].label)} for ${list(result.absent)}. ${absentWhy(result).join(' ')}`)
  }
  return notes
}

/**
 * Why the absent frameworks have no line, one sentence per reason: Maven Central publishes no
 * download counts (only for downloads, and only for frameworks on no other registry); for every
 * other one nothing is stored yet.
 */
export function absentWhy(result: ChartResult): string[] {
  const unpublished = new Set(result.state.metric === 'downloads' ? result.noDownloadCounts : [])
  const maven = result.absent.filter((name) => unpublished.has(name))
  const rest = result.absent.filter((name) => !unpublished.has(name))
  const why: string[] = []
  if (maven.length > 0) why.push(`Maven Central publishes no download counts for ${list(maven)}.`)
  if (rest.length > 0) why.push(`Nothing stored yet for ${list(rest)}: see the status page for their last sync.`)
  return why
}
