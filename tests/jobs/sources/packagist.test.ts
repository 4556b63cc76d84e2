import { describe, expect, it } from 'vitest'
import {
  expandMinified,
  p2Schema,
  statsSchema,
  toDownloadObservations,
  toReleases,
} from '../../../src/jobs/sources/packagist.js'
import { fixture } from '../../helpers/npm-upstream.js'
import { statsBody } from '../../helpers/packagist-upstream.js'

const MAILCHIMP = 'drewm/mailchimp-api'
const versionsOf = (file: string, name: string) =>
  p2Schema(name).parse(fixture(`packagist/${file}`)).packages[name]!
const p2 = (versions: unknown[], minified: string | null = 'composer/2.0') => ({
  ...(minified === null ? {} : { minified }),
  packages: { 'acme/app': versions },
})
const releasesOf = (body: unknown) =>
  toReleases(p2Schema('acme/app').parse(body).packages['acme/app']!, 'acme/app', 'acme/app')

describe('p2 metadata', () => {
  it('expands the recorded minified file: every tagged version, newest first, with its time', () => {
    const releases = toReleases(
      versionsOf('p2-mailchimp-api.json', MAILCHIMP),
      MAILCHIMP,
      MAILCHIMP,
    )
    expect(releases).toHaveLength(19)
    expect(releases[0]).toEqual({
      subject: MAILCHIMP,
      version: 'v2.5.4',
      published_at: '2019-08-06T09:24:58+00:00',
      prerelease: false,
      url: 'https://packagist.org/packages/drewm/mailchimp-api#v2.5.4',
      title: null,
      notes_html: null,
    })
    // v2.2.3 carries only version, time and version_normalized; its time has another format.
    expect(releases.find((r) => r.version === 'v2.2.3')!.published_at).toBe(
      '2016-07-01T15:53:33.000Z',
    )
    expect(releases.at(-1)).toMatchObject({
      version: 'v1.0',
      published_at: '2014-05-30T16:51:39+00:00',
    })
    expect(releases.every((r) => !r.prerelease)).toBe(true)
  })

  it('carries fields forward, replaces them whole, and drops "__unset" ones from then on', () => {
    const raw = fixture('packagist/p2-mailchimp-api.json') as {
      packages: Record<string, Array<Record<string, unknown>>>
    }
    const expanded = expandMinified(raw.packages[MAILCHIMP]!)
    const at = (version: string) => expanded.find((v) => v.version === version)!
    // v2.2.3 lists no source: it inherits v2.2.4's.
    expect(at('v2.2.3').source).toEqual(at('v2.2.4').source)
    expect(at('v2.2.3').name).toBe(MAILCHIMP)
    // v2.5 replaces `require` whole: ext-json is gone, not merged in from v2.5.1.
    expect(at('v2.5').require).toEqual({ php: '>=5.3', 'ext-curl': '*' })
    // v1.1 unsets require-dev; v1.0 does not mention it and stays without it.
    expect(at('v2.0')).toHaveProperty('require-dev')
    expect(at('v1.1')).not.toHaveProperty('require-dev')
    expect(at('v1.0')).not.toHaveProperty('require-dev')
    expect(at('v1.0').description).toBe(
      'Super-simple, minimum abstraction MailChimp API v2 wrapper',
    )
    // The input is left as served.
    expect(raw.packages[MAILCHIMP]![8]).toEqual({
      version: 'v2.2.3',
      time: '2016-07-01T15:53:33.000Z',
      version_normalized: '2.2.3.0',
    })
  })

  it('finds no releases in the dev-branch file', () => {
    const versions = versionsOf('p2-mailchimp-api-dev.json', MAILCHIMP)
    expect(versions.map((v) => v.version)).toEqual(['dev-master', 'dev-api-v3', 'dev-api-v2'])
    expect(toReleases(versions, MAILCHIMP, MAILCHIMP)).toEqual([])
    const raw = fixture('packagist/p2-mailchimp-api-dev.json') as {
      packages: Record<string, Array<Record<string, unknown>>>
    }
    expect(expandMinified(raw.packages[MAILCHIMP]!)[1]).not.toHaveProperty('default-branch')
  })

  it('inherits an omitted time, and skips a version whose time was unset', () => {
    const releases = releasesOf(
      p2([
        {
          name: 'acme/app',
          version: '3.0.0',
          version_normalized: '3.0.0.0',
          time: '2026-03-01T10:00:00+00:00',
        },
        { version: '2.9.1', version_normalized: '2.9.1.0' },
        { version: '2.9.0', version_normalized: '2.9.0.0', time: '__unset' },
        { version: '2.8.0', version_normalized: '2.8.0.0', time: '2025-01-01T00:00:00+00:00' },
      ]),
    )
    expect(releases.map((r) => [r.version, r.published_at])).toEqual([
      ['3.0.0', '2026-03-01T10:00:00+00:00'],
      ['2.9.1', '2026-03-01T10:00:00+00:00'],
      ['2.8.0', '2025-01-01T00:00:00+00:00'],
    ])
  })

  it('does not expand a file that is not minified', () => {
    const body = p2(
      [
        { name: 'acme/app', version: '2.0.0', time: '2026-03-01T10:00:00+00:00' },
        { name: 'acme/app', version: '1.0.0' },
      ],
      null,
    )
    expect(releasesOf(body).map((r) => r.version)).toEqual(['2.0.0'])
    expect(releasesOf({ ...body, minified: 'composer/2.0' }).map((r) => r.version)).toEqual([
      '2.0.0',
      '1.0.0',
    ])
  })

  it('starts afresh after an empty entry, as PHP’s !$expandedVersion does', () => {
    expect(expandMinified([{}, { version: '2.0.0', time: 't' }, { version: '1.0.0' }])).toEqual([
      {},
      { version: '2.0.0', time: 't' },
      { version: '1.0.0', time: 't' },
    ])
  })

  it('skips dev versions and flags alpha, beta and RC tags (the laravel fixture)', () => {
    const name = 'laravel/framework'
    const releases = toReleases(versionsOf('p2-laravel-framework.json', name), name, name)
    expect(releases.map((r) => [r.version, r.prerelease])).toEqual([
      ['v12.1.0', false],
      ['v12.0.1', false],
      ['v12.0.0', false],
      ['v11.44.0', false],
      ['v11.0.0', false],
      ['v4.0.0', false],
      ['v4.0.0-BETA4', true],
    ])
    const tagged = releasesOf(
      p2([
        {
          version: '2.0.x-dev',
          version_normalized: '2.0.9999999.9999999-dev',
          time: '2026-01-01T00:00:00+00:00',
        },
        { version: 'v1.1.0-dev', version_normalized: '1.1.0.0-dev' },
        { version: 'v1.0.0-RC1', version_normalized: '1.0.0.0-RC1' },
      ]),
    )
    expect(tagged.map((r) => [r.version, r.prerelease])).toEqual([['v1.0.0-RC1', true]])
  })

  it('names the failing field of an expanded version, at its index as served', () => {
    const body = p2([
      { name: 'acme/app', version: '2.0.0', time: '2026-03-01T10:00:00+00:00' },
      { version: '1.0.0', time: 'last spring' },
    ])
    const issue = p2Schema('acme/app').safeParse(body).error?.issues[0]
    expect(issue).toMatchObject({ path: ['packages', 'acme/app', 1, 'time'] })
    const other = p2Schema('acme/app').safeParse({
      minified: 'composer/2.0',
      packages: { 'acme/other': [] },
    })
    expect(other.error?.issues[0]?.path).toEqual(['packages', 'acme/app'])
  })
})

