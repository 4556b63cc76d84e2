import type { FrameworkName, ReleaseFact, ReleaseRef } from '../../db/queries/events.js'
import type { EventKind } from '../../event-kinds.js'
import { oneLine } from '../../xml-text.js'
import type { EventDraft } from '../events.js'
import { escapeHtml, httpUrl, link, paragraph, trimNotes } from './event-html.js'
import { groupBy } from '../../group-by.js'

/** "v5.1.0" → "5.1.0": registries and GitHub tags name one version two ways. */
export function normalizeVersion(version: string): string {
  return version.trim().replace(/^v(?=\d)/i, '')
}

/** The leading number of a version ("5.1.0" → 5, "2024.1" → 2024), or null when there is none. */
export function majorOf(version: string): number | null {
  const match = /^(\d+)/.exec(version)
  return match ? Number(match[1]) : null
}

/** One version of a framework, as published on one or more sources. */
interface VersionGroup {
  version: string
  rows: ReleaseFact[]
  /** The earliest publication: the event's date. */
  first: ReleaseFact
  /** The row whose notes and link the event shows: one with notes if any, else the earliest. */
  primary: ReleaseFact
  prerelease: boolean
}

/**
 * One event per version of each framework, whichever sources publish it (npm and GitHub both
 * list Express 5.1.0). Its kind: 'prerelease' if no source calls it stable; 'major' for the
 * earliest stable release of a major version when a stable release of a lower major is stored
 * (so a package's very first release is not a "new major", and 4.x backports after 5.0.0 are not
 * either); 'release' otherwise. The id leaves the kind out, so a later reclassification (older
 * history arriving) never makes a second item for one version.
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
    const primary = byDate.find((r) => r.has_notes) ?? first
    return { version, rows, first, primary, prerelease: rows.every((r) => r.prerelease) }
  })
  // Code-unit order breaks ties: localeCompare would depend on the process's locale.
  const byVersion = (a: VersionGroup, b: VersionGroup) => (a.version < b.version ? -1 : a.version > b.version ? 1 : 0)
  return groups.sort((a, b) => a.first.published_at.getTime() - b.first.published_at.getTime() || byVersion(a, b))
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

type ReleaseKind = Extract<EventKind, 'release' | 'major' | 'prerelease'>

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
  const day = first.published_at.toISOString().slice(0, 10)
  const where = group.rows.map((r) => `${r.source} (${r.subject})`).join(' and ')
  const lead = kind === 'major' ? `, the first stable release of major version ${majorOf(version)},` : ''
  const summary = oneLine(`${framework.name} ${version}${lead} was published on ${where} on ${day}.`, 400)
  const name = primary.title && normalizeVersion(primary.title) !== version ? oneLine(primary.title, 200) : null
  return {
    id: `release:${framework.slug}:${version}`,
    framework_id: framework.id,
    kind,
    occurred_at: first.published_at,
    title: oneLine(TITLES[kind](framework.name, version), 200),
    summary,
    content_html: (name ? `<p><strong>${escapeHtml(name)}</strong></p>` : '') + paragraph(summary),
    url: httpUrl(primary.url) ?? group.rows.map((r) => httpUrl(r.url)).find(Boolean) ?? null,
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
    ...(primary.has_notes ? { notes: releaseRef(primary) } : {}),
  }
}

function releaseRef({ framework_id, source, subject, version }: ReleaseFact): ReleaseRef {
  return { framework_id, source, subject, version }
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
