/**
 * The event vocabulary stored in events.kind and accepted by the feeds' `kind` parameter.
 */
export const EVENT_KINDS = ['release', 'major', 'prerelease', 'stars', 'trend', 'guide', 'verdict', 'benchmark'] as const

export type EventKind = (typeof EVENT_KINDS)[number]

export const EVENT_LABELS: Record<EventKind, string> = {
  release: 'Stable release',
  major: 'New major version',
  prerelease: 'Prerelease',
  stars: 'GitHub star milestone',
  trend: 'Download trend change',
  guide: 'Guide updated',
  verdict: 'Claim verdict changed',
  benchmark: 'Benchmark result',
}

/** What a feed carries when no `kind` is asked for: everything but prereleases, which are opt-in. */
export const DEFAULT_FEED_KINDS: readonly EventKind[] = EVENT_KINDS.filter((k) => k !== 'prerelease')

export function isEventKind(value: string): value is EventKind {
  return (EVENT_KINDS as readonly string[]).includes(value)
}