describe('stats/all.json', () => {
  const name = 'laravel/framework'
  const daily = (query: string) =>
    JSON.parse(statsBody(name, new URLSearchParams(query), '2026-11-25'))

  it('maps daily labels to days; PHP floats and an escaped slash parse', () => {
    const raw = statsBody(
      name,
      new URLSearchParams('average=daily&from=2026-11-20&to=2026-11-23'),
      '2026-11-25',
    )
    expect(raw).toMatch(/^\{"labels":\["2026-11-20",.*"values":\{"laravel\\\/framework":\[\d+\.0,/)
    const rows = toDownloadObservations(statsSchema(name).parse(JSON.parse(raw)), name, name)
    expect(rows.map((r) => r.day)).toEqual(['2026-11-20', '2026-11-21', '2026-11-22', '2026-11-23'])
    expect(rows[0]).toEqual({
      subject: name,
      metric: 'downloads',
      day: '2026-11-20',
      value: JSON.parse(raw).values[name][0],
    })
    expect(rows.every((r) => Number.isInteger(r.value))).toBe(true)
  })

  it('refuses weekly or monthly means: they are not any day’s count', () => {
    const weekly = daily('average=weekly&from=2026-10-01&to=2026-11-23')
    expect(weekly.average).toBe('weekly')
    expect(statsSchema(name).safeParse(weekly).error?.issues[0]?.path).toEqual(['average'])
    // The server's default for a span over 7 months, as a request without `average` gets.
    expect(daily('').average).toBe('weekly')
  })

  it('reads the placeholder for an empty span as no days', () => {
    const body = daily('average=daily&from=2026-11-24&to=2026-11-23')
    expect(body).toEqual({ labels: ['2026-11-25'], values: [[0]], average: 'daily' })
    expect(toDownloadObservations(statsSchema(name).parse(body), name, name)).toEqual([])
  })

  it('refuses a missing series, a length mismatch and a repeated day', () => {
    const body = daily('average=daily&from=2026-11-20&to=2026-11-23')
    expect(statsSchema('laravel/lumen').safeParse(body).error?.issues[0]?.path).toEqual([
      'values',
      'laravel/lumen',
    ])
    const short = { ...body, values: { [name]: body.values[name].slice(1) } }
    expect(statsSchema(name).safeParse(short).error?.issues[0]).toMatchObject({
      path: ['values', name],
      message: '3 values for 4 labels',
    })
    const repeated = { ...body, labels: ['2026-11-20', '2026-11-20', '2026-11-22', '2026-11-23'] }
    expect(statsSchema(name).safeParse(repeated).error?.issues[0]?.path).toEqual(['labels'])
  })
})
