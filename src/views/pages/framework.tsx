import type { Child } from 'hono/jsx'
import type { ChartName } from '../../charts.js'
import { inGuideOrder } from '../../claims/quote.js'
import type { ChartResults } from '../../db/queries/charts.js'
import type { FrameworkOverview } from '../../db/queries/overview.js'
import type { Range } from '../../db/queries/series.js'
import type { ClaimVerdictRow, ReleaseRow } from '../../db/schema.js'
import type { FrameworkBenchmarks } from '../../db/queries/benchmarks.js'
import type { AssetUrls } from '../assets.js'
import { BenchmarkFigures } from '../components/benchmark-figures.js'
import { CadenceFigures } from '../components/cadence-figures.js'
import { ClaimVerdicts } from '../components/claim-verdicts.js'
import { EmptyState } from '../components/empty-state.js'
import { EmptyWhy } from '../components/empty-why.js'
import { FeedSubscribe } from '../components/feed-subscribe.js'
import { GuideCredit } from '../components/guide-credit.js'
import { GuideText } from '../components/guide-text.js'
import { LiveRegion, UpdatedLine } from '../components/live-region.js'
import { newest } from '../../newest.js'
import { ReleaseList } from '../components/release-list.js'
import { SignalFigures } from '../components/signal-figures.js'
import { TrendCharts } from '../components/trend-chart.js'
import { reasonFor } from '../empty-reason.js'
import { feedLinks } from '../feed-links.js'
import { Layout } from '../layout.js'
import { signalsOf } from '../signals.js'
import { sourceName } from '../../source-names.js'

/** How many releases the page lists; the page and its live fragment must render the same list. */
export const RELEASES_SHOWN = 25

export interface FrameworkPageProps {
  entry: FrameworkOverview
  charts: ChartResults
  range: Range
  releases: ReleaseRow[]
  collected: ReadonlySet<string>
  assets: AssetUrls
  now: Date
  /** Its figures in every imported benchmark run (issue 6). */
  benchmarks: FrameworkBenchmarks
  /** The verdicts on the guide's claims about it (src/catalog/claims.json). */
  verdicts: ClaimVerdictRow[]
  /** PUBLIC_URL, for the feed address to copy. */
  publicUrl: string
}

export function FrameworkPage({ entry, charts, range, releases, collected, assets, now, publicUrl, benchmarks, verdicts }: FrameworkPageProps) {
  const { framework } = entry
  const signals = signalsOf(entry.identities, collected)
  // The claims as a reader meets their quotes in the guide, in the text and in the list below it.
  const claims = framework.paragraphs ? inGuideOrder(framework.paragraphs, verdicts) : verdicts
  return (
    <Layout title={framework.name} assets={assets} feeds={feedLinks(`${framework.name} on Framework Pulse`, '', framework.slug)}>
      <p class="crumbs">
        <a href="/">Overview</a> › {framework.name}
      </p>
      <h1>
        {framework.name} <span class="lang">{framework.language}</span>
      </h1>
      <section aria-labelledby="guide-title" class="guide">
        <h2 id="guide-title">What the guide says{framework.rank !== null && ` (ranked #${framework.rank})`}</h2>
        {framework.paragraphs ? (
          <>
            <blockquote>
              <GuideText paragraphs={framework.paragraphs} verdicts={claims} />
            </blockquote>
            <GuideCredit framework={framework} run={undefined} />
          </>
        ) : (
          <EmptyState title="The guide has no section for this framework." />
        )}
      </section>
      <ClaimVerdicts name={framework.name} verdicts={claims} />
      <LiveRegion id="live-framework" src={`/live/frameworks/${framework.slug}?range=${range}`}>
        <FrameworkLive entry={entry} charts={charts} range={range} releases={releases} collected={collected} now={now} benchmarks={benchmarks} />
      </LiveRegion>
      <FeedSubscribe subject={framework.name} publicUrl={publicUrl} slug={framework.slug} />
      {signals.notYet.length > 0 && (
        <section aria-labelledby="not-yet-title" class="not-tracked">
          <h2 id="not-yet-title">Signals not tracked yet</h2>
          <ul>
            {signals.notYet.map((s) => (
              <li>{s.label}: {s.identities.join(', ')}</li>
            ))}
          </ul>
        </section>
      )}
      {signals.tracked.some((s) => s.note) && (
        <section aria-labelledby="notes-title" class="notes">
          <h2 id="notes-title">Notes on the packages</h2>
          {signals.tracked.filter((s) => s.note).map((s) => (
            <p>
              <strong>{s.label}:</strong> {s.note}
            </p>
          ))}
        </section>
      )}
    </Layout>
  )
}

