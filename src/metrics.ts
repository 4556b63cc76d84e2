/**
 * The metric vocabulary stored in observations.metric. Sources write only these names; pages
 * and feeds read their labels here. Snapshot metrics are stored on the day they were fetched.
 */
export const METRICS = {
  downloads: { label: 'Downloads per day', kind: 'daily' },
  downloads_total: { label: 'Total downloads (snapshot)', kind: 'snapshot' },
  stars: { label: 'GitHub stars (total that day)', kind: 'snapshot' },
  stars_retained: { label: 'Retained stars by day starred', kind: 'daily' },
  forks: { label: 'GitHub forks', kind: 'snapshot' },
  open_issues: { label: 'Open issues and pull requests', kind: 'snapshot' },
  watchers: { label: 'GitHub watchers (subscribers)', kind: 'snapshot' },
  pushed_at: { label: 'Last push (Unix seconds)', kind: 'snapshot' },
  archived: { label: 'Archived (1) or not (0)', kind: 'snapshot' },
} as const

export type Metric = keyof typeof METRICS
