import type { Measurement } from '../../claims/measurement.js'
import type { ClaimVerdictRow } from '../../db/schema.js'
import { formatInstant } from '../format.js'

// The existing status badge colours; the word itself carries the verdict, never the colour alone.
const BADGE_CLASS: Record<ClaimVerdictRow['status'], string> = {
  supported: 'badge badge-succeeded',
  'not supported': 'badge badge-failed',
  'not measurable yet': 'badge badge-muted',
}

export function VerdictBadge({ verdict }: { verdict: ClaimVerdictRow }) {
  return (
    <a class={`${BADGE_CLASS[verdict.status]} verdict-badge`} href={`#claim-${verdict.claim_id}`} title={verdict.reason}>
      “{verdict.quote}”: {verdict.status}
    </a>
  )
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
          <ClaimItem verdict={v} />
        ))}
      </ul>
    </section>
  )
}

function ClaimItem({ verdict }: { verdict: ClaimVerdictRow }) {
  const m = verdict.measurement as Measurement | null
  return (
    <li id={`claim-${verdict.claim_id}`}>
      <p>
        <q>{verdict.quote}</q> <span class={BADGE_CLASS[verdict.status]}>{verdict.status}</span>
      </p>
      <p>{verdict.reason}.</p>
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
        Source: {m.source}
        {m.period && `, ${m.period.from === m.period.to ? m.period.to : `${m.period.from} – ${m.period.to}`}`}
        {m.fetched_at && `; fetched ${formatInstant(new Date(m.fetched_at))}`}.{' '}
        <a href={m.chart}>{m.chart.startsWith('/benchmarks') ? 'See the benchmark results' : 'See the chart'}</a>
      </p>
    </>
  )
}
