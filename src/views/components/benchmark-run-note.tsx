import type { BenchmarkRun } from '../../db/queries/benchmarks.js'
import { runDay, SOURCES } from '../benchmark-labels.js'
import { Timestamp } from './source-note.js'

/** Which run the figures come from, where, and how they were computed: every figure names all three. */
export function BenchmarkRunNote({ run }: { run: BenchmarkRun }) {
  const source = SOURCES[run.source]
  return (
    <div class="run-note">
      <p>
        Source: <a href={source.href}>{source.title}</a>, run <strong>{run.name}</strong>, completed{' '}
        {runDay(run)}
        {run.environment && <> on {run.environment}</>}
        {run.commit && (
          <>
            {' '}
            (commit <code>{run.commit.slice(0, 12)}</code>)
          </>
        )}
        .
      </p>
      <p class="method">Method: {source.method(run)}</p>
      <p class="source-note">
        Imported <Timestamp at={run.imported_at} /> from{' '}
        {/^https?:/.test(run.url) ? <a href={run.url}>{run.url}</a> : <code>{run.url}</code>}; a
        published run is imported once and never changes.
      </p>
    </div>
  )
}
