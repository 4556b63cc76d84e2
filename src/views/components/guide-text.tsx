import { paragraphOf } from '../../claims/quote.js'
import type { ClaimVerdictRow } from '../../db/schema.js'
import { VerdictBadge } from './claim-verdicts.js'

/** The guide's paragraphs, each followed by the verdict badges of the claims it holds. */
export function GuideText({ paragraphs, verdicts }: { paragraphs: string[]; verdicts: ClaimVerdictRow[] }) {
  const placed = verdicts.map((v) => ({ v, at: paragraphOf(paragraphs, v.quote) }))
  return (
    <>
      {paragraphs.map((html, i) => {
        const here = placed.filter((p) => p.at === i)
        return (
          <>
            <div dangerouslySetInnerHTML={{ __html: html }} />
            {here.length > 0 && (
              <p class="claim-badges">
                {here.map(({ v }) => (
                  <VerdictBadge verdict={v} />
                ))}
              </p>
            )}
          </>
        )
      })}
    </>
  )
}