export type FrameworkLiveProps = Pick<FrameworkPageProps, 'entry' | 'charts' | 'range' | 'releases' | 'collected' | 'now' | 'benchmarks'>

/** Everything on the page that new data changes: in the page, and alone as its live fragment. */
export function FrameworkLive({ entry, charts, range, releases, collected, now, benchmarks }: FrameworkLiveProps) {
  const { framework } = entry
  const signals = signalsOf(entry.identities, collected)
  const fetched = [...entry.downloads, ...entry.snapshots, ...entry.releases].map((row) => row.fetched_at)
  return (
    <>
      <UpdatedLine at={newest(fetched)} />
      {signals.tracked.length > 0 && (
        <section aria-labelledby="signals-title">
          <h2 id="signals-title">Signals</h2>
          {signals.tracked.map((signal) => (
            <SignalFigures signal={signal} entry={entry} now={now} />
          ))}
        </section>
      )}
      <FrameworkCharts entry={entry} charts={charts} range={range} collected={collected} now={now} />
      <BenchmarkFigures name={framework.name} benchmarks={benchmarks} />
      <section aria-labelledby="releases-title">
        <h2 id="releases-title">Releases</h2>
        <CadenceFigures releases={entry.releases} now={now} />
        <ReleaseList
          releases={releases}
          missing={
            signals.tracked.length > 0
              ? signals.tracked.map((s, i) => (
                  <>
                    {i > 0 && ' '}
                    <EmptyWhy lead={`No releases from ${sourceName(s.source)} yet`} name={sourceName(s.source)} reason={reasonFor(entry, s.source, RELEASE_SIGNALS, now)} now={now} />
                  </>
                ))
              : 'Releases come from registries and GitHub, which are not tracked yet for this framework.'
          }
        />
      </section>
    </>
  )
}

const REGISTRIES_WITH_DOWNLOADS = ['npm', 'pypi', 'rubygems', 'packagist', 'nuget', 'hex']
// The signals each list or chart is made of: an empty one is explained by their own runs, so a
// downloads API that is down is never blamed for missing releases (GitHub dates tags only for a
// project without releases; its stars come from the snapshot and the star history).
const RELEASE_SIGNALS = ['releases', 'tags'] as const
const CHART_SIGNALS = { downloads: ['downloads'], stars: ['snapshot', 'star_history'] } as const

export interface FrameworkChartsProps {
  entry: FrameworkOverview
  charts: ChartResults
  range: Range
  collected: ReadonlySet<string>
  /** When the data was read: whether a rate limit's reset is still to come. */
  now?: Date
}

/** The page's charts, in the page and alone as the range picker's htmx fragment. */
export function FrameworkCharts({ entry, charts, range, collected, now = new Date() }: FrameworkChartsProps) {
  const signals = signalsOf(entry.identities, collected)
  const has = (source: string) => signals.tracked.some((s) => s.source === source)
  const registries = signals.tracked.map((s) => s.source).filter((s) => REGISTRIES_WITH_DOWNLOADS.includes(s))
  // Why a chart is empty, in words a reader can act on: from each source's latest run and budget.
  const nothingFrom = (source: string, chart: ChartName) => {
    const name = sourceName(source)
    const reason = reasonFor(entry, source, CHART_SIGNALS[chart], now)
    const totals = entry.snapshots.some((s) => s.source === source && s.metric === 'downloads_total')
    if (reason.kind === 'stored-none' && totals) {
      return `${name} publishes a running total: daily downloads start once totals from two consecutive days are stored.`
    }
    return <EmptyWhy lead={`Nothing stored from ${name} yet`} name={name} reason={reason} now={now} />
  }
  const missing: Record<ChartName, Child> = {
    downloads:
      registries.length > 0
        ? registries.map((source, i) => (
            <>
              {i > 0 && ' '}
              {nothingFrom(source, 'downloads')}
            </>
          ))
        : has('maven')
          ? 'Maven Central publishes no download counts, so there is no downloads chart.'
          : `Framework Pulse does not collect this framework's registry yet (${signals.notYet.map((s) => s.label).join(', ') || 'no registry in the catalog'}).`,
    stars: has('github') ? nothingFrom('github', 'stars') : 'Framework Pulse does not collect GitHub yet.',
  }
  // Maven Central alone: nothing will come, so the heading says no counts rather than "yet".
  const emptyTitle: Partial<Record<ChartName, string>> = registries.length === 0 && has('maven') ? { downloads: 'No download counts' } : {}
  return (
    <TrendCharts
      slug={entry.framework.slug}
      range={range}
      charts={(Object.keys(charts) as ChartName[]).map((name) => ({ name, results: charts[name], missing: missing[name], emptyTitle: emptyTitle[name] }))}
    />
  )
}
