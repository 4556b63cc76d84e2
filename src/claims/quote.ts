import * as cheerio from 'cheerio'

/** A paragraph's text as a reader sees it: tags dropped, entities decoded, spaces and quotes plain. */
export function plainText(html: string): string {
  return cheerio
    .load(html, null, false)
    .text()
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/\s+/g, ' ')
    .trim()
}

/** The index of the first paragraph holding the quote (case-insensitive), or -1. */
export function paragraphOf(paragraphs: readonly string[], quote: string): number {
  const wanted = plainText(quote).toLowerCase()
  return paragraphs.findIndex((html) => plainText(html).toLowerCase().includes(wanted))
}
