import type { Child } from 'hono/jsx'
import type { ReleaseRow } from '../../db/schema.js'
import { formatDay } from '../format.js'
import { newest } from '../../newest.js'
import { sourceName } from '../../source-names.js'
import { EmptyState } from './empty-state.js'
import { SourceNote } from './source-note.js'

export function ReleaseList({ releases, missing }: { releases: ReleaseRow[]; missing: Child }) {
  if (releases.length === 0) return <EmptyState title="No releases stored yet">{missing}</EmptyState>
  const fetchedAt = newest(releases.map((r) => r.fetched_at))
  const sources = [...new Set(releases.map((r) => `${sourceName(r.source)} (${r.subject})`))].join(', ')
  return (
    <>
      <table class="release-list">
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Published</th>
            <th scope="col">Source</th>
          </tr>
        </thead>
        <tbody>
          {releases.map((r) => (
            <tr>
              <td>
                {r.url ? <a href={r.url}>{r.version}</a> : r.version}
                {r.prerelease && <span class="badge badge-muted">prerelease</span>}
              </td>
              <td>{formatDay(r.published_at)}</td>
              <td>{sourceName(r.source)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <SourceNote source={sources} fetchedAt={fetchedAt} />
    </>
  )
}
