import { RANGES, type Range } from '../../db/queries/series.js'

const LABELS: Record<Range, string> = { '30d': '30 d', '90d': '90 d', '1y': '1 y', '3y': '3 y', all: 'All' }

/**
 * Plain links (they work without JavaScript) that htmx upgrades into fragment swaps; the
 * page URL follows, so a range is bookmarkable and back/forward work.
 */
export function RangePicker({ slug, current }: { slug: string; current: Range }) {
  return (
    <nav class="range-picker" aria-label="Range">
      {(Object.keys(RANGES) as Range[]).map((range) => (
        <a
          href={`/frameworks/${slug}?range=${range}`}
          hx-get={`/frameworks/${slug}/chart?range=${range}`}
          hx-target="#trend-chart"
          hx-swap="outerHTML"
          hx-push-url={`/frameworks/${slug}?range=${range}`}
          aria-current={range === current ? 'true' : undefined}
        >
          {LABELS[range]}
        </a>
      ))}
    </nav>
  )
}
