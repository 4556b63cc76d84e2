import type { Entry, TestType } from './techempower-format.js'

// Requests/s exactly as TFB's own tooling computes them (tfb-status
// src/main/java/tfb/status/view/Results.java, `requests()` and `rps()`); the caller divides the
// chosen level's successful requests by the run's configured duration, not endTime - startTime.

// tfb-status Results.java: "successfulRequests() { return totalRequests - status5xx; }", with a
// missing field read as 0 (a failed level counts nothing).
export const successful = (entry: Entry) => (entry.totalRequests ?? 0) - (entry['5xx'] ?? 0)

// Results.requests(): json, plaintext, db and fortune "use the highest total requests from any
// concurrency level"; query, update and cached_query "the last execution in the list".
const LAST_LEVEL: ReadonlySet<TestType> = new Set(['query', 'update', 'cached-query'])

/** The level whose figure TFB reports: its index in the test's entries. */
export function chosenLevel(type: TestType, entries: Entry[]): number {
  if (LAST_LEVEL.has(type)) return entries.length - 1
  let best = 0
  entries.forEach((entry, i) => {
    if (successful(entry) > successful(entries[best]!)) best = i
  })
  return best
}
