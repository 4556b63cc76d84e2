import type { FrameworkName, ReleaseFact } from '../../db/queries/events.js'
import type { EventKind } from '../../event-kinds.js'
import { oneLine } from '../../xml-text.js'
import type { EventDraft } from '../events.js'
import { escapeHtml, httpUrl, link, paragraph, trimNotes } from './event-html.js'
import { groupBy } from '../../group-by.js'

/**
 * "v5.1.0" → "5.1.0": registries and GitHub tags name one version two ways. This is how a
 * version is matched across sources (npm's 5.1.0 and GitHub's tag v5.1.0 are one event); nothing
 * looser, so "5.1" and "5.1.0" stay two versions, as their registries list them.
 */
export function normalizeVersion(version: string): string {
  return version.trim().replace(/^v(?=\d)/i, '')
}

/** The leading number of a version ("5.1.0" → 5, "2024.1" → 2024), or null when there is none. */
export function majorOf(version: string): number | null {
  const match = /^(\d+)/.exec(version)
  return match ? Number(match[1]) : null
}

/** The kinds of release events: stored, their content follows the version's rows (events.ts). */
export const RELEASE_KINDS = ['release', 'major', 'prerelease'] as const satisfies readonly EventKind[]
type ReleaseKind = (typeof RELEASE_KINDS)[number]

/** One version of a framework, as published on one or more sources. */
interface VersionGroup {
  version: string
  /** Earliest first. */
  rows: ReleaseFact[]
  /** The earliest publication: the event's date when it is first stored (never changed after). */
  first: ReleaseFact
  /** The row whose name, notes and link the event shows (bestRow). */
  primary: ReleaseFact
  prerelease: boolean
}

/**
 * One event per version of each framework, whichever sources publish it (npm and GitHub both
 * list Express 5.1.0). Its kind: 'prerelease' if any source calls it one (a registry judges the
 * version string, GitHub the release's own flag); 'major' for the earliest stable release of a
 * major version when a stable release of a lower major is stored (so a package's very first
 * release is not a "new major", and 4.x backports after 5.0.0 are not either); 'release'
 * otherwise. The id leaves the kind out, so a later reclassification (older history arriving, a
 * version now known to be a prerelease) rewrites the one item instead of making a second.
 * Everything but the id and date follows the rows stored now: the derivation runs over all of
 * them after every job and the store rewrites what changed (writes.ts upsertEvents).
 */
export function releaseEvents(frameworks: Map<number, FrameworkName>, releases: ReleaseFact[]): EventDraft[] {
  const byFramework = groupBy(releases, (r) => r.framework_id)
  return [...byFramework].flatMap(([frameworkId, rows]) => {
    const framework = frameworks.get(frameworkId)
    if (!framework) return []
    const groups = versionGroups(rows)
    const majors = firstOfEachMajor(groups)
    return groups.map((group) => toDraft(framework, group, kindOf(group, majors)))
  })
}

function versionGroups(rows: ReleaseFact[]): VersionGroup[] {
  const groups = [...groupBy(rows, (r) => normalizeVersion(r.version))].map(([version, rows]): VersionGroup => {
    const byDate = [...rows].sort((a, b) => a.published_at.getTime() - b.published_at.getTime())
    const first = byDate[0]!
    return { version, rows: byDate, first, primary: bestRow(byDate), prerelease: rows.some((r) => r.prerelease) }
  })
  // Code-unit order breaks ties: localeCompare would depend on the process's locale.
  const byVersion = (a: VersionGroup, b: VersionGroup) => (a.version < b.version ? -1 : a.version > b.version ? 1 : 0)
  return groups.sort((a, b) => a.first.published_at.getTime() - b.first.published_at.getTime() || byVersion(a, b))
}

/**
 * The row that speaks for a version: one with notes, then one with a name of its own, then the
 * earliest; among equals, the earliest. Only GitHub releases carry names and notes, so a GitHub
 * release beats a registry row or a bare tag, whichever was synced first.
 */
