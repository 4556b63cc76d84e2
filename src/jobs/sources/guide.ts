import * as cheerio from 'cheerio'
import sanitizeHtml from 'sanitize-html'
import { z } from 'zod'
import type { CatalogEntry } from '../../catalog/catalog.js'

// WordPress REST API, GET /wp/v2/posts/<id> (developer.wordpress.org/rest-api/reference/posts/).
export const wpPostSchema = z.object({
  link: z.url(),
  // "The date the post was last modified, as GMT", without a zone designator.
  modified_gmt: z.iso.datetime({ local: true }),
  title: z.object({ rendered: z.string() }),
  content: z.object({ rendered: z.string().min(1) }),
})
export type WpPost = z.infer<typeof wpPostSchema>

export interface GuideSection {
  slug: string
  rank: number
  heading: string
  paragraphs: string[]
}

export interface ParsedGuide {
  url: string
  title: string
  modifiedAt: Date
  sections: GuideSection[]
  /** Numbered headings no catalog entry claims, e.g. a framework the guide added. */
  unmatched: string[]
}

// Upstream HTML is untrusted: keep text-level markup and links, drop everything else.
const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'a', 'strong', 'em', 'b', 'i', 'code', 'ul', 'ol', 'li', 'br', 'blockquote'],
  allowedAttributes: { a: ['href'] },
  allowedSchemes: ['http', 'https'],
  transformTags: {
    a: sanitizeHtml.simpleTransform('a', { rel: 'nofollow noopener noreferrer', target: '_blank' }),
  },
}
// simpleTransform's attributes must survive the allow-list too.
SANITIZE.allowedAttributes = { a: ['href', 'rel', 'target'] }

const NUMBERED_HEADING = /^(\d+)\.\s+(.+)$/

/** Splits the post into its numbered framework sections ("1. Django (Python)") and matches the catalog. */
export function parseGuide(post: WpPost, catalog: CatalogEntry[]): ParsedGuide {
  const $ = cheerio.load(post.content.rendered, null, false)
  const byHeading = new Map(catalog.map((entry) => [normalize(entry.guideHeading), entry.slug]))
  const sections: GuideSection[] = []
  const unmatched: string[] = []
  for (const h of $('h2, h3').toArray()) {
    const match = NUMBERED_HEADING.exec(normalizeSpace($(h).text()))
    if (!match) continue
    const heading = match[2]!
    const slug = byHeading.get(normalize(heading))
    if (!slug) {
      unmatched.push(match[0])
      continue
    }
    const paragraphs = $(h)
      .nextUntil('h1, h2, h3, hr')
      .toArray()
      .map((el) => sanitizeHtml($.html(el), SANITIZE).trim())
      .filter((html) => html.replace(/<[^>]*>/g, '').trim() !== '')
    sections.push({ slug, rank: Number(match[1]), heading, paragraphs })
  }
  return {
    url: post.link,
    title: cheerio.load(post.title.rendered).text(),
    modifiedAt: new Date(`${post.modified_gmt}Z`),
    sections,
    unmatched,
  }
}

function normalizeSpace(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}

function normalize(text: string): string {
  return normalizeSpace(text).toLowerCase()
}
