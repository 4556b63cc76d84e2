import { createHash } from 'node:crypto'
import { raw } from 'hono/html'
import type { Child } from 'hono/jsx'
import { Timestamp } from './source-note.js'

/**
 * The validator of a live fragment: a hash of its bytes. A page embeds a fragment together with
 * this tag, so a poll is answered 304 exactly when the region would not change, whatever else
 * in the database did. Weak (RFC 9110 §8.8.1): one tag covers the gzip and identity encodings.
 */
export function liveEtag(html: string | Uint8Array): string {
  return `W/"${createHash('sha256').update(html).digest('base64url').slice(0, 22)}"`
}

/**
 * A part of a page that refreshes itself without a reload (README, "Live updates"): its content is
 * exactly what `src` answers, so the page can give the fragment's ETag (`data-etag`). The client
 * script (client/app.ts) polls `src` with If-None-Match every LIVE_POLL_SECONDS while the tab is
 * visible: a 304 swaps nothing, a 200 is morphed in place (no flicker, no scroll jump). Without
 * JavaScript it is a plain div.
 */
export function LiveRegion({ id, src, children }: { id: string; src: string; children: Child }) {
  const html = (<>{children}</>).toString()
  // Components here are synchronous; an async one would make the tag a promise's, never the bytes'.
  if (typeof html !== 'string') throw new Error(`live region ${id}: its content must render synchronously`)
  return (
    // hx-trigger names the client script's own event: without it htmx would poll on every click.
    <div id={id} class="live-region" data-live="" data-etag={liveEtag(html)} hx-get={src} hx-trigger="live-poll" hx-swap="innerMorph">
      {raw(html)}
    </div>
  )
}

/**
 * "Updated 5 min ago": when the newest figure in the region was fetched. The client script keeps
 * the relative time current; of the notes after it, CSS shows the first only while the page is
 * refreshing itself (.live-on) and the second only while its polls fail (.live-offline).
 */
export function UpdatedLine({ at, label = 'Updated', none = 'Nothing fetched yet' }: { at: Date | null; label?: string; none?: string }) {
  return (
    <p class="live-status">
      {at ? (
        <>
          {label} <Timestamp at={at} />
        </>
      ) : (
        none
      )}
      <span class="live-note"> · new data shows here without a reload</span>
      <span class="live-offline-note"> · offline, retrying</span>
    </p>
  )
}
