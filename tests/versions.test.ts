import { readFileSync } from 'node:fs'
import semver from 'semver'
import { describe, expect, it } from 'vitest'
import type { Registry } from '../src/catalog/catalog.js'
import { versionOf } from '../src/jobs/sources/github-releases.js'
import { packumentSchema, toReleases as npmReleases } from '../src/jobs/sources/npm.js'
import { p2Schema } from '../src/jobs/sources/packagist.js'
import { composerStability, isPrerelease, tagScheme } from '../src/versions.js'
import { fixture } from './helpers/npm-upstream.js'

type Row = { number: string; prerelease: boolean }

// Every version string a registry document in tests/fixtures holds (the verbatim ones are copies
// of ../shared/upstream: see tests/fixtures/README.md and each folder's README).
const keys = (file: string, field: string) => Object.keys((fixture(file) as Record<string, object>)[field]!)
const nugetVersions = (file: string): string[] => {
  const found: string[] = []
  JSON.stringify(fixture(file), (_key, value: { catalogEntry?: { version?: string } }) => {
    if (typeof value?.catalogEntry?.version === 'string') found.push(value.catalogEntry.version)
    return value
  })
  return found
}
const p2Versions = (file: string, name: string) =>
  p2Schema(name).parse(fixture(file)).packages[name]!.flatMap((v) => [v.version, v.version_normalized ?? v.version])
const mavenMetadata = () =>
  [...readFileSync(new URL('fixtures/maven/maven-metadata-spring-boot.xml', import.meta.url), 'utf8').matchAll(/<version>([^<]+)</g)].map((m) => m[1]!)

const DOCUMENTS: Record<string, () => string[]> = {
  'npm/packument-tiny-tarball.json': () => keys('npm/packument-tiny-tarball.json', 'versions'),
  'npm/packument-express.json': () => keys('npm/packument-express.json', 'versions'),
  'npm/packument-nestjs-core.json': () => keys('npm/packument-nestjs-core.json', 'versions'),
  'hex/package-certifi.json': () => (fixture('hex/package-certifi.json') as { releases: { version: string }[] }).releases.map((r) => r.version),
  'hex/package-phoenix.json': () => (fixture('hex/package-phoenix.json') as { releases: { version: string }[] }).releases.map((r) => r.version),
  'pypi/project-sampleproject.json': () => keys('pypi/project-sampleproject.json', 'releases'),
  'pypi/project-django.json': () => keys('pypi/project-django.json', 'releases'),
  'pypi/project-flask.json': () => keys('pypi/project-flask.json', 'releases'),
  'pypi/project-fastapi.json': () => keys('pypi/project-fastapi.json', 'releases'),
  'pypi/project-azure-cli-monitor.json': () => keys('pypi/project-azure-cli-monitor.json', 'releases'),
  'rubygems/versions-coulda.json': () => (fixture('rubygems/versions-coulda.json') as Row[]).map((v) => v.number),
  'rubygems/versions-rails.json': () => (fixture('rubygems/versions-rails.json') as Row[]).map((v) => v.number),
  'maven/search-gav-plexus-utils.json': () => (fixture('maven/search-gav-plexus-utils.json') as { response: { docs: { v: string }[] } }).response.docs.map((d) => d.v),
  'maven/maven-metadata-spring-boot.xml': mavenMetadata,
  'nuget/registration-nunit.json': () => nugetVersions('nuget/registration-nunit.json'),
  'nuget/registration-index-docs.json': () => nugetVersions('nuget/registration-index-docs.json'),
  'nuget/registration-page-docs.json': () => nugetVersions('nuget/registration-page-docs.json'),
  'nuget/registration-openapi.json': () => nugetVersions('nuget/registration-openapi.json'),
  'packagist/p2-mailchimp-api.json': () => p2Versions('packagist/p2-mailchimp-api.json', 'drewm/mailchimp-api'),
  'packagist/p2-mailchimp-api-dev.json': () => p2Versions('packagist/p2-mailchimp-api-dev.json', 'drewm/mailchimp-api'),
  'packagist/p2-laravel-framework.json': () => p2Versions('packagist/p2-laravel-framework.json', 'laravel/framework'),
  'github/releases.json': () => (fixture('github/releases.json') as { tag_name: string }[]).map((r) => r.tag_name),
  'github/tags.json': () => (fixture('github/tags.json') as { name: string }[]).map((t) => t.name),
}

