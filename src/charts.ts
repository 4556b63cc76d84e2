import type { Metric } from './metrics.js'

/** The charts a framework page draws, and the metrics each one overlays. */
export const CHARTS = {
  downloads: {
    title: 'Downloads',
    empty: 'No download data yet',
    metrics: ['downloads'],
    // Shown beside the chart: registries count differently, so their lines are never summed.
    caveat:
      'Each registry counts differently (npm counts tarball fetches, PyPI file downloads without mirrors, RubyGems and NuGet their own totals); CI systems and mirrors inflate all of them. Lines from different registries are labelled and never added together.',
  },
  stars: {
    title: 'GitHub stars',
    empty: 'No star data yet',
    metrics: ['stars', 'stars_retained', 'stars_given'],
    caveat:
      "The retained-stars line ends at today's GitHub star count and counts back from it, less the stars given on each later day. Before its first day the history is not stored, so it is not known. It sees only stars that still exist: unstars are invisible, so it undercounts past totals. The daily star count is exact from the first sync on.",
  },
} as const satisfies Record<string, { title: string; empty: string; metrics: Metric[]; caveat: string }>

export type ChartName = keyof typeof CHARTS
