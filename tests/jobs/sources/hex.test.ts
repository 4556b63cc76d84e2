import { describe, expect, it } from 'vitest'
import { hexPackageSchema, toObservations, toReleases } from '../../../src/jobs/sources/hex.js'
import { fixture } from '../../helpers/npm-upstream.js'

const certifi = () => hexPackageSchema.parse(fixture('hex/package-certifi.json'))
const today = '2026-11-25'

describe('Hex package', () => {
  it('stores "all", "week" and "recent" as stated today, and "day" (yesterday, apiary) on yesterday', () => {
    expect(toObservations(certifi(), 'certifi', today)).toEqual([
      { subject: 'certifi', metric: 'downloads_total', day: '2026-11-25', value: 20861717 },
      { subject: 'certifi', metric: 'downloads_last_7d', day: '2026-11-25', value: 438801 },
      { subject: 'certifi', metric: 'downloads_last_90d', day: '2026-11-25', value: 3725020 },
      { subject: 'certifi', metric: 'downloads', day: '2026-11-24', value: 5846 },
    ])
  })

  it('stores what is there when a download view has no row', () => {
    const body = { ...certifi(), downloads: { all: 43 } }
    expect(toObservations(body, 'certifi', today)).toEqual([
      { subject: 'certifi', metric: 'downloads_total', day: today, value: 43 },
    ])
    expect(toObservations({ ...body, downloads: {} }, 'certifi', today)).toEqual([])
  })

  it('turns the recorded certifi releases into releases; one without inserted_at is skipped', () => {
    const releases = toReleases(certifi(), 'certifi')
    expect(releases).toHaveLength(19)
    expect(releases.map((r) => r.version)).not.toContain('0.3.0')
    expect(releases[0]).toEqual({
      subject: 'certifi',
      version: '2.5.2',
      published_at: '2020-03-04T14:54:16.283323Z',
      prerelease: false,
      url: 'https://hex.pm/packages/certifi/2.5.2',
      title: null,
      notes_html: null,
    })
    // Retired releases stay releases (hex.md: still listed; 0.1.1 is retired in this body).
    expect(releases.map((r) => r.version)).toContain('0.1.1')
  })

  it('reads the apiary example too (seconds-only timestamps)', () => {
    const plug = hexPackageSchema.parse(fixture('hex/package-plug-docs.json'))
    expect(toReleases(plug, 'plug').map((r) => [r.version, r.published_at])).toEqual([
      ['0.4.1', '2014-04-23T18:58:54Z'],
    ])
    expect(toObservations(plug, 'plug', today).map((o) => o.value)).toEqual([43, 14, 20, 2])
  })

  it('flags SemVer pre-releases, not build metadata', () => {
    const body = {
      ...certifi(),
      releases: ['1.8.0-rc.0', '1.8.0', '1.8.0+build.1', '2.0.0-beta.1+x-y'],
    }
    const releases = toReleases(
      {
        ...body,
        releases: body.releases.map((version) => ({
          version,
          inserted_at: '2025-01-01T00:00:00Z',
        })),
      },
      'phoenix',
    )
    expect(releases.map((r) => r.prerelease)).toEqual([true, false, false, true])
  })

  it('rejects a download count that is not a count, naming the field', () => {
    const body = fixture('hex/package-certifi.json') as { downloads: object }
    const result = hexPackageSchema.safeParse({
      ...body,
      downloads: { ...body.downloads, day: '5846' },
    })
    expect(result.error!.issues[0]!.path).toEqual(['downloads', 'day'])
  })
})