// [document, scheme, version as the document spells it, pre-release?]
const REAL: Array<[string, Registry, string, boolean]> = [
  ['npm/packument-tiny-tarball.json', 'npm', '1.0.0', false],
  // npm's early loose versions, no hyphen (Express's own packument).
  ['npm/packument-express.json', 'npm', '1.0.0beta', true],
  ['npm/packument-express.json', 'npm', '1.0.0beta2', true],
  ['npm/packument-express.json', 'npm', '1.0.0rc', true],
  ['npm/packument-express.json', 'npm', '1.0.0rc4', true],
  ['npm/packument-express.json', 'npm', '2.0.0beta', true],
  ['npm/packument-express.json', 'npm', '3.0.0alpha5', true],
  ['npm/packument-express.json', 'npm', '5.0.0-beta.3', true],
  ['npm/packument-express.json', 'npm', '4.21.2', false],
  ['npm/packument-express.json', 'npm', '5.1.0', false],
  ['npm/packument-nestjs-core.json', 'npm', '11.1.1-next.1', true],
  ['npm/packument-nestjs-core.json', 'npm', '11.0.0', false],
  ['hex/package-certifi.json', 'hex', '2.5.2', false],
  ['hex/package-certifi.json', 'hex', '0.1.1', false],
  ['hex/package-phoenix.json', 'hex', '1.8.0-rc.4', true],
  ['hex/package-phoenix.json', 'hex', '1.8.0-rc.0', true],
  ['hex/package-phoenix.json', 'hex', '1.8.1', false],
  ['pypi/project-sampleproject.json', 'pypi', '1.0', false],
  ['pypi/project-sampleproject.json', 'pypi', '4.0.0', false],
  ['pypi/project-azure-cli-monitor.json', 'pypi', '0.0.1', false],
  ['pypi/project-django.json', 'pypi', '5.2a1', true],
  ['pypi/project-django.json', 'pypi', '5.2b1', true],
  ['pypi/project-django.json', 'pypi', '5.2rc1', true],
  ['pypi/project-django.json', 'pypi', '5.2', false],
  ['pypi/project-django.json', 'pypi', '5.1.1', false],
  ['pypi/project-flask.json', 'pypi', '2.0.0rc1', true],
  ['pypi/project-flask.json', 'pypi', '3.1.1', false],
  ['pypi/project-fastapi.json', 'pypi', '0.116.0', false],
  ['rubygems/versions-coulda.json', 'rubygems', '0.7.1', false],
  ['rubygems/versions-rails.json', 'rubygems', '7.1.0.beta1', true],
  ['rubygems/versions-rails.json', 'rubygems', '7.0.5.1', false],
  ['maven/search-gav-plexus-utils.json', 'maven', '3.4.1', false],
  // Spring's two schemes: .RELEASE up to 2.3, plain versions with -M/-RC since 2.4.
  ['maven/maven-metadata-spring-boot.xml', 'maven', '1.5.22.RELEASE', false],
  ['maven/maven-metadata-spring-boot.xml', 'maven', '2.3.0.RELEASE', false],
  ['maven/maven-metadata-spring-boot.xml', 'maven', '2.4.0', false],
  ['maven/maven-metadata-spring-boot.xml', 'maven', '4.0.0-M1', true],
  ['maven/maven-metadata-spring-boot.xml', 'maven', '4.1.0-RC1', true],
  ['maven/maven-metadata-spring-boot.xml', 'maven', '4.2.0-M1', true],
  ['maven/maven-metadata-spring-boot.xml', 'maven', '4.1.2', false],
  // Four-part versions, SemVer 1 labels with hyphens, build metadata.
  ['nuget/registration-nunit.json', 'nuget', '2.5.7.10213', false],
  ['nuget/registration-nunit.json', 'nuget', '3.0.0-alpha', true],
  ['nuget/registration-nunit.json', 'nuget', '3.0.0-alpha-2', true],
  ['nuget/registration-nunit.json', 'nuget', '3.0.0-beta-5', true],
  ['nuget/registration-nunit.json', 'nuget', '3.0.0-rc-3', true],
  ['nuget/registration-nunit.json', 'nuget', '3.0.0', false],
  ['nuget/registration-nunit.json', 'nuget', '3.12.0+build-632', false],
  ['nuget/registration-index-docs.json', 'nuget', '3.0.0-beta', true],
  ['nuget/registration-page-docs.json', 'nuget', '1.0.531', false],
  ['nuget/registration-page-docs.json', 'nuget', '1.0.729-Unstable', true],
  ['nuget/registration-openapi.json', 'nuget', '9.0.0-preview.1.24081.5', true],
  ['nuget/registration-openapi.json', 'nuget', '10.0.0-rc.2.25502.107', true],
  ['nuget/registration-openapi.json', 'nuget', '10.0.1', false],
  // A tag and its version_normalized read alike.
  ['packagist/p2-mailchimp-api.json', 'packagist', 'v2.5.4', false],
  ['packagist/p2-mailchimp-api.json', 'packagist', '2.5.4.0', false],
  ['packagist/p2-mailchimp-api.json', 'packagist', 'v2.5', false],
  ['packagist/p2-laravel-framework.json', 'packagist', 'v4.0.0-BETA4', true],
  ['packagist/p2-laravel-framework.json', 'packagist', '4.0.0.0-beta4', true],
  ['packagist/p2-laravel-framework.json', 'packagist', 'v12.1.0', false],
  ['packagist/p2-mailchimp-api-dev.json', 'packagist', 'dev-master', true],
]

