import type { LatestRun } from '../../db/job-runs.js'
import type { FrameworkOverview } from '../../db/queries/overview.js'
import type { Spark } from '../../db/queries/sparklines.js'
import type { Metric } from '../../metrics.js'
import type { AssetUrls } from '../assets.js'
import { CadenceFigures } from '../components/cadence-figures.js'
import { EmptyState } from '../components/empty-state.js'
import { FeedSubscribe } from '../components/feed-subscribe.js'
import { GuideCredit } from '../components/guide-credit.js'
import { LiveRegion, UpdatedLine } from '../components/live-region.js'
import { newest } from '../../newest.js'
import { Scorecard } from '../components/scorecard.js'
import { SignalFigures } from '../components/signal-figures.js'
import { unreached } from '../empty-reason.js'
import { leadSentences } from '../format.js'
import { Layout } from '../layout.js'
import { signalsOf } from '../signals.js'

export interface HomeProps {
  frameworks: FrameworkOverview[]
  guideRun: LatestRun | undefined
  collected: ReadonlySet<string>
  assets: AssetUrls
  now: Date
  /** PUBLIC_URL, for the feed address to copy. */
  publicUrl: string
  /** Scorecard sparklines by framework id (absent: no scorecards). */
  sparks?: Map<number, { metric: Metric; spark: Spark } | null>
}

export function HomePage({ frameworks, guideRun, collected, assets, now, publicUrl, sparks }: HomeProps) {
  const guide = frameworks.find((f) => f.framework.post_url)?.framework
  return (
    <Layout title="Overview" assets={assets} description="The guide's ten backend frameworks beside live public signals.">
      <h1>Top 10 backend frameworks of 2026, checked against the data</h1>
      {guide ? <GuideCredit framework={guide} run={guideRun} /> : <EmptyState title="The guide's text is not loaded" />}
      <LiveRegion id="live-overview" src="/live/overview">
        <OverviewCards frameworks={frameworks} collected={collected} now={now} sparks={sparks} />
      </LiveRegion>
      <FeedSubscribe subject="every framework" publicUrl={publicUrl} />
    </Layout>
  )
}

/** The cards, with when their newest figure was fetched: in the page, and alone as its live fragment. */
export function OverviewCards({ frameworks, collected, now, sparks }: Pick<HomeProps, 'frameworks' | 'collected' | 'now' | 'sparks'>) {
  const fetched = frameworks.flatMap((f) => [...f.downloads, ...f.snapshots, ...f.releases]).map((row) => row.fetched_at)
  return (
    <>
      <UpdatedLine at={newest(fetched)} />
      <UnreachedNotice frameworks={frameworks} />
      <ol class="framework-list">
        {frameworks.map((entry) => (
          <FrameworkCard entry={entry} collected={collected} now={now} spark={sparks?.get(entry.framework.id) ?? null} />
        ))}
      </ol>
    </>
  )
}

/**
 * When most upstreams did not answer (a first start offline, a missing proxy), one sentence at the
 * top says so, instead of leaving the reader to add up a "could not reach" on every card.
 */
function UnreachedNotice({ frameworks }: Pick<HomeProps, 'frameworks'>) {
  const runs = frameworks.flatMap((f) => f.runs)
  const failed = runs.filter((r) => r.status === 'failed' && unreached(r.error))
  if (runs.length === 0 || failed.length * 2 < runs.length) return null
  return (
    <p class="run-error" role="status">
      {failed.length} of the {runs.length} latest fetches got no answer from their upstream: this machine may be offline or
      need a proxy. Each upstream's address is a setting (the <code>*_URL</code> variables, README), so a mirror can stand in;
      the <a href="/status">status page</a> has every error.
    </p>
  )
}

function FrameworkCard({ entry, collected, now, spark }: { entry: FrameworkOverview; collected: ReadonlySet<string>; now: Date; spark: { metric: Metric; spark: Spark } | null }) {
  const { framework, identities } = entry
  const signals = signalsOf(identities, collected)
  const lead = framework.paragraphs?.[0]
  return (
    <li class="card">
      <div class="card-head">
        <span class="rank" title="Rank in the guide">
          {framework.rank ?? '–'}
        </span>
        <h2>
          <a href={`/frameworks/${framework.slug}`}>{framework.name}</a>
        </h2>
        <span class="lang">{framework.language}</span>
      </div>
      <Scorecard slug={framework.slug} data={spark} releases={entry.releases} now={now} />
      {lead ? <p class="lead">{leadSentences(lead)}</p> : <p class="lead muted">The guide has no section for this framework.</p>}
      {signals.tracked.map((signal) => (
        <SignalFigures signal={signal} entry={entry} now={now} />
      ))}
      <CadenceFigures releases={entry.releases} now={now} />
      {entry.claims.total > 0 && (
        <p class="claims-count">
          <a href={`/frameworks/${framework.slug}#claims-title`}>{claimsCount(entry.claims)}</a>
        </p>
      )}
      {signals.notYet.length > 0 && (
        <p class="not-tracked">
          Not tracked yet: {signals.notYet.map((s) => `${s.label} (${s.identities.join(', ')})`).join('; ')}.
        </p>
      )}
    </li>
  )
}


/**
 * The card's claim tally. "Not measurable yet" is no verdict, so it is counted apart: "0 of 1
 * supported" alone would read as a verdict against the guide.
 */
export function claimsCount({ supported, unmeasured, total }: { supported: number; unmeasured: number; total: number }): string {
  const claims = (n: number) => `${n} guide claim${n === 1 ? '' : 's'}`
  const measured = total - unmeasured
  if (measured === 0) return `${claims(unmeasured)} not measurable yet`
  const tally = `${supported} of ${claims(measured)} supported by the data`
  return unmeasured > 0 ? `${tally}; ${unmeasured} not measurable yet` : tally
}
