import { cadence } from '../../cadence.js'
import type { ReleaseFacts } from '../../db/queries/releases.js'
import { newest } from '../../newest.js'
import { sourceName } from '../../source-names.js'
import { SourceNote } from './source-note.js'

/** Release cadence across every source's releases (one version counted once). */
export function CadenceFigures({ releases, now }: { releases: ReleaseFacts[]; now: Date }) {
  if (releases.length === 0) return null
  const c = cadence(releases, now)
  const sources = [...new Set(releases.map((r) => sourceName(r.source)))].join(', ')
  const fetchedAt = newest(releases.map((r) => r.fetched_at))
  return (
    <div class="cadence">
      <p>
        <strong>{c.stableLastYear}</strong> stable release{c.stableLastYear === 1 ? '' : 's'} in the last 365 days
        {c.medianDaysBetween !== null && <>, a median of {c.medianDaysBetween} days apart</>}
        {c.lastVersion && (
          <>
            ; last {c.lastVersion}, {c.daysSinceLast} day{c.daysSinceLast === 1 ? '' : 's'} ago
          </>
        )}
        {c.latestMinor && <>; latest line {c.latestMinor}</>}. Prereleases apart: {c.prereleasesLastYear} in the last 365 days.
      </p>
      <SourceNote source={`releases from ${sources}`} fetchedAt={fetchedAt} />
    </div>
  )
}
