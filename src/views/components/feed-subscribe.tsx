import { FEED_FORMATS, feedPath } from '../feed-links.js'

export interface FeedSubscribeProps {
  /** What the feed follows, e.g. "Express" or "every framework". */
  subject: string
  /** PUBLIC_URL: the address shown must work when pasted into a reader elsewhere. */
  publicUrl: string
  slug?: string
}

/**
 * The feed's address to copy into a reader, with the other formats. No script: the address sits
 * in a read-only field (select it, copy it) and the button opens the feed itself, which a
 * browser with a feed handler hands to the reader.
 */
export function FeedSubscribe({ subject, publicUrl, slug }: FeedSubscribeProps) {
  const id = slug ? `feed-${slug}` : 'feed-site'
  const url = (format: keyof typeof FEED_FORMATS) => publicUrl + feedPath(format, slug)
  return (
    <section class="feed-subscribe" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Follow {subject} in a feed reader</h2>
      <p id={`${id}-hint`} class="feed-hint">
        New releases and major versions, GitHub star milestones, download trend changes, claim verdict changes,
        benchmark results and guide updates. Copy this address into your feed reader:
      </p>
      <div class="feed-url-row">
        <label for={`${id}-url`}>RSS feed address</label>
        <input
          id={`${id}-url`}
          class="feed-url"
          type="url"
          value={url('xml')}
          readonly
          aria-describedby={`${id}-hint`}
        />
        <a class="feed-button" href={url('xml')} type={FEED_FORMATS.xml.type}>
          Subscribe
        </a>
      </div>
      <p class="feed-formats">
        Also as <a href={url('atom')} type={FEED_FORMATS.atom.type}>Atom</a> and{' '}
        <a href={url('json')} type={FEED_FORMATS.json.type}>JSON Feed</a>; prereleases have their own feed:{' '}
        <a href={publicUrl + feedPath('xml', slug, ['prerelease'])}>RSS</a>.
      </p>
    </section>
  )
}
