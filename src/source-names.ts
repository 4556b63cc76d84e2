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

/** A source's name for readers; the stored key (`pypi`) when the source is unknown. */
export const sourceName = (source: string): string => SOURCE_NAMES[source] ?? source
