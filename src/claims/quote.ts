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

/**
 * Claims in the order a reader meets their quotes in the guide: by paragraph, then by where the
 * quote starts in it; two claims on one quote (one per benchmark source) by id; a quote the text
 * no longer holds goes last.
 */
export function inGuideOrder<T extends { claim_id: string; quote: string }>(paragraphs: readonly string[], claims: readonly T[]): T[] {
  const texts = paragraphs.map((html) => plainText(html).toLowerCase())
  const place = (quote: string): [number, number] => {
    const wanted = plainText(quote).toLowerCase()
    const at = texts.findIndex((text) => text.includes(wanted))
    return at < 0 ? [Number.POSITIVE_INFINITY, 0] : [at, texts[at]!.indexOf(wanted)]
  }
  const placed = claims.map((claim) => ({ claim, at: place(claim.quote) }))
  placed.sort((a, b) => a.at[0] - b.at[0] || a.at[1] - b.at[1] || (a.claim.claim_id < b.claim.claim_id ? -1 : a.claim.claim_id > b.claim.claim_id ? 1 : 0))
  return placed.map((p) => p.claim)
}