// PyGithub's tags and releases (a PyPI project), read as tags are: without a leading "v".
const TAGS: Array<[string, string, boolean]> = [
  ['github/tags.json', 'v2.5.0', false],
  ['github/tags.json', 'v2.1.0.post0', false],
  ['github/tags.json', 'v2.0.1-preview', true],
  ['github/tags.json', 'v2.0.0-preview.1', true],
  ['github/tags.json', 'v2.0.0-alpha.4', true],
  // Not PEP 440 (".-alpha"): a string outside the scheme with a word in it.
  ['github/tags.json', 'v2.0.0.-alpha.3', true],
  ['github/tags.json', 'v1.54.0.1', false],
  ['github/releases.json', 'v1.55', false],
  ['github/releases.json', 'v1.54.0.1', false],
]

describe('real version strings from each registry', () => {
  it.each(REAL)('%s: %s %s → %s', (document, scheme, version, expected) => {
    expect(DOCUMENTS[document]!()).toContain(version)
    expect(isPrerelease(scheme, version)).toBe(expected)
  })

  it.each(TAGS)('%s: %s → %s under PyPI rules', (document, tag, expected) => {
    expect(DOCUMENTS[document]!()).toContain(tag)
    expect(isPrerelease('pypi', versionOf(tag))).toBe(expected)
  })

  it("agrees with RubyGems' own prerelease flag on every recorded version", () => {
    const rows = [...(fixture('rubygems/versions-coulda.json') as Row[]), ...(fixture('rubygems/versions-rails.json') as Row[])]
    expect(rows.map((r) => isPrerelease('rubygems', r.number))).toEqual(rows.map((r) => r.prerelease))
    expect(rows.some((r) => r.prerelease)).toBe(true)
  })

  it('npm: Express\'s registry document gives the stable count semver (loose) gives', () => {
    const body = packumentSchema.parse(fixture('npm/packument-express.json'))
    const stable = npmReleases(body, 'express').filter((r) => !r.prerelease).map((r) => r.version)
    // Independently: every dated version semver reads loosely without a pre-release part.
    const expected = Object.keys(body.versions).filter((v) => body.time[v] && semver.prerelease(v, { loose: true }) === null)
    expect(stable).toEqual(expected)
    expect(stable).toEqual(['4.21.2', '5.0.0', '5.1.0', '4.22.0'])
  })
})

