import type { Metric, MetricKind } from '../metrics.js'

/**
 * The /compare metrics read from daily observations (src/metrics.ts); badges offer the same
 * ones. Release counts come from another table: RELEASE_METRICS.
 */
export const COMPARE_METRICS = {
  downloads: { label: 'Downloads', unit: 'downloads', metric: 'downloads' },
  stars: { label: 'GitHub stars (total)', unit: 'stars', metric: 'stars' },
  stars_retained: { label: 'Retained stars (running total)', unit: 'stars', metric: 'stars_retained' },
  // The same stored counts, not accumulated: stars given per day (summed per week on long ranges).
  star_growth: { label: 'New GitHub stars', unit: 'new stars', metric: 'stars_retained', kind: 'daily' },
  forks: { label: 'GitHub forks', unit: 'forks', metric: 'forks' },
  open_issues: { label: 'Open issues and pull requests', unit: 'open issues and PRs', metric: 'open_issues' },
  watchers: { label: 'GitHub watchers', unit: 'watchers', metric: 'watchers' },
} as const satisfies Record<string, { label: string; unit: string; metric: Metric; kind?: MetricKind }>
export type CompareMetric = keyof typeof COMPARE_METRICS

/** Counted per calendar quarter from the releases table (db/queries/release-counts.ts). */
export const RELEASE_METRICS = {
  releases: { label: 'Stable releases per quarter', unit: 'stable releases' },
} as const satisfies Record<string, { label: string; unit: string }>
export type ReleaseMetric = keyof typeof RELEASE_METRICS

/** Everything the /compare form offers, in its order. */
export const COMPARE_CHOICES = {
  downloads: COMPARE_METRICS.downloads,
  stars: COMPARE_METRICS.stars,
  stars_retained: COMPARE_METRICS.stars_retained,
  star_growth: COMPARE_METRICS.star_growth,
  releases: RELEASE_METRICS.releases,
  forks: COMPARE_METRICS.forks,
  open_issues: COMPARE_METRICS.open_issues,
  watchers: COMPARE_METRICS.watchers,
} as const satisfies Record<CompareMetric | ReleaseMetric, { label: string; unit: string }>
export type CompareChoice = keyof typeof COMPARE_CHOICES

export function isReleaseMetric(metric: CompareChoice): metric is ReleaseMetric {
  return metric in RELEASE_METRICS
}

export const COMPARE_RANGES = { '30d': 30, '90d': 90, '1y': 365, '3y': 1095, all: null } as const
export type CompareRange = keyof typeof COMPARE_RANGES

export const VIEWS = {
  absolute: 'Absolute',
  log: 'Log scale',
  indexed: 'Indexed (100 at range start)',
  // Registries publish no ecosystem-wide total to divide by: the share is of the tracked
  // frameworks' total on the same registry (or on GitHub), whichever of them are shown.
  share: 'Share among tracked frameworks',
} as const
export type View = keyof typeof VIEWS

export const SMOOTHINGS = { none: 'None', '7d': '7-day mean', '28d': '28-day mean' } as const
export type Smoothing = keyof typeof SMOOTHINGS

/** Smoothing as applied: quarterly counts are never smoothed (a point is already a quarter's total). */
export function appliedSmoothing(s: { metric: CompareChoice; smooth: Smoothing }): Smoothing {
  return isReleaseMetric(s.metric) ? 'none' : s.smooth
}

export interface CompareState {
  fw: string[]
  metric: CompareChoice
  range: CompareRange
  view: View
  smooth: Smoothing
}

/** The query string of a state, in a fixed order: the URL the page pushes and every link uses; it reads back as the same state. */
export function compareSearch(s: CompareState): string {
  const params = new URLSearchParams()
  for (const slug of s.fw) params.append('fw', slug)
  // None ticked, as the form says it (a bare /compare is the default frameworks).
  if (s.fw.length === 0) params.set('submitted', '1')
  params.set('metric', s.metric)
  params.set('range', s.range)
  params.set('view', s.view)
  params.set('smooth', s.smooth)
  return params.toString()
}
