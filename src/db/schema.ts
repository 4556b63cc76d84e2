import type { ColumnType, Generated, Insertable, Selectable } from 'kysely'

// pg returns int8 (bigint, count) as strings; we select them as strings and convert at the edge.
type Timestamp = ColumnType<Date, Date | string, Date | string>
// `date` columns come back as strings (see types.setTypeParser in database.ts): days, not instants.
type Day = ColumnType<string, string, string>

export interface FrameworksTable {
  id: Generated<number>
  slug: string
  name: string
  language: string
  guide_heading: string
  position: number
  tracked: Generated<boolean>
}

export interface FrameworkSourcesTable {
  framework_id: number
  source: string
  identity: string
  note: string | null
}

export interface ObservationsTable {
  framework_id: number
  source: string
  subject: string
  metric: string
  day: Day
  value: number
  fetched_at: Timestamp
}

export interface ReleasesTable {
  framework_id: number
  source: string
  subject: string
  version: string
  published_at: Timestamp
  prerelease: boolean
  url: string | null
  title: string | null
  notes_html: string | null
  fetched_at: Timestamp
}

export interface GuideSectionsTable {
  framework_id: number
  rank: number
  heading: string
  paragraphs: ColumnType<string[], string, string>
  post_url: string
  post_title: string
  post_modified_at: Timestamp
  origin: 'snapshot' | 'live'
  fetched_at: Timestamp
}

export type JobStatus = 'running' | 'succeeded' | 'failed' | 'interrupted'

export interface JobRunsTable {
  id: Generated<string>
  job: string
  source: string
  framework_id: number | null
  started_at: Timestamp
  finished_at: Timestamp | null
  status: JobStatus
  rows_written: Generated<number>
  not_modified: Generated<number>
  error: string | null
}

export interface HttpCacheTable {
  url: string
  etag: string | null
  last_modified: string | null
  checked_at: Timestamp
}

export interface DataVersionTable {
  id: Generated<boolean>
  version: ColumnType<string, number | string, number | string>
  changed_at: Timestamp
}

export interface SourceStateTable {
  source: string
  key: string
  value: ColumnType<unknown, string, string>
  updated_at: Timestamp
}

export interface Database {
  frameworks: FrameworksTable
  framework_sources: FrameworkSourcesTable
  observations: ObservationsTable
  releases: ReleasesTable
  guide_sections: GuideSectionsTable
  job_runs: JobRunsTable
  http_cache: HttpCacheTable
  data_version: DataVersionTable
  source_state: SourceStateTable
}

export type FrameworkRow = Selectable<FrameworksTable>
export type NewObservation = Insertable<ObservationsTable>
export type NewRelease = Insertable<ReleasesTable>
export type ReleaseRow = Selectable<ReleasesTable>
export type GuideSectionRow = Selectable<GuideSectionsTable>
export type NewGuideSection = Insertable<GuideSectionsTable>
export type JobRunRow = Selectable<JobRunsTable>
