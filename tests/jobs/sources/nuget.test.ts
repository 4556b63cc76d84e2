import { describe, expect, it } from 'vitest'
import { SourceError } from '../../../src/jobs/errors.js'
import { totalAndDaily } from '../../../src/jobs/sources/daily-from-totals.js'
import {
  pageSchema,
  registrationIndexSchema,
  registrationIndexUrl,
  resolveResources,
  searchSchema,
  searchUrl,
  serviceIndexSchema,
  toReleases,
  totalDownloads,
  type RegistrationIndex,
} from '../../../src/jobs/sources/nuget.js'
import { fixture } from '../../helpers/npm-upstream.js'

const INDEX_URL = 'https://api.nuget.org/v3/index.json'
const serviceIndex = () => serviceIndexSchema.parse(fixture('nuget/service-index.json'))
const leavesOf = (index: RegistrationIndex) => index.items.flatMap((page) => page.items ?? [])

describe('NuGet service index', () => {
  it('picks the SemVer 2 registration hive and the primary search endpoint', () => {
    expect(resolveResources(serviceIndex(), INDEX_URL, 'aspnet-core')).toEqual({
      search: 'https://azuresearch-usnc.nuget.org/query',
      registrations: 'https://api.nuget.org/v3/registration5-gz-semver2/',
    })
  })

  it('refuses a feed whose registrations leave out SemVer 2 versions', () => {
    const index = serviceIndex()
    const semver1 = {
      ...index,
      resources: index.resources.filter(
        (r) => !/^RegistrationsBaseUrl\/(3\.6\.0|Versioned)$/.test(r['@type']),
      ),
    }
    const attempt = () => resolveResources(semver1, INDEX_URL, 'aspnet-core')
    expect(attempt).toThrow(SourceError)
    expect(attempt).toThrow(
      'nuget / aspnet-core: https://api.nuget.org/v3/index.json: resources: ' +
        'no RegistrationsBaseUrl/3.6.0 or RegistrationsBaseUrl/Versioned',
    )
  })

  it('builds the registration and search URLs', () => {
    const { registrations, search } = resolveResources(serviceIndex(), INDEX_URL, 'aspnet-core')
    expect(registrationIndexUrl(registrations, 'Microsoft.AspNetCore.OpenApi')).toBe(
      'https://api.nuget.org/v3/registration5-gz-semver2/microsoft.aspnetcore.openapi/index.json',
    )
    expect(searchUrl(search, 'Microsoft.AspNetCore.OpenApi')).toBe(
      'https://azuresearch-usnc.nuget.org/query' +
        '?q=packageid%3AMicrosoft.AspNetCore.OpenApi&prerelease=true&semVerLevel=2.0.0',
    )
  })
})

describe('NuGet search', () => {
  it('reads totalDownloads of the package asked for, by case-insensitive ID', () => {
    const body = searchSchema.parse(fixture('nuget/search-docs.json'))
    expect(totalDownloads(body, 'nuget.versioning', 'u', 'x')).toBe(141896)
    expect(totalDownloads(body, 'Nerdbank.GitVersioning', 'u', 'x')).toBe(11906)
  })

  it('fails naming the URL and field when the package is not in the results', () => {
    const body = searchSchema.parse(fixture('nuget/search-docs.json'))
    expect(() =>
      totalDownloads(body, 'NUnit', 'https://s/query?q=packageid%3ANUnit', 'aspnet-core'),
    ).toThrow(
      'nuget / aspnet-core: https://s/query?q=packageid%3ANUnit: data: no package with id "NUnit"',
    )
  })

  it('feeds the same consecutive-day rule as RubyGems', () => {
    const total = searchSchema.parse(fixture('nuget/search-openapi.json')).data[0]!.totalDownloads
    const id = 'Microsoft.AspNetCore.OpenApi'
    expect(totalAndDaily(id, total, '2026-11-26', { day: '2026-11-25', value: total - 1 })).toEqual(
      [
        { subject: id, metric: 'downloads_total', day: '2026-11-26', value: total },
        { subject: id, metric: 'downloads', day: '2026-11-25', value: 1 },
      ],
    )
    // A two-day gap: the total alone.
    expect(totalAndDaily('X', total, '2026-11-26', { day: '2026-11-24', value: 1 })).toHaveLength(1)
  })
})

describe('NuGet registration', () => {
  it('reads the recorded NUnit index: unlisted (1900) left out, build metadata dropped', () => {
    const index = registrationIndexSchema.parse(fixture('nuget/registration-nunit.json'))
    expect(index.items).toHaveLength(1)
    const releases = toReleases(leavesOf(index), 'NUnit')
    // 45 leaves; 2.6.0.12051 is unlisted with published 1900-01-01.
    expect(releases).toHaveLength(44)
    expect(releases.map((r) => r.version)).not.toContain('2.6.0.12051')
    const byVersion = new Map(releases.map((r) => [r.version, r]))
    expect(byVersion.get('3.12.0')).toEqual({
      subject: 'NUnit',
      version: '3.12.0',
      published_at: '2019-05-15T00:24:28.39+00:00',
      prerelease: false,
      url: 'https://www.nuget.org/packages/NUnit/3.12.0',
      title: null,
      notes_html: null,
    })
    expect(byVersion.get('2.5.7.10213')?.prerelease).toBe(false)
    expect(byVersion.get('3.0.0-alpha-2')?.prerelease).toBe(true)
    // 3.0.0-alpha…alpha-5, beta-1…beta-5, rc…rc-3.
    expect(releases.filter((r) => r.prerelease)).toHaveLength(13)
  })

  it('reads the docs’ index sample (one inlined page, a prerelease)', () => {
    const index = registrationIndexSchema.parse(fixture('nuget/registration-index-docs.json'))
    expect(
      toReleases(leavesOf(index), 'NuGet.Server.Core').map((r) => [r.version, r.prerelease]),
    ).toEqual([['3.0.0-beta', true]])
  })

  it('leaves out versions marked listed: false (the docs’ page sample)', () => {
    const page = pageSchema.parse(fixture('nuget/registration-page-docs.json'))
    expect(page.items).toHaveLength(2)
    expect(toReleases(page.items, 'NuGet.Protocol.V3.Example')).toEqual([])
  })

  it('treats a missing listed as listed, and SemVer 2 labels as prerelease', () => {
    const index = registrationIndexSchema.parse(fixture('nuget/registration-openapi.json'))
    expect(
      toReleases(leavesOf(index), 'Microsoft.AspNetCore.OpenApi').map((r) => [
        r.version,
        r.prerelease,
      ]),
    ).toEqual([
      ['7.0.0-rc.2.22476.2', true],
      ['7.0.0', false],
      ['8.0.0', false],
      ['9.0.0-rc.2.24474.3', true],
      ['9.0.0', false],
      ['10.0.0-rc.2.25502.107', true],
      // No `listed` in this leaf: listed.
      ['10.0.0', false],
      ['10.0.1', false],
    ])
  })

  it('sees that a linked page has no items to read, and a fetched page must have them', () => {
    const paged = registrationIndexSchema.parse(fixture('nuget/registration-openapi-paged.json'))
    expect(paged.items.map((p) => p.items)).toEqual([undefined, undefined])
    const result = pageSchema.safeParse({ count: 3, lower: '10.0.0', upper: '10.0.1' })
    expect(result.error!.issues[0]!.path).toEqual(['items'])
  })
})
