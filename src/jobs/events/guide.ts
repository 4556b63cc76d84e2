import type { GuideRevision } from '../../db/queries/events.js'
import type { EventDraft } from '../events.js'
import { oneLine } from '../../xml-text.js'
import { httpUrl, link, paragraph } from './event-html.js'

/**
 * One event per revision of the guide post (its WordPress `modified` date), about no single
 * framework. The stored sections keep only the newest revision, so each new date seen is one
 * update; the first revision stored (the bundled copy on a fresh install) is dated by the post.
 */
export function guideEvents(revisions: GuideRevision[]): EventDraft[] {
  return revisions.map((revision) => {
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
