import * as cheerio from 'cheerio'
import { escapeText } from 'entities'
import { paragraphOf } from '../../claims/quote.js'
import type { ClaimVerdictRow } from '../../db/schema.js'
import { VerdictBadge } from './claim-verdicts.js'

/** The guide's paragraphs, each with its claims marked and followed by their verdict badges. */
export function GuideText({ paragraphs, verdicts }: { paragraphs: string[]; verdicts: ClaimVerdictRow[] }) {
  const placed = verdicts.map((v) => ({ v, at: paragraphOf(paragraphs, v.quote) }))
  return (
    <>
      {paragraphs.map((html, i) => {
        const here = placed.filter((p) => p.at === i).map((p) => p.v)
        return (
          <>
            <div dangerouslySetInnerHTML={{ __html: here.length > 0 ? markQuotes(html, here) : html }} />
            {here.length > 0 && (
              <p class="claim-badges">
                {here.map((v) => (
                  <VerdictBadge verdict={v} all={verdicts} />
                ))}
              </p>
            )}
          </>
        )
      })}
    </>
  )
}

/**
 * Wraps each claim's quote in `<mark>` where the paragraph holds it within one run of text (a
 * quote split by markup stays unmarked: its badge still follows the paragraph). One quote with
 * two claims (one per benchmark source) is marked once, with their common verdict or none.
 * The paragraph is our own sanitized HTML; the text around the mark is escaped again.
 */
export function markQuotes(html: string, verdicts: ClaimVerdictRow[]): string {
  const byQuote = new Map<string, Set<ClaimVerdictRow['status']>>()
  for (const v of verdicts) byQuote.set(v.quote, (byQuote.get(v.quote) ?? new Set()).add(v.status))
  const $ = cheerio.load(html, null, false)
  let changed = false
  for (const [quote, statuses] of byQuote) {
    const pattern = quotePattern(quote)
    const node = $.root()
      .find('*')
      .contents()
      .toArray()
      .find((n) => 'data' in n && n.type === 'text' && !$(n).parent().is('mark') && pattern.test(n.data))
    if (!node || !('data' in node)) continue
    const m = pattern.exec(node.data)!
    const status = statuses.size === 1 ? [...statuses][0]!.replace(/ /g, '-') : 'mixed'
    $(node).replaceWith(
      `${escapeText(node.data.slice(0, m.index))}<mark class="claim-quote claim-quote-${status}">${escapeText(m[0])}</mark>${escapeText(node.data.slice(m.index + m[0].length))}`,
    )
    changed = true
  }
  return changed ? $.html() : html
}

/** The quote as paragraphOf reads it: any case, any run of spaces, straight or curly quotes. */
function quotePattern(quote: string): RegExp {
  const parts = [...quote.trim()].map((c) =>
    /\s/.test(c) ? '\\s+' : /['‘’]/.test(c) ? "['‘’]" : /["“”]/.test(c) ? '["“”]' : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
  )
  return new RegExp(parts.join('').replace(/(\\s\+)+/g, '\\s+'), 'iu')
}
