import { createHash } from 'node:crypto'
import { escapeUTF8 } from 'entities'
import { Feed, type Item } from 'feed'
import type { FeedEvent } from '../db/queries/events.js'
import { DEFAULT_FEED_KINDS, EVENT_LABELS, type EventKind } from '../event-kinds.js'
import { cdataHtml, oneLine, plainLine, xmlText } from '../xml-text.js'
import { FEED_FORMAT_NAMES, feedPath, type FeedFormat } from './feed-links.js'

export interface FeedChannel {
  title: string
  description: string
  /** Absolute URLs: the site, the page this feed follows, and this feed (same filter) per format. */
  site: string
  home: string
  self: Record<FeedFormat, string>
}

export interface RenderedFeed {
  body: string
  /** The feed's date (queries/events.ts feedDate), its Last-Modified; null when there is none. */
  updated: Date | null
}

// Atom requires <updated> and `feed` would otherwise write "now", which would make every
// request's bytes (and ETag) differ: the last resort of an empty feed on an empty database.
const NEVER = new Date(0)

// What each kind is called in a channel description, in the order they are listed.
const KIND_WORDS: [EventKind, string][] = [
  ['release', 'releases'],
  ['major', 'new major versions'],
  ['prerelease', 'prereleases'],
  ['stars', 'GitHub star milestones'],
  ['trend', 'download trend changes'],
  ['verdict', 'claim verdict changes'],
  ['benchmark', 'benchmark results'],
  ['guide', 'guide updates'],
]

/** "Releases, new major versions … and guide updates": the kinds a feed carries, and only those. */
function kindWords(kinds: readonly EventKind[]): string {
  const words = KIND_WORDS.filter(([kind]) => kinds.includes(kind)).map(([, word]) => word)
  const list = words.length > 1 ? `${words.slice(0, -1).join(', ')} and ${words.at(-1)}` : (words[0] ?? 'events')
  return list[0]!.toUpperCase() + list.slice(1)
}

/** The feed of every tracked framework. `kinds`: the filter asked for, if any (it goes in the links). */
export function siteChannel(publicUrl: string, kinds?: readonly EventKind[]): FeedChannel {
  return channel(publicUrl, undefined, 'Framework Pulse: all frameworks', `${kindWords(kinds ?? DEFAULT_FEED_KINDS)} of every framework`, kinds)
}

export function frameworkChannel(
  publicUrl: string,
  framework: { slug: string; name: string },
  kinds?: readonly EventKind[],
): FeedChannel {
  const { slug, name } = framework
  return channel(publicUrl, slug, `${name} · Framework Pulse`, `${kindWords(kinds ?? DEFAULT_FEED_KINDS)} for ${name}`, kinds)
}

function channel(
  publicUrl: string,
  slug: string | undefined,
  title: string,
  description: string,
  kinds?: readonly EventKind[],
): FeedChannel {
  const only = kinds ? ` (only: ${kinds.map((k) => EVENT_LABELS[k]).join(', ')})` : ''
  const self = Object.fromEntries(FEED_FORMAT_NAMES.map((f) => [f, publicUrl + feedPath(f, slug, kinds)]))
  return {
    title: title + only,
    description: `${description}, from public data, as tracked by Framework Pulse.`,
    site: `${publicUrl}/`,
    home: slug ? `${publicUrl}/frameworks/${encodeURIComponent(slug)}` : `${publicUrl}/`,
    self: self as Record<FeedFormat, string>,
  }
}

/**
 * The feed in one format. Output depends only on the events, the channel and `updated` (the
 * feed's date, queries/events.ts feedDate), never on the clock, so unchanged data gives
 * byte-identical feeds (and the same ETag). Every upstream-derived string passes through
 * xml-text.ts first: `feed` escapes markup but not invalid characters.
 */
