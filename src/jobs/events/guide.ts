import { readFileSync } from 'node:fs'
import type { GuideRevision } from '../../db/queries/events.js'
import type { EventDraft } from '../events.js'
import { oneLine } from '../../xml-text.js'
import { httpUrl, link, paragraph } from './event-html.js'
import { GUIDE_SNAPSHOT_FILE } from '../guide-job.js'
import { wpPostSchema } from '../sources/guide.js'

let bundled: Date | undefined

/** The bundled copy's revision (its `modified_gmt`): the first revision any install stores. */
export function bundledRevision(): Date {
  bundled ??= new Date(`${wpPostSchema.parse(JSON.parse(readFileSync(GUIDE_SNAPSHOT_FILE, 'utf8'))).modified_gmt}Z`)
  return bundled
}

/**
 * One event per revision of the guide post (its WordPress `modified` date) after the first one
 * stored, about no single framework. The stored sections keep only the newest revision, so each
 * new date seen is one update.
 *
 * The first revision stored is the bundled copy (src/guide/*.wp-post.json), loaded at first
 * start before any fetch; it is the baseline, not an update: no event for it, nor for a live
 * fetch of the same (or an older) revision. So an event means the post's `modified` date is later
 * than the bundled copy's. (The post's publication date is not stored, and a post is usually
 * modified after it is published anyway, so "modified after published" would announce the
 * bundled copy on every fresh install.)
 */
export function guideEvents(revisions: GuideRevision[], baseline: Date = bundledRevision()): EventDraft[] {
  return revisions.filter((revision) => revision.post_modified_at > baseline).map((revision) => {
    const day = revision.post_modified_at.toISOString().slice(0, 10)
    const url = httpUrl(revision.post_url)
    const summary = oneLine(`The guide “${revision.post_title}” was revised on ${day}.`, 400)
    return {
      id: `guide:${revision.post_modified_at.toISOString()}`,
      framework_id: null,
      kind: 'guide',
      occurred_at: revision.post_modified_at,
      title: oneLine(`The guide was updated: ${revision.post_title}`, 200),
      summary,
      content_html: paragraph(summary) + (url ? `<p>${link(url, 'Read the guide')}</p>` : ''),
      url,
      data: {
        post_url: revision.post_url,
        post_title: revision.post_title,
        post_modified_at: revision.post_modified_at.toISOString(),
      },
    }
  })
}
