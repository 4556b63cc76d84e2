import type { FC } from 'hono/jsx'
import type { LatestRun } from '../../db/job-runs.js'
import type { BenchmarkRun, SourceRun } from '../../db/queries/benchmarks.js'
import type { BenchmarkSource } from '../../db/schema.js'
import type { AssetUrls } from '../assets.js'
import { runDay, SOURCES } from '../benchmark-labels.js'
import { BenchmarkerResults } from '../components/benchmarker-results.js'
import { EmptyState } from '../components/empty-state.js'
import { LiveRegion, UpdatedLine } from '../components/live-region.js'
import { newest } from '../../newest.js'
import { TfbResults, type ResultsProps, type TrackedName } from '../components/tfb-results.js'
import { formatInstant } from '../format.js'
import { Layout } from '../layout.js'

export interface BenchmarksLiveProps {
  runs: BenchmarkRun[]
  techempower: SourceRun | undefined
  benchmarker: SourceRun | undefined
  frameworks: TrackedName[]
  /** The import jobs' last runs, to say why a source has nothing to show. */
  jobRuns: LatestRun[]
  allVariants: boolean
}

export interface BenchmarksPageProps extends BenchmarksLiveProps {
  assets: AssetUrls
}

export function BenchmarksPage({ assets, ...props }: BenchmarksPageProps) {
  const variants = props.allVariants ? 'all' : 'one'
  return (
    <Layout
      title="Benchmarks"
      assets={assets}
      description="Published benchmark results for the guide's ten frameworks."
    >
      <h1>Benchmarks</h1>
      <p>
        Published benchmark results beside popularity. Two sources with different methods: their
        figures are never mixed in one number, and each one names its source, run, date and method.
      </p>
      <VariantToggle allVariants={props.allVariants} />
      <LiveRegion id="live-benchmarks" src={`/live/benchmarks?variants=${variants}`}>
        <BenchmarksLive {...props} />
      </LiveRegion>
    </Layout>
  )
}

/**
 * When the newest run was imported, each source's newest run (or why there is none) and the
 * imported runs: in the page, and alone as its live fragment.
 */
export function BenchmarksLive(props: BenchmarksLiveProps) {
  const { techempower, benchmarker, frameworks, allVariants, jobRuns } = props
  const shared = { frameworks, allVariants, jobRuns }
  return (
    <>
      <UpdatedLine
        label="Last import"
        none="Nothing imported yet"
        at={newest(props.runs.map((r) => r.imported_at))}
      />
      <SourceSection
        id="tfb-title"
        source="techempower"
        setting="TFB_RESULTS_URLS"
        latest={techempower}
        Results={TfbResults}
        {...shared}
      />
      <SourceSection
        id="bm-title"
        source="the-benchmarker"
        setting="BENCHMARKER_DATA_URL"
        latest={benchmarker}
        Results={BenchmarkerResults}
        {...shared}
      />
      {props.runs.length > 0 && <ImportedRuns runs={props.runs} />}
    </>
  )
}

interface SourceSectionProps extends Omit<ResultsProps, 'run' | 'figures'> {
  id: string
  /** Also the name of its import job. */
  source: BenchmarkSource
  /** The setting to check when an import found nothing. */
  setting: string
  latest: SourceRun | undefined
  Results: FC<ResultsProps>
  jobRuns: LatestRun[]
}

/** One source's newest run, or why none is imported. */
function SourceSection(props: SourceSectionProps) {
  const { id, source, setting, latest, Results, jobRuns, ...shared } = props
  const lastImport = jobRuns.find((r) => r.job === source)
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{SOURCES[source].title}</h2>
      {latest ? (
        <Results {...latest} {...shared} />
      ) : (
        <NothingImported source={source} run={lastImport} setting={setting} />
      )}
    </section>
  )
}

/** A link, so it works without JavaScript and the choice is in the URL. */
function VariantToggle({ allVariants }: { allVariants: boolean }) {
  return (
    <p class="variant-toggle">
      {allVariants ? (
        <>
          Showing every variant (ORM or raw SQL, database, server) of each framework.{' '}
          <a href="/benchmarks">Show one variant per framework</a>
        </>
      ) : (
        <>
          Showing the variant that best represents how each framework is used (its main project's
          realistic test with the fullest stack and ORM, documented in the README).{' '}
          <a href="/benchmarks?variants=all">Show all variants</a>
        </>
      )}
    </p>
  )
}

function NothingImported({
  source,
  run,
  setting,
}: {
  source: BenchmarkSource
  run: LatestRun | undefined
  setting: string
}) {
  const why =
    run === undefined ? (
      <>
        The import has not run yet: it runs at start-up and on its schedule, or now with{' '}
        <code>npm run sync -- --source {source}</code>.
      </>
    ) : run.status === 'failed' ? (
      `The last import failed: ${run.error ?? 'no error recorded'}`
    ) : (
      `The last import (${formatInstant(run.started_at)}) found nothing to import: check ${setting}.`
    )
  return <EmptyState title={`No ${SOURCES[source].title} run imported yet.`}>{why}</EmptyState>
}

function ImportedRuns({ runs }: { runs: BenchmarkRun[] }) {
  return (
    <section aria-labelledby="runs-title">
      <h2 id="runs-title">Imported runs</h2>
      <div class="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">Source</th>
              <th scope="col">Run</th>
              <th scope="col">Completed</th>
              <th scope="col">Imported</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((run) => (
              <tr>
                <td>{SOURCES[run.source].title}</td>
                <td>{run.name}</td>
                <td>{runDay(run)}</td>
                <td>{formatInstant(run.imported_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="muted">
        The pages show each source's newest run; framework pages compare it with the run before.
      </p>
    </section>
  )
}