export function renderFeed(format: FeedFormat, channel: FeedChannel, events: FeedEvent[], updated: Date | null): RenderedFeed {
  const feed = new Feed({
    id: channel.self[format],
    title: oneLine(channel.title, 200),
    description: oneLine(channel.description, 400),
    link: channel.home,
    language: 'en',
    updated: updated ?? NEVER,
    generator: 'Framework Pulse',
    feedLinks: { rss: channel.self.xml, atom: channel.self.atom, json: channel.self.json },
    // RFC 4287 §4.1.1: an Atom feed needs an author unless every entry has one.
    author: { name: 'Framework Pulse', link: channel.site },
  })
  for (const event of events) feed.addItem(toItem(event, channel))
  const body =
    format === 'xml' ? feed.rss2() : format === 'atom' ? feed.atom1() : jsonFeed11(feed.json1(), events, channel)
  return { body, updated }
}

function toItem(event: FeedEvent, channel: FeedChannel): Item {
  return {
    title: plainLine(event.title, 200),
    id: eventGuid(event.id),
    link: httpUrl(event.url) ?? pageOf(event, channel),
    // `feed` writes `date` as Atom's <updated> and JSON Feed's date_modified, `published` as
    // <published>, date_published and RSS's pubDate. The published date never moves; <updated>
    // moves when a re-derivation changed the item (RFC 4287 §4.2.15: "the most recent instant in
    // time when an entry … was modified in a way the publisher considers significant"), so
    // readers that honour it refresh a release's item once its notes arrive.
    date: revisedAt(event),
    published: event.occurred_at,
    // HTML everywhere it goes (RSS description, Atom summary type="html"); escaped text has no "]]>".
    description: escapeUTF8(oneLine(event.summary, 400)),
    ...(event.content_html ? { content: cdataHtml(event.content_html) } : {}),
    category: [{ name: event.kind, term: event.kind }],
  }
}

/** When the item last changed: its occurrence, or its last revision if later. */
function revisedAt(event: FeedEvent): Date {
  return event.revised_at && event.revised_at > event.occurred_at ? event.revised_at : event.occurred_at
}

/** Where an event without a link of its own points: its framework's page, or the overview. */
function pageOf(event: FeedEvent, channel: FeedChannel): string {
  return event.framework_slug ? `${channel.site}frameworks/${encodeURIComponent(event.framework_slug)}` : channel.site
}

interface JsonFeed10 {
  title: string
  home_page_url: string
  feed_url: string
  description: string
  items: object[]
}

/**
 * `feed` writes JSON Feed 1.0; 1.1 (https://www.jsonfeed.org/version/1.1/) adds `language` and
 * `authors` (replacing `author`), and wants `summary` as plain text, not the HTML RSS needs.
 */
function jsonFeed11(json: string, events: FeedEvent[], channel: FeedChannel): string {
  const feed = JSON.parse(json) as JsonFeed10
  return JSON.stringify(
    {
      version: 'https://jsonfeed.org/version/1.1',
      title: feed.title,
      home_page_url: feed.home_page_url,
      feed_url: feed.feed_url,
      description: feed.description,
      language: 'en',
      authors: [{ name: 'Framework Pulse', url: channel.site }],
      items: feed.items.map((item, i) => ({ ...item, summary: oneLine(events[i]!.summary, 400) })),
    },
    null,
    2,
  )
}

// A fixed, random namespace for RFC 9562 version 5 UUIDs of Framework Pulse events.
const GUID_NAMESPACE = Buffer.from('3c1f0d5e8b7a4e2f9d6c1b0a7e5f4c3d', 'hex')

/**
 * An event's permanent item id: `urn:uuid:` + a name-based (v5) UUID of its stable id. A URN
 * needs no escaping in any format and does not change when PUBLIC_URL does, so a reader that
 * follows a moved site sees no item twice.
 */
export function eventGuid(id: string): string {
  const hash = createHash('sha1').update(GUID_NAMESPACE).update(id, 'utf8').digest()
  hash[6] = (hash[6]! & 0x0f) | 0x50
  hash[8] = (hash[8]! & 0x3f) | 0x80
  const hex = hash.subarray(0, 16).toString('hex')
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** An absolute http(s) URL or null: `feed` parses every link with `new URL` and would throw. */
function httpUrl(url: string | null): string | null {
  if (!url) return null
  try {
    const parsed = new URL(xmlText(url))
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null
  } catch {
    return null
  }
}
