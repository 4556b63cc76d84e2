import type { SignalName } from './db/schema.js'

/** Registry and API names as their owners write them: "PyPI", "NuGet"; npm is lowercase by its own choice. */
export const SOURCE_NAMES: Record<string, string> = {
  npm: 'npm',
  pypi: 'PyPI',
  rubygems: 'RubyGems',
  packagist: 'Packagist',
  nuget: 'NuGet',
  hex: 'Hex',
  maven: 'Maven Central',
  github: 'GitHub',
  techempower: 'TechEmpower',
  'the-benchmarker': 'the-benchmarker',
}

/** What each signal of a source collects (job_runs.signal), in readers' words. */
export const SIGNAL_NAMES: Record<SignalName, string> = {
  downloads: 'downloads',
  releases: 'releases',
  snapshot: 'repository',
  star_history: 'star history',
  tags: 'tags',
}

export const signalName = (signal: SignalName): string => SIGNAL_NAMES[signal]

/** A source's name for readers; the stored key (`pypi`) when the source is unknown. */
export const sourceName = (source: string): string => SOURCE_NAMES[source] ?? source

/** Sources a series joins with " + " (a release count from a registry and GitHub), each named for readers. */
export const sourceNames = (joined: string): string => joined.split(' + ').map(sourceName).join(' + ')

const NAME_WORDS = new Set(Object.values(SOURCE_NAMES).flatMap((name) => name.split(' ')))

/** A label inside a sentence: "Downloads" → "downloads", but "GitHub stars" keeps its capital. */
export function inSentence(label: string): string {
  const first = label.split(' ')[0] ?? ''
  return NAME_WORDS.has(first) ? label : label.charAt(0).toLowerCase() + label.slice(1)
}
