import type { Metric } from '../../metrics.js'
import type { Db } from '../database.js'

export interface Snapshot {
  framework_id: number
  source: string
  subject: string
  metric: string
  day: string
  value: number
  fetched_at: Date
}

/** The newest value of each (framework, source, subject) for level metrics such as stars. */
export async function latestSnapshots(db: Db, metrics: Metric[]): Promise<Snapshot[]> {
  return db
    .selectFrom('observations')
    .select(['framework_id', 'source', 'subject', 'metric', 'day', 'value', 'fetched_at'])
    .where('metric', 'in', metrics)
    .distinctOn(['framework_id', 'source', 'subject', 'metric'])
    .orderBy('framework_id')
    .orderBy('source')
    .orderBy('subject')
    .orderBy('metric')
    .orderBy('day', 'desc')
    .execute()
}
