import { describe, expect, it } from 'vitest'
import { totalAndDaily } from '../../../src/jobs/sources/daily-from-totals.js'
import { gemSchema, toReleases, versionsSchema } from '../../../src/jobs/sources/rubygems.js'
import { fixture } from '../../helpers/npm-upstream.js'

describe('RubyGems shapes', () => {
  it('reads the running total from the modern and the 2011 gem bodies', () => {
    expect(gemSchema.parse(fixture('rubygems/gem-rails.json'))).toEqual({
      name: 'rails',
      downloads: 454392739,
    })
    // The old shape lacks version_created_at, licenses, metadata and sha, but has what we read.
    expect(gemSchema.parse(fixture('rubygems/gem-rails-2011.json'))).toEqual({
      name: 'rails',
      downloads: 4622386,
    })
  })

  it('turns the guide’s versions example into one release', () => {
    const releases = toReleases(
      versionsSchema.parse(fixture('rubygems/versions-coulda.json')),
      'coulda',
    )
    expect(releases).toEqual([
      {
        subject: 'coulda',
        version: '0.7.1',
        // created_at (push time), not built_at (2011-08-08T04:00:00.000Z).
        published_at: '2011-08-08T21:23:40.254Z',
        prerelease: false,
        url: 'https://rubygems.org/gems/coulda/versions/0.7.1',
        title: null,
        notes_html: null,
      },
    ])
  })

  it('keeps the API’s prerelease flag', () => {
    const releases = toReleases(
      versionsSchema.parse(fixture('rubygems/versions-rails.json')),
      'rails',
    )
    expect(releases.map((r) => [r.version, r.prerelease])).toEqual([
      ['7.1.0.beta1', true],
      ['7.0.6', false],
      ['7.0.5.1', false],
      ['7.0.5', false],
    ])
  })

  it('merges a version pushed for several platforms, dated by its first push', () => {
    const versions = versionsSchema.parse([
      {
        number: '1.16.0',
        platform: 'x86_64-linux',
        created_at: '2024-01-02T10:00:00.000Z',
        prerelease: false,
      },
      {
        number: '1.16.0',
        platform: 'ruby',
        created_at: '2024-01-02T09:00:00.000Z',
        prerelease: false,
      },
      {
        number: '1.16.0',
        platform: 'java',
        created_at: '2024-01-03T09:00:00.000Z',
        prerelease: false,
      },
      {
        number: '1.16.0.rc1',
        platform: 'ruby',
        created_at: '2023-12-20T09:00:00.000Z',
        prerelease: true,
      },
    ])
    expect(toReleases(versions, 'nokogiri').map((r) => [r.version, r.published_at])).toEqual([
      ['1.16.0', '2024-01-02T09:00:00.000Z'],
      ['1.16.0.rc1', '2023-12-20T09:00:00.000Z'],
    ])
  })

  it('rejects a version without a usable push time, naming the field', () => {
    const [first] = fixture('rubygems/versions-coulda.json') as object[]
    const result = versionsSchema.safeParse([{ ...first, created_at: '2011-08-08' }])
    expect(result.success).toBe(false)
    expect(result.error!.issues[0]!.path).toEqual([0, 'created_at'])
  })
})

describe('daily downloads from consecutive totals', () => {
  const today = '2026-11-26'

  it('stores only the total when there is no earlier snapshot', () => {
    expect(totalAndDaily('rails', 1000, today, null)).toEqual([
      { subject: 'rails', metric: 'downloads_total', day: today, value: 1000 },
    ])
  })

  it('puts the difference from yesterday’s snapshot on yesterday', () => {
    expect(totalAndDaily('rails', 1500, today, { day: '2026-11-25', value: 1000 })).toEqual([
      { subject: 'rails', metric: 'downloads_total', day: today, value: 1500 },
      { subject: 'rails', metric: 'downloads', day: '2026-11-25', value: 500 },
    ])
  })

  it('spreads nothing over a gap: three days since the last snapshot give the total alone', () => {
    expect(totalAndDaily('rails', 4000, today, { day: '2026-11-23', value: 1000 })).toEqual([
      { subject: 'rails', metric: 'downloads_total', day: today, value: 4000 },
    ])
  })

  it('keeps the first snapshot of a day: a later run that day writes nothing', () => {
    expect(totalAndDaily('rails', 1700, today, { day: today, value: 1500 })).toEqual([])
  })

  it('derives no daily value from a total that went down', () => {
    expect(totalAndDaily('rails', 900, today, { day: '2026-11-25', value: 1000 })).toEqual([
      { subject: 'rails', metric: 'downloads_total', day: today, value: 900 },
    ])
  })

  it('stores a zero for a day without downloads', () => {
    expect(totalAndDaily('rails', 1000, today, { day: '2026-11-25', value: 1000 })[1]).toEqual({
      subject: 'rails',
      metric: 'downloads',
      day: '2026-11-25',
      value: 0,
    })
  })

  it('crosses month and year ends by calendar day', () => {
    expect(totalAndDaily('rails', 20, '2027-01-01', { day: '2026-12-31', value: 5 })[1]?.day).toBe(
      '2026-12-31',
    )
    expect(
      totalAndDaily('rails', 20, '2027-03-01', { day: '2027-02-28', value: 5 })[1]?.value,
    ).toBe(15)
  })
})
