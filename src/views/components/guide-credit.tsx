import type { LatestRun } from '../../db/job-runs.js'
import type { FrameworkWithGuide } from '../../db/queries/frameworks.js'
import { formatDay } from '../format.js'
import { RunFailure } from './empty-why.js'
import { Timestamp } from './source-note.js'

/** Names the guide, its revision, and whether the text is the bundled copy or a live fetch. */
export function GuideCredit({ framework, run }: { framework: FrameworkWithGuide; run: LatestRun | undefined }) {
  return (
    <p class="guide-credit">
      From “<a href={framework.post_url!}>{framework.post_title}</a>”, last modified{' '}
      <time datetime={formatDay(framework.post_modified_at!)}>{formatDay(framework.post_modified_at!)}</time>.{' '}
      {framework.guide_origin === 'snapshot' ? (
        <>Text from the copy bundled with Framework Pulse (loaded <Timestamp at={framework.guide_fetched_at!} />); it is replaced once the guide's site is reached.</>
      ) : (
        <>Fetched <Timestamp at={framework.guide_fetched_at!} />.</>
      )}
      {run?.status === 'failed' && (
        <>
          {' '}
          <RunFailure name="guide" error={run.error ?? 'no error was recorded'} />.
        </>
      )}
    </p>
  )
}
