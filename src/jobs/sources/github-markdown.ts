import { Marked } from 'marked'
import sanitizeHtml from 'sanitize-html'

// GitHub release notes are GitHub Flavored Markdown; a separate instance leaves marked's global
// defaults alone for any other user in the process.
const markdown = new Marked({ gfm: true })

const HTTP_URL = /^https?:\/\//i

/** Only absolute http(s) links survive, each marked rel="nofollow": the text is someone else's. */
const link: sanitizeHtml.Transformer = (_tag, attribs) => {
  const href = attribs.href?.trim()
  const kept: sanitizeHtml.Attributes = href && HTTP_URL.test(href) ? { href, rel: 'nofollow' } : {}
  return { tagName: 'a', attribs: kept }
}

// Release notes are untrusted HTML once rendered (Markdown passes raw HTML through): keep
// text-level markup, lists, quotes and code, drop everything else (scripts and styles with their
// content, sanitize-html's nonTextTags). Headings become paragraphs so notes never break the
// outline of the page they are shown on.
const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [
    ...['p', 'br', 'a', 'strong', 'em', 'b', 'i', 'del', 's', 'code', 'pre'],
    ...['blockquote', 'ul', 'ol', 'li'],
  ],
  allowedAttributes: { a: ['href', 'rel'] },
  allowedSchemes: ['http', 'https'],
  allowProtocolRelative: false,
  transformTags: { a: link, h1: 'p', h2: 'p', h3: 'p', h4: 'p', h5: 'p', h6: 'p' },
}

/** Release notes (Markdown) as sanitized HTML, or null when there is nothing to show. */
export function renderNotes(body: string | null | undefined): string | null {
  if (!body?.trim()) return null
  const html = sanitizeHtml(markdown.parse(body, { async: false }), SANITIZE).trim()
  return html.replace(/<[^>]*>/g, '').trim() === '' ? null : html
}
