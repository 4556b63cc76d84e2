import { COMPARE_CHOICES, COMPARE_RANGES, RELEASE_METRICS, SMOOTHINGS, VIEWS, compareSearch, isReleaseMetric } from '../../compare/options.js'
import type { ChartResult } from '../../compare/notes.js'
import type { AssetUrls } from '../assets.js'
import { CompareChart } from '../components/compare-chart.js'
import { LiveRegion, UpdatedLine } from '../components/live-region.js'
import { newest } from '../../newest.js'
import { Layout } from '../layout.js'

/** Shown beside the Smoothing buttons while a quarterly metric is chosen (they are disabled then). */
export const SMOOTHING_OFF = 'Does not apply to quarterly counts: each point is already a quarter’s total.'

const RANGE_LABELS: Record<keyof typeof COMPARE_RANGES, string> = { '30d': '30 d', '90d': '90 d', '1y': '1 y', '3y': '3 y', all: 'All' }

export interface ComparePageProps {
  frameworks: { slug: string; name: string }[]
  result: ChartResult
  assets: AssetUrls
}

/**
 * A GET form: without JavaScript "Show" reloads the page with the state in the URL; with htmx
 * every change morphs only the live region (the "updated" line and the chart) and the fragment's
 * HX-Push-Url puts /compare?… in the address bar, so the state is bookmarkable and back/forward
 * work. The region polls /live/compare with the address bar's query (client/app.ts), so new data
 * shows for whatever the reader picked last.
 */
export function ComparePage({ frameworks, result, assets }: ComparePageProps) {
  const s = result.state
  return (
    <Layout title="Compare" assets={assets} description="Compare frameworks on downloads, stars, releases and more, across registries.">
      <h1>Compare frameworks</h1>
      <form class="compare-form" method="get" action="/compare" hx-get="/compare/chart" hx-trigger="change, submit" hx-target="#live-compare" hx-swap="innerMorph">
        <fieldset class="fw-choice">
          <legend>Frameworks</legend>
          {frameworks.map((f) => (
            <label>
              <input type="checkbox" name="fw" value={f.slug} checked={s.fw.includes(f.slug)} /> {f.name}
            </label>
          ))}
        </fieldset>
        <div class="compare-controls">
          <Select name="metric" label="Metric" current={s.metric} options={Object.fromEntries(Object.entries(COMPARE_CHOICES).map(([k, v]) => [k, v.label]))} />
          <Radios name="range" label="Range" current={s.range} options={RANGE_LABELS} />
          <Radios name="view" label="View" current={s.view} options={VIEWS} />
          <Radios
            name="smooth"
            label="Smoothing"
            current={s.smooth}
            options={SMOOTHINGS}
            off={{ when: Object.keys(RELEASE_METRICS), now: isReleaseMetric(s.metric), why: SMOOTHING_OFF }}
          />
          <button type="submit">Show</button>
        </div>
        {/* Tells "every framework unticked" (no fw at all) from a bare /compare (the defaults). */}
        <input type="hidden" name="submitted" value="1" />
      </form>
      <LiveRegion id="live-compare" src={`/live/compare?${compareSearch(s)}`}>
        <CompareLive result={result} />
      </LiveRegion>
    </Layout>
  )
}

/**
 * The chart and when its newest figure was fetched: in the page, and alone as its fragment. The
 * fragment begins with the chart section (/compare/chart is that section, for whoever embeds it);
 * the stylesheet shows the line above it, as on the other live pages.
 */
export function CompareLive({ result }: { result: ChartResult }) {
  return (
    <>
      <CompareChart result={result} />
      <UpdatedLine at={newest(result.series.map((s) => s.fetchedAt))} />
    </>
  )
}

function Select({ name, label, current, options }: { name: string; label: string; current: string; options: Record<string, string> }) {
  return (
    <label class="control">
      <span>{label}</span>
      <select name={name}>
        {Object.entries(options).map(([value, text]) => (
          <option value={value} selected={value === current}>
            {text}
          </option>
        ))}
      </select>
    </label>
  )
}

/**
 * Segmented radio buttons. `off`: disabled (not submitted, so the server's default applies)
 * while one of `when` is the metric, with `why` shown; the client script (app.ts) toggles it when
 * the metric changes, since the form itself is not swapped.
 */
function Radios({
  name,
  label,
  current,
  options,
  off,
}: {
  name: string
  label: string
  current: string
  options: Record<string, string>
  off?: { when: string[]; now: boolean; why: string }
}) {
  const whyId = `${name}-off`
  return (
    <fieldset
      class="control segmented"
      disabled={off?.now}
      aria-disabled={off ? String(off.now) : undefined}
      aria-describedby={off ? whyId : undefined}
      data-off-for={off?.when.join(' ')}
    >
      <legend>{label}</legend>
      {Object.entries(options).map(([value, text]) => (
        <label>
          <input type="radio" name={name} value={value} checked={value === current} />
          <span>{text}</span>
        </label>
      ))}
      {off && (
        <small id={whyId} class="muted" hidden={!off.now}>
          {off.why}
        </small>
      )}
    </fieldset>
  )
}
