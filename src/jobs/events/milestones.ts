import type { DailyValue, FrameworkName } from '../../db/queries/events.js'
import { oneLine } from '../../xml-text.js'
import type { EventDraft } from '../events.js'
import { formatCount, paragraph } from './event-html.js'
import { splitSeries } from './series.js'

const FIXED_MILESTONES = [10_000, 25_000, 50_000, 75_000, 100_000]
const STEP_AFTER = 50_000

/** The star milestones m with before < m ≤ after: 10k, 25k, 50k, 75k, 100k, then every 50k. */
export function milestonesBetween(before: number, after: number): number[] {
  const out = FIXED_MILESTONES.filter((m) => before < m && m <= after)
  const last = FIXED_MILESTONES.at(-1)!
  for (let m = last + STEP_AFTER; m <= after; m += STEP_AFTER) if (before < m) out.push(m)
  return out
}

/**
 * A milestone is passed between two stored days of the 'stars' snapshot. The first stored value
 * never counts (when Express passed 50k is not in the data), and a count that dips under a
 * milestone and climbs back passes it only once.
 */
export function starEvents(frameworks: Map<number, FrameworkName>, stars: DailyValue[]): EventDraft[] {
  return splitSeries(stars).flatMap(({ framework_id, subject, points }) => {
    const framework = frameworks.get(framework_id)
    if (!framework) return []
    const passed = new Set<number>()
    const drafts: EventDraft[] = []
    for (let i = 1; i < points.length; i++) {
      for (const milestone of milestonesBetween(points[i - 1]!.value, points[i]!.value)) {
        if (passed.has(milestone)) continue
        passed.add(milestone)
        drafts.push(toDraft(framework, subject, milestone, points[i - 1]!, points[i]!))
      }
    }
    return drafts
  })
}

function toDraft(
  framework: FrameworkName,
  subject: string,
  milestone: number,
  before: DailyValue,
  after: DailyValue,
): EventDraft {
  const summary = oneLine(
    `${subject} had ${formatCount(after.value)} GitHub stars on ${after.day}, ` +
      `up from ${formatCount(before.value)} on ${before.day}.`,
    400,
  )
  return {
    id: `stars:${framework.slug}:${subject}:${milestone}`,
    framework_id: framework.id,
    kind: 'stars',
    occurred_at: new Date(`${after.day}T00:00:00Z`),
    title: oneLine(`${framework.name} passes ${formatCount(milestone)} GitHub stars`, 200),
    summary,
    content_html: paragraph(summary),
    // The feed links it to the framework's page, where the stars chart shows the figure.
    url: null,
    data: {
      milestone,
      source: after.source,
      subject,
      day: after.day,
      stars: after.value,
      previous_day: before.day,
      previous_stars: before.value,
    },
  }
}
