import type { EventKind } from '../event-kinds.js'

/** The three feed formats, by the extension of their URL (`/feed.xml`, `/feed.atom`, `/feed.json`). */
export const FEED_FORMATS = {
  xml: { label: 'RSS', type: 'application/rss+xml' },
  atom: { label: 'Atom', type: 'application/atom+xml' },
  json: { label: 'JSON Feed', type: 'application/feed+json' },
} as const

export type FeedFormat = keyof typeof FEED_FORMATS

export const FEED_FORMAT_NAMES = Object.keys(FEED_FORMATS) as FeedFormat[]

/** '/feed.xml' for the whole site, '/frameworks/express/feed.xml' for one framework. */
export function feedPath(format: FeedFormat, slug?: string, kinds?: readonly EventKind[]): string {
  const path = slug ? `/frameworks/${encodeURIComponent(slug)}/feed.${format}` : `/feed.${format}`
  return kinds ? `${path}?kind=${kinds.join(',')}` : path
}

export interface FeedLink {
  title: string
  type: string
  href: string
}

/** `<link rel="alternate">` entries for a feed in every format; hrefs relative to `base` ('' for root-relative). */
export function feedLinks(title: string, base: string, slug?: string): FeedLink[] {
  return FEED_FORMAT_NAMES.map((format) => ({
    title: `${title} (${FEED_FORMATS[format].label})`,
    type: FEED_FORMATS[format].type,
    href: base + feedPath(format, slug),
  }))
}