describe('scheme rules', () => {
  it.each([
    // semver loose: a "v" or "=" prefix, build metadata.
    ['npm', 'v1.2.3', false],
    ['npm', '1.0.0-rc.1+build.5', true],
    ['npm', '1.2.3+build', false],
    // Not semver even loosely: a word marks a pre-release, digits alone do not.
    ['npm', '1.0', false],
    ['npm', '1.0.0.1', false],
    ['npm', '1.0-beta', true],
    ['pypi', '5.2a1', true],
    ['pypi', '1.0c1', true],
    ['pypi', '2.0.0-beta.1', true],
    // PEP 440 normalisation: separators and case.
    ['pypi', '1.0-rc1', true],
    ['pypi', '1.0.0RC1', true],
    ['pypi', '1.0a', true],
    ['pypi', '1.0pre2', true],
    ['pypi', '1.0preview1', true],
    ['pypi', '1.0.dev0', true],
    ['pypi', '1.0.post1.dev2', true],
    ['pypi', '1.0rc1+ubuntu.1', true],
    ['pypi', '1!2.0a1', true],
    ['pypi', '5.2', false],
    ['pypi', '1.0.post1', false],
    ['pypi', '1.0-1', false],
    ['pypi', '1.0r1', false],
    ['pypi', '1.0+local.7', false],
    ['pypi', 'v2.0', false],
    ['pypi', ' 1.0 ', false],
    // Not PEP 440: pip (packaging >= 22) no longer installs them, so they are no stable release.
    ['pypi', '2004d', true],
    ['pypi', 'latest-dev', true],
    ['maven', '1.5.22.RELEASE', false],
    ['maven', '2.0.0.M7', true],
    ['maven', '2.0.0.RC2', true],
    ['maven', '2.1.0.BUILD-SNAPSHOT', true],
    ['maven', '3.0.0-SNAPSHOT', true],
    ['maven', '2020.0.0-M1', true],
    ['maven', '1.0-alpha-1', true],
    ['maven', '1.0.0-beta.2', true],
    ['maven', '1.0alpha1', true],
    ['maven', '2.0b1', true],
    ['maven', '1.0-milestone-2', true],
    ['maven', '5.0.0.CR1', true],
    ['maven', '3.0.0-preview', true],
    ['maven', '5.4.2.Final', false],
    ['maven', '1.0-SP1', false],
    ['maven', '1.0-GA', false],
    // Words Maven does not know sort after the release: they are releases.
    ['maven', '33.0.0-jre', false],
    ['maven', '33.0.0-android', false],
    // A lone a, b or m is a qualifier only with a digit right after it.
    ['maven', '1.0-b', false],
    ['maven', '2.0-m', false],
    ['nuget', '1.0', false],
    ['nuget', '1.2.3.4', false],
    ['nuget', '1.0.0-rc.1+sha.5114f85', true],
    ['nuget', '1.0.0+sha.5114f85', false],
    // Not a NuGet version: a label needs its hyphen.
    ['nuget', '1.0.0beta', true],
  ] as const)('%s %s → %s', (scheme, version, expected) => {
    expect(isPrerelease(scheme, version)).toBe(expected)
  })

  it.each([
    ['2.5.4.0', 'stable'],
    ['12.0.0.0-beta1', 'beta'],
    ['1.0.0.0-b2', 'beta'],
    ['1.0.0.0-alpha.2', 'alpha'],
    ['4.0.0.0-RC1', 'RC'],
    ['1.0.0.0-patch1', 'stable'],
    ['1.0.0.0-pl2', 'stable'],
    ['1.0.0-p1', 'stable'],
    ['1.0.0.0+build.5', 'stable'],
    ['1.0.0.0-beta2-dev', 'dev'],
    ['1.0.9999999.9999999-dev', 'dev'],
    ['dev-master', 'dev'],
    ['dev-feature#abc123', 'dev'],
  ] as const)('composerStability(%s) is %s', (version, expected) => {
    expect(composerStability(version)).toBe(expected)
    expect(isPrerelease('packagist', version)).toBe(expected !== 'stable')
  })

  it('rubygems: any letter; without a registry, the same rule', () => {
    expect(['7.1.0.beta1', '7.1.0.rc2', '1.0.a', '8.0.0'].map((v) => isPrerelease('rubygems', v))).toEqual([true, true, true, false])
    expect(['v4.0.0', 'v4.0.0-beta.1', 'release'].map((v) => isPrerelease(null, v))).toEqual([false, true, true])
  })

  it("a framework's tags follow its registry: Express's npm, Django's PyPI, none for no registry", () => {
    expect(tagScheme({ packages: { npm: ['express'] } })).toBe('npm')
    expect(tagScheme({ packages: { pypi: ['Django'] } })).toBe('pypi')
    expect(tagScheme({ packages: {} })).toBeNull()
    // "5.0.0rc1" is a pre-release under npm (loose), PyPI and Maven alike; "-jre" is Maven's variant.
    expect((['npm', 'pypi', 'maven'] as const).map((s) => isPrerelease(s, '5.0.0rc1'))).toEqual([true, true, true])
    expect((['maven', 'rubygems'] as const).map((s) => isPrerelease(s, '33.0.0-jre'))).toEqual([false, true])
  })
})
