import type { Measurement } from '../../claims/measurement.js'
import type { ClaimVerdictRow } from '../../db/schema.js'
import { Timestamp } from './source-note.js'
import { sourceName } from '../../source-names.js'

// The existing status badge colours; the word itself carries the verdict, never the colour alone.
const BADGE_CLASS: Record<ClaimVerdictRow['status'], string> = {
  supported: 'badge badge-succeeded',
  'not supported': 'badge badge-failed',
  'not measurable yet': 'badge badge-muted',
}

/** A badge in the guide text: the quote and its verdict in words, linking to the claim's figures. */
export function VerdictBadge({ verdict, all }: { verdict: ClaimVerdictRow; all: ClaimVerdictRow[] }) {
  const on = checkedOn(verdict, all)
  return (
    <a class={`${BADGE_CLASS[verdict.status]} verdict-badge`} href={`#claim-${verdict.claim_id}`} title={sentence(verdict.reason)}>
      “{verdict.quote}”{on && ` (${on})`}: {verdict.status}
    </a>
  )
}

/**
 * What tells apart two claims on the same words (ASP.NET Core's "one of the fastest" is checked
 * on each benchmark source): the source measured, else the claim's place among them; null when
 * the quote has one claim.
 */
export function checkedOn(verdict: ClaimVerdictRow, all: ClaimVerdictRow[]): string | null {
  const same = all.filter((v) => v.quote === verdict.quote)
  if (same.length < 2) return null
  const source = (v: ClaimVerdictRow) => (v.measurement as Measurement | null)?.source.split(' ')[0]
  const own = source(verdict)
  const unique = own !== undefined && same.filter((v) => source(v) === own).length === 1
  return unique ? sourceName(own) : `check ${same.indexOf(verdict) + 1} of ${same.length}`
}

/** Each of the guide's claims about the framework with its verdict and the figures behind it. */
export function ClaimVerdicts({ name, verdicts }: { name: string; verdicts: ClaimVerdictRow[] }) {
  if (verdicts.length === 0) return <></>
  return (
    <section aria-labelledby="claims-title" class="claims">
      <h2 id="claims-title">The guide’s claims, checked</h2>
      <p class="note">
        Each claim the guide makes about {name}, the rule that checks it (src/catalog/claims.json) and
        the verdict on the stored data, recomputed after every sync.
      </p>
      <ul class="claim-list">
        {verdicts.map((v) => (
          <ClaimItem verdict={v} on={checkedOn(v, verdicts)} />
        ))}
      </ul>
    </section>
  )
}

function ClaimItem({ verdict, on }: { verdict: ClaimVerdictRow; on: string | null }) {
  const m = verdict.measurement as Measurement | null
  return (
    <li id={`claim-${verdict.claim_id}`}>
      <p>
        <q>{verdict.quote}</q> {on && <span class="claim-on">({on}) </span>}
        <span class={BADGE_CLASS[verdict.status]}>{verdict.status}</span>
      </p>
      <p>{sentence(verdict.reason)}</p>
      <p class="note">Rule: {verdict.why}</p>
      {m && <Figures measurement={m} />}
    </li>
  )
}

function Figures({ measurement: m }: { measurement: Measurement }) {
  return (
    <>
      <dl class="claim-figures">
        {m.figures.map((f) => (
          <>
            <dt>{f.label}</dt>
            <dd>{f.value}</dd>
          </>
        ))}
      </dl>
      <p class="source-note">
        Source: {sourceName(m.source)}
        {m.period && `, ${m.period.from === m.period.to ? m.period.to : `${m.period.from} – ${m.period.to}`}`}
        {m.fetched_at && (
          <>
            ; fetched <Timestamp at={new Date(m.fetched_at)} />
          </>
        )}
        .{' '}
        <a href={m.chart}>{chartLinkText(m.chart)}</a>
      </p>
    </>
  )
}

/**
 * A reason as a sentence: a capital first letter and one full stop, never two ("… no dependents
 * count."). Stored reasons start lower-case, as the verdict feed items quote them mid-sentence.
 */
export function sentence(reason: string): string {
  const capital = reason.charAt(0).toUpperCase() + reason.slice(1)
  return /[.!?]$/.test(capital) ? capital : `${capital}.`
}

const RANGES: Record<string, string> = { '30d': '30 days', '90d': '90 days', '1y': '1 year', '3y': '3 years', all: 'all data' }

/** Says where the link goes, so the claims' links differ for a screen reader's list of links. */
export function chartLinkText(href: string): string {
  if (href.startsWith('/benchmarks')) return 'See the benchmark results'
  const url = new URL(href, 'http://pulse.invalid')
  const what = url.hash === '#chart-stars' ? 'the GitHub stars chart' : url.hash === '#releases-title' ? 'the releases' : 'the downloads chart'
  const range = RANGES[url.searchParams.get('range') ?? '']
  return `See ${what}${range ? `, ${range}` : ''}`
}
