import type { SourceIdentity } from '../db/queries/frameworks.js'

export const SOURCE_LABELS: Record<string, string> = {
  npm: 'npm downloads',
  pypi: 'PyPI downloads',
  rubygems: 'RubyGems downloads',
  packagist: 'Packagist downloads',
  nuget: 'NuGet downloads',
  hex: 'Hex downloads',
  maven: 'Maven Central releases',
  github: 'GitHub stars and releases',
  techempower: 'TechEmpower benchmarks',
}

export interface Signal {
  source: string
  label: string
  identities: string[]
  note: string | null
}

/** A framework's catalog identities grouped per source, split into collected and not yet collected. */
export function signalsOf(identities: SourceIdentity[], collected: ReadonlySet<string>) {
  const bySource = new Map<string, Signal>()
  for (const id of identities) {
    // Benchmark names are no popularity signal: the Benchmarks section shows their results.
    if (id.source === 'techempower') continue
    const signal = bySource.get(id.source) ?? { source: id.source, label: SOURCE_LABELS[id.source] ?? id.source, identities: [], note: id.note }
    signal.identities.push(id.identity)
    bySource.set(id.source, signal)
  }
  const all = [...bySource.values()]
  return { tracked: all.filter((s) => collected.has(s.source)), notYet: all.filter((s) => !collected.has(s.source)) }
}
