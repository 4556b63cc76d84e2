/**
 * The metric vocabulary stored in observations.metric. Sources write only these names; pages
 * and feeds read their labels here. Snapshot metrics are stored on the day they were fetched.
 */
export const METRICS = {
  downloads: { label: 'Downloads per day', kind: 'daily' },
  downloads_total: { label: 'Total downloads (snapshot)', kind: 'snapshot' },
  stars: { label: 'GitHub stars (total that day)', kind: 'snapshot' },
  // Stars that still exist, by the day they were given: charted as a running total ending at
  // today's star count, which omits unstars and so is not the historical total (github.md, "Star history").
  stars_retained: { label: "Retained stars by day starred (counted back from today's GitHub star count)", kind: 'cumulative' },
  // The fallback when GitHub's star history is unavailable: stars given per day according to OSS
  // Insight (GH Archive WatchEvents), which never sees unstars; also charted as a running total.
  stars_given: { label: "Stars given by day, GH Archive via OSS Insight (counted back from today's GitHub star count)", kind: 'cumulative' },
  forks: { label: 'GitHub forks', kind: 'snapshot' },
  open_issues: { label: 'Open issues and pull requests', kind: 'snapshot' },
  watchers: { label: 'GitHub watchers (subscribers)', kind: 'snapshot' },
  pushed_at: { label: 'Last push (Unix seconds)', kind: 'snapshot' },
  archived: { label: 'Archived (1) or not (0)', kind: 'snapshot' },
  // A registry's own count of its last days (Hex's `downloads.week`, `downloads.recent`), dated by
  // the day it was fetched: not a sum of our daily rows, which may not cover those days yet.
  downloads_last_7d: { label: 'Downloads in the last 7 days as the registry states them (snapshot)', kind: 'snapshot' },
  downloads_last_90d: { label: 'Downloads in the last 90 days as the registry states them (snapshot)', kind: 'snapshot' },
} as const satisfies Record<string, { label: string; kind: MetricKind }>

/** daily: a count per day, summed per week; snapshot: a level, last value per week; cumulative: daily counts shown as a running total ending at today's 'stars' snapshot. */
export type MetricKind = 'daily' | 'snapshot' | 'cumulative'

export type Metric = keyof typeof METRICS
