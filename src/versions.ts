import { explain } from '@renovatebot/pep440'
import semver from 'semver'
import type { CatalogEntry, Registry } from './catalog/catalog.js'

/**
 * Whether a version is a pre-release, by the rules of the registry that published it: one module,
 * so npm, Hex, PyPI, RubyGems, Maven, NuGet, Packagist and GitHub tags never disagree on a string.
 *
 * A string outside its registry's scheme (no parser accepts it) is a pre-release when it holds a
 * letter, RubyGems' rule: the words registries put in versions ("rc", "beta", "dev", "Unstable")
 * mark pre-releases, and a stable count must hold only versions known to be releases; a purely
 * numeric string ("1.0" on npm) is a final release in a shape the parser does not know. `null`
 * (a GitHub repository whose framework has no registry) uses that rule alone.
 */
export function isPrerelease(scheme: Registry | null, version: string): boolean {
  switch (scheme) {
    case 'npm':
    case 'hex':
      return semverPrerelease(version)
    case 'pypi':
      return pep440Prerelease(version)
    case 'rubygems':
      return hasLetter(version)
    case 'maven':
      return mavenPrerelease(version)
    case 'nuget':
      return nugetPrerelease(version)
    case 'packagist':
      return composerStability(version) !== 'stable'
    case null:
      return hasLetter(version)
  }
}

/**
 * The scheme a framework's GitHub tags follow: that of its registry (the first the catalog lists),
 * as projects tag the versions they publish there ("v5.0.0-beta.1" on npm, "5.2rc1" on PyPI).
 */
export function tagScheme(framework: Pick<CatalogEntry, 'packages'>): Registry | null {
  return (Object.keys(framework.packages) as Registry[])[0] ?? null
}

/**
 * Gem::Version#prerelease?: `@version =~ /[a-zA-Z]/`. A leading "v" before a digit is a tag's
 * naming habit (GitHub), not a letter of the version.
 */
function hasLetter(version: string): boolean {
  return /[a-z]/i.test(version.trim().replace(/^v(?=\d)/i, ''))
}

/**
 * npm and Hex: `semver` with `loose`, as npm reads its registry (normalize-package-data), so npm's
 * old hyphen-less versions count: 1.0.0rc4, 2.0.0beta and 3.0.0alpha5 in Express's packument have
 * the pre-releases "rc4", "beta", "alpha5". Build metadata ("+build") is ignored (SemVer §10).
 * Hex accepts only SemVer 2 (Elixir's Version), which loose parsing reads alike.
 */
function semverPrerelease(version: string): boolean {
  if (semver.valid(version, { loose: true }) === null) return hasLetter(version)
  return semver.prerelease(version, { loose: true }) !== null
}

/**
 * PyPI: PEP 440 through @renovatebot/pep440, packaging's VERSION_PATTERN and normalisation
 * ("1.0-rc1", "1.0.0RC1" and "1.0a" are pre-releases). `is_prerelease` is packaging's: an
 * a/b/c/rc (alpha, beta, pre, preview) segment or a .devN; .postN and local "+labels" are not,
 * though a dev release of a post-release is. PEP 440 ignores surrounding whitespace. A string it
 * rejects is a legacy version, which pip (packaging >= 22) no longer installs.
 */
function pep440Prerelease(version: string): boolean {
  const parsed = explain(version.trim())
  return parsed === null ? hasLetter(version) : parsed.is_prerelease
}

/**
 * Maven: the qualifiers of Maven's ComparableVersion, which sorts these before the release.
 *
 * | qualifier (any case)                 | pre-release |
 * |--------------------------------------|-------------|
 * | alpha, a<digit>                      | yes         |
 * | beta, b<digit>                       | yes         |
 * | milestone, m<digit> (Spring's M1)    | yes         |
 * | rc, cr                               | yes         |
 * | snapshot (Spring's BUILD-SNAPSHOT)   | yes         |
 * | preview (*)                          | yes         |
 * | ga, final, release (Spring .RELEASE) | no          |
 * | sp (service pack)                    | no          |
 * | any other word (jre, android)        | no          |
 *
 * (*) ComparableVersion sorts unknown words after the release; "preview" is taken as a
 * pre-release because it names one wherever it is used. Spring's two schemes, 2.3.0.M1/.RC1/
 * .BUILD-SNAPSHOT/.RELEASE and 2.4.0-M1/-RC1/-SNAPSHOT (spring.io, 2020), both fit. Words are the
 * letter runs between '.', '-' and digits, as Maven splits ("1.0alpha1"); a lone a, b or m is a
 * qualifier only when a digit follows it at once ("2.0b1", ComparableVersion's followedByDigit).
 */
const MAVEN_PRE_WORDS = new Set(['alpha', 'beta', 'milestone', 'rc', 'cr', 'snapshot', 'preview'])

function mavenPrerelease(version: string): boolean {
  const v = version.toLowerCase()
  const words = v.match(/[a-z]+/g) ?? []
  return words.some((w) => MAVEN_PRE_WORDS.has(w)) || /(?<![a-z])[abm]\d/.test(v)
}

// NuGetVersion: 1 to 4 numeric parts, an optional "-label" (SemVer 2 dotted labels included) and
// optional "+metadata". A pre-release has a label; metadata is ignored (SemVer §10), so
// 3.12.0+build-632 is a release.
const NUGET = /^\d+(?:\.\d+){0,3}(?<label>-[0-9a-z.-]+)?(?:\+[0-9a-z.-]+)?$/i

function nugetPrerelease(version: string): boolean {
  const match = NUGET.exec(version.trim())
  return match === null ? hasLetter(version) : match.groups!.label !== undefined
}

export type ComposerStability = 'stable' | 'RC' | 'beta' | 'alpha' | 'dev'

// Composer\Semver\VersionParser::$modifierRegex, anchored at the end as parseStability uses it.
const COMPOSER_MODIFIER = /[._-]?(?:(stable|beta|b|rc|alpha|a|patch|pl|p)((?:[.-]?\d+)*)?)?([.-]?dev)?(?:\+.*)?$/i

/**
 * Composer\Semver\VersionParser::parseStability(), for a version or its version_normalized:
 * "dev-" branches and a "-dev" suffix are dev; -alpha/-a, -beta/-b and -RC the pre-release
 * levels; -patch/-pl/-p (a patch level after the release) and everything else stable.
 */
export function composerStability(version: string): ComposerStability {
  const v = version.replace(/#.+$/, '')
  if (v.startsWith('dev-') || v.endsWith('-dev')) return 'dev'
  const [, modifier, , dev] = COMPOSER_MODIFIER.exec(v.toLowerCase()) ?? []
  if (dev) return 'dev'
  if (modifier === 'beta' || modifier === 'b') return 'beta'
  if (modifier === 'alpha' || modifier === 'a') return 'alpha'
  if (modifier === 'rc') return 'RC'
  return 'stable'
}