function bestRow(byDate: ReleaseFact[]): ReleaseFact {
  const richness = (r: ReleaseFact) => (r.notes_html ? 2 : 0) + (nameOf(r) ? 1 : 0)
  return byDate.reduce((best, r) => (richness(r) > richness(best) ? r : best))
}

/** A release's own name ("Express 5: the long wait is over"), not its version again ("v5.1.0"). */
function nameOf(row: ReleaseFact): string | null {
  const title = row.title?.trim()
  return title && normalizeVersion(title) !== normalizeVersion(row.version) ? oneLine(title, 200) : null
}

/** The earliest stable release of each major version that has a stable lower major stored. */
function firstOfEachMajor(groups: VersionGroup[]): Set<VersionGroup> {
  const stable = groups.filter((g) => !g.prerelease && majorOf(g.version) !== null)
  const lowest = Math.min(...stable.map((g) => majorOf(g.version)!))
  const first = new Map<number, VersionGroup>()
  for (const group of stable) {
    const major = majorOf(group.version)!
    if (major > lowest && !first.has(major)) first.set(major, group)
  }
  return new Set(first.values())
}

function kindOf(group: VersionGroup, majors: Set<VersionGroup>): ReleaseKind {
  if (group.prerelease) return 'prerelease'
  return majors.has(group) ? 'major' : 'release'
}

const TITLES: Record<ReleaseKind, (name: string, version: string) => string> = {
  release: (name, version) => `${name} ${version}`,
  major: (name, version) => `${name} ${version}: new major version`,
  prerelease: (name, version) => `${name} ${version} (prerelease)`,
}

function toDraft(framework: FrameworkName, group: VersionGroup, kind: ReleaseKind): EventDraft {
  const { version, first, primary } = group
  const lead = kind === 'major' ? `, the first stable release of major version ${majorOf(version)},` : ''
  const summary = oneLine(`${framework.name} ${version}${lead} was published on ${publishedWhere(group.rows)}.`, 400)
  const name = nameOf(primary)
  const url = httpUrl(primary.url) ?? group.rows.map((r) => httpUrl(r.url)).find(Boolean) ?? null
  const content = (name ? `<p><strong>${escapeHtml(name)}</strong></p>` : '') + paragraph(summary)
  return {
    id: `release:${framework.slug}:${version}`,
    framework_id: framework.id,
    kind,
    occurred_at: first.published_at,
    title: oneLine(TITLES[kind](framework.name, version), 200),
    summary,
    // Notes were sanitized at ingestion (github-markdown.ts); here they are only trimmed.
    content_html: primary.notes_html ? withNotes(content, primary.notes_html, url) : content,
    url,
    data: {
      version,
      major: majorOf(version),
      title: primary.title,
      sources: group.rows.map((r) => ({
        source: r.source,
        subject: r.subject,
        version: r.version,
        published_at: r.published_at.toISOString(),
        url: r.url,
      })),
    },
  }
}

/** "npm (express) and github (expressjs/express) on 2025-03-31", each with its own day if they differ. */
function publishedWhere(rows: ReleaseFact[]): string {
  const day = (r: ReleaseFact) => r.published_at.toISOString().slice(0, 10)
  const where = (r: ReleaseFact) => `${r.source} (${r.subject})`
  if (rows.every((r) => day(r) === day(rows[0]!))) return `${rows.map(where).join(' and ')} on ${day(rows[0]!)}`
  return rows.map((r) => `${where(r)} on ${day(r)}`).join(' and ')
}

/** The content with the release's notes, trimmed to a sane length with a link to the full text. */
export function withNotes(content: string, notesHtml: string, url: string | null): string {
  const notes = trimNotes(notesHtml)
  if (!notes.trimmed) return content + notes.html
  const more = url
    ? `The notes are shortened here: ${link(url, 'read them in full')}.`
    : 'The notes are shortened here.'
  return `${content}${notes.html}<p><em>${more}</em></p>`
}
