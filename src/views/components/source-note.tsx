import { formatInstant } from '../format.js'

/** An instant, absolute in the HTML (cacheable); the client script adds "n min ago". */
export function Timestamp({ at }: { at: Date }) {
  return (
    <time datetime={at.toISOString()} data-ago>
      {formatInstant(at)}
    </time>
  )
}

/** "Source: npm downloads API · fetched …": every figure says where it comes from and when. */
export function SourceNote({ source, fetchedAt, href }: { source: string; fetchedAt: Date | null; href?: string }) {
  return (
    <p class="source-note">
      Source: {href ? <a href={href}>{source}</a> : source}
      {fetchedAt && (
        <>
          {' '}
          · fetched <Timestamp at={fetchedAt} />
        </>
      )}
    </p>
  )
}
