import type { Metric, MetricKind } from '../metrics.js'

/** The /compare vocabulary: every choice the form offers, and what the server accepts. */
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

export const COMPARE_RANGES = { '30d': 30, '90d': 90, '1y': 365, '3y': 1095, all: null } as const
export type CompareRange = keyof typeof COMPARE_RANGES

export const VIEWS = {
  absolute: 'Absolute',
  log: 'Log scale',
  indexed: 'Indexed (100 at range start)',
  share: 'Share of its registry',
} as const
export type View = keyof typeof VIEWS

export const SMOOTHINGS = { none: 'None', '7d': '7-day mean', '28d': '28-day mean' } as const
export type Smoothing = keyof typeof SMOOTHINGS

export interface CompareState {
  fw: string[]
  metric: CompareMetric
  range: CompareRange
  view: View
  smooth: Smoothing
}

/** The query string of a state, in a fixed order: the URL the page pushes and every link uses. */
export function compareSearch(s: CompareState): string {
  const params = new URLSearchParams()
  for (const slug of s.fw) params.append('fw', slug)
  params.set('metric', s.metric)
  params.set('range', s.range)
  params.set('view', s.view)
  params.set('smooth', s.smooth)
  return params.toString()
}
