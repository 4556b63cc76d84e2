import * as cheerio from 'cheerio'
import { decodeHTML, escapeUTF8 } from 'entities'
import { truncate, xmlText } from '../../xml-text.js'

// Feed readers show an item whole: a few screens of notes, then a link to the rest.
export const NOTES_MAX_CHARS = 6000

const whole = new Intl.NumberFormat('en')
const oneDecimal = new Intl.NumberFormat('en', { maximumFractionDigits: 1 })

export const formatCount = (n: number): string => whole.format(Math.round(n))
export const formatPct = (n: number): string => `${n > 0 ? '+' : ''}${oneDecimal.format(n)}%`
export const formatSize = (n: number): string => `${oneDecimal.format(Math.abs(n))}%`

/** Text for HTML, with characters XML forbids removed (events are served as XML feeds). */
export function escapeHtml(text: string): string {
  return escapeUTF8(xmlText(text))
}

export function paragraph(text: string): string {
  return `<p>${escapeHtml(text)}</p>`
}

export function link(href: string, text: string): string {
  return `<a href="${escapeHtml(href)}">${escapeHtml(text)}</a>`
}

/** An absolute http(s) URL, or null: upstream URLs end up in feeds, where anything else breaks. */
export function httpUrl(url: string | null | undefined): string | null {
  if (!url) return null
  try {
    const parsed = new URL(url)
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null
  } catch {
    return null
  }
}

/**
 * Sanitized notes cut to `maxChars` at a top-level element, so every tag stays balanced. Notes
 * whose first element alone is too long (one huge list) become their plain text, cut at a word.
 */
// Sanitized HTML has balanced tags and no comments: replacing tags with spaces is exact.
function plainText(html: string): string {
  return decodeHTML(html.replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ').trim()
}

export function trimNotes(html: string, maxChars = NOTES_MAX_CHARS): { html: string; trimmed: boolean } {
  const clean = xmlText(html).trim()
  if (clean.length <= maxChars) return { html: clean, trimmed: false }
  const $ = cheerio.load(clean, null, false)
  let kept = ''
  for (const node of $.root().contents().toArray()) {
    const part = $.html(node)
    if (kept.length + part.length > maxChars) break
    kept += part
  }
  if (kept.trim() === '') kept = paragraph(truncate(plainText(clean), maxChars))
  return { html: kept.trim(), trimmed: true }
}
