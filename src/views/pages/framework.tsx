import type { ReleaseRow } from '../../db/schema.js'
import type { FrameworkOverview } from '../../db/queries/overview.js'
import type { SeriesResult } from '../../db/queries/series.js'
import type { AssetUrls } from '../assets.js'
import { DownloadFigures } from '../components/download-figures.js'
import { EmptyState } from '../components/empty-state.js'
import { GuideCredit } from '../components/guide-credit.js'
import { ReleaseList } from '../components/release-list.js'
import { TrendChart } from '../components/trend-chart.js'
import { Layout } from '../layout.js'
import { signalsOf } from '../signals.js'

export interface FrameworkPageProps {
  entry: FrameworkOverview
  series: SeriesResult
  releases: ReleaseRow[]
  collected: ReadonlySet<string>
  assets: AssetUrls
}

export function FrameworkPage({ entry, series, releases, collected, assets }: FrameworkPageProps) {
  const { framework, runs, downloads } = entry
  const signals = signalsOf(entry.identities, collected)
  const downloadSources = signals.tracked.map((s) => s.source)
  return (
    <Layout title={framework.name} assets={assets}>
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
              {framework.paragraphs.map((html) => (
                <div dangerouslySetInnerHTML={{ __html: html }} />
              ))}
            </blockquote>
            <GuideCredit framework={framework} run={undefined} />
          </>
        ) : (
          <EmptyState title="The guide has no section for this framework." />
        )}
      </section>
      {signals.tracked.map((signal) => (
        <DownloadFigures source={signal.source} summaries={downloads.filter((d) => d.source === signal.source)} run={runs.find((r) => r.source === signal.source)} />
      ))}
      <DownloadsChart entry={entry} series={series} collected={collected} />
      <section aria-labelledby="releases-title">
        <h2 id="releases-title">Releases</h2>
        <ReleaseList releases={releases} missing={downloadSources.length > 0 ? 'No release has been fetched yet; see the status page.' : 'Releases come from registries and GitHub, which are not tracked yet for this framework.'} />
      </section>
      {signals.notYet.length > 0 && (
        <section aria-labelledby="not-yet-title" class="not-tracked">
          <h2 id="not-yet-title">Signals not tracked yet</h2>
          <ul>
            {signals.notYet.map((s) => (
              <li>
                {s.label}: {s.identities.join(', ')}
                {s.note && <p class="muted">{s.note}</p>}
              </li>
            ))}
          </ul>
        </section>
      )}
    </Layout>
  )
}

/** The downloads chart, in the page and alone as the range picker's htmx fragment. */
export function DownloadsChart({ entry, series, collected }: { entry: FrameworkOverview; series: SeriesResult; collected: ReadonlySet<string> }) {
  const signals = signalsOf(entry.identities, collected)
  const sources = signals.tracked.map((s) => s.source)
  // Why the chart is empty, in words a reader can act on.
  const missing =
    sources.length > 0
      ? `Nothing stored from ${sources.join(', ')} yet: the first sync has not succeeded (see the status page).`
      : `Framework Pulse does not collect this framework's registry yet (${signals.notYet.map((s) => s.label).join(', ') || 'no registry in the catalog'}).`
  return <TrendChart slug={entry.framework.slug} title="Downloads" result={series} missing={missing} />
}
