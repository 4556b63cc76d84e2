import { describe, expect, it } from 'vitest'
import {
  normalizeName,
  overallSchema,
  projectSchema,
  toDownloadObservations,
  toReleases,
  type PypiProject,
} from '../../../src/jobs/sources/pypi.js'
import { fixture } from '../../helpers/npm-upstream.js'

const project = (file: string): PypiProject => projectSchema.parse(fixture(`pypi/${file}`))
const byVersion = (body: PypiProject, subject = 'x') =>
  new Map(toReleases(body, subject).map((r) => [r.version, r]))

describe('pypistats /overall', () => {
  it('keeps the without_mirrors series only (the recorded pip body)', () => {
    const rows = toDownloadObservations(
      overallSchema.parse(fixture('pypi/pypistats-overall-pip.json')),
      'pip',
    )
    expect(rows).toEqual([
      { subject: 'pip', metric: 'downloads', day: '2020-05-01', value: 2083472 },
      { subject: 'pip', metric: 'downloads', day: '2020-05-02', value: 1475979 },
    ])
  })

  it('reads the example of the API page', () => {
    const rows = toDownloadObservations(
      overallSchema.parse(fixture('pypi/pypistats-overall-docs.json')),
      'package_name',
    )
    expect(rows).toEqual([
      { subject: 'package_name', metric: 'downloads', day: '2018-02-08', value: 1 },
    ])
  })

  it('refuses a day twice in the series, naming the row', () => {
    const body = fixture('pypi/pypistats-overall-pip.json') as { data: Array<{ date: string }> }
    body.data[3]!.date = '2020-05-01'
    const result = overallSchema.safeParse(body)
    expect(result.error?.issues[0]).toMatchObject({
      path: ['data', 3, 'date'],
      message: '2020-05-01 appears twice',
    })
  })

  it('refuses a body without the without_mirrors series', () => {
    const body = fixture('pypi/pypistats-overall-pip.json') as { data: Array<{ category: string }> }
    body.data = body.data.filter((row) => row.category === 'with_mirrors')
    expect(overallSchema.safeParse(body).error?.issues[0]).toMatchObject({
      path: ['data'],
      message: 'no "without_mirrors" rows',
    })
  })

  it('refuses another endpoint’s body and non-integer counts', () => {
    expect(overallSchema.safeParse(fixture('pypi/pypistats-overall-docs.json')).success).toBe(true)
    const wrongType = {
      ...(fixture('pypi/pypistats-overall-docs.json') as object),
      type: 'python_major_downloads',
    }
    expect(overallSchema.safeParse(wrongType).error?.issues[0]?.path).toEqual(['type'])
    const body = fixture('pypi/pypistats-overall-pip.json') as {
      data: Array<{ downloads: unknown }>
    }
    body.data[2]!.downloads = 12.5
    expect(overallSchema.safeParse(body).error?.issues[0]?.path).toEqual(['data', 2, 'downloads'])
  })
})

describe('PyPI JSON releases', () => {
  it('dates a release by its earliest file and skips versions without files (the docs example)', () => {
    const releases = toReleases(project('project-sampleproject.json'), 'sampleproject')
    // "1.0": [] has no files; "1.3.0": ["..."] and the like are the docs' collapsed placeholders.
    expect(releases).toEqual([
      {
        subject: 'sampleproject',
        version: '1.2.0',
        published_at: '2015-06-14T14:37:56.383366Z',
        prerelease: false,
        url: 'https://pypi.org/project/sampleproject/1.2.0/',
        title: null,
        notes_html: null,
      },
      expect.objectContaining({ version: '4.0.0', published_at: '2024-11-06T22:37:09.220617Z' }),
    ])
  })

  it('reads the naive upload_time as UTC when upload_time_iso_8601 is missing (a real 2022 capture)', () => {
    const releases = byVersion(project('project-azure-cli-monitor.json'), 'azure-cli-monitor')
    expect(releases.size).toBe(22)
    // 0.0.11: the wheel (02:14:07) went up before the sdist (02:29:50).
    expect(releases.get('0.0.11')!.published_at).toBe('2017-10-24T02:14:07Z')
    expect(new Date(releases.get('0.0.1')!.published_at).toISOString()).toBe(
      '2017-04-03T16:55:08.000Z',
    )
    // 0.1.6 has one yanked file and one without the flag: still installable, still a release.
    expect(releases.get('0.1.6')!.published_at).toBe('2018-05-07T17:59:09Z')
  })

  it('skips a version whose files are all yanked', () => {
    const body = fixture('pypi/project-django.json') as {
      releases: Record<string, Array<{ yanked: boolean }>>
    }
    for (const file of body.releases['5.1.1']!) file.yanked = true
    body.releases['5.2']![0]!.yanked = true
    const releases = byVersion(projectSchema.parse(body), 'Django')
    expect(releases.has('5.1.1')).toBe(false)
    expect(releases.has('5.2')).toBe(true)
  })

  it('flags PEP 440 pre-releases and links the normalized project', () => {
    const releases = toReleases(project('project-django.json'), 'Django')
    expect(releases.map((r) => [r.version, r.prerelease, r.published_at])).toEqual([
      ['5.1', false, '2024-08-07T08:59:28.118640Z'],
      ['5.1.1', false, '2024-09-03T12:10:51.003204Z'],
      ['5.2a1', true, '2025-01-16T15:46:35.521977Z'],
      ['5.2b1', true, '2025-02-20T09:02:05.662810Z'],
      ['5.2rc1', true, '2025-03-19T13:55:02.287466Z'],
      ['5.2', false, '2025-04-02T11:44:30.035572Z'],
    ])
    expect(releases[0]!.url).toBe('https://pypi.org/project/django/5.1/')
  })

  it('names the failing field of a file', () => {
    const body = fixture('pypi/project-flask.json') as {
      releases: Record<string, Array<Record<string, unknown>>>
    }
    body.releases['3.1.0']![1]!.upload_time_iso_8601 = 'yesterday'
    const issue = projectSchema.safeParse(body).error?.issues[0]
    expect(issue?.path).toEqual(['releases', '3.1.0', 1, 'upload_time_iso_8601'])
  })
})

describe('PEP 503', () => {
  it.each([
    ['Django', 'django'],
    ['Flask', 'flask'],
    ['zope.interface', 'zope-interface'],
    ['Foo__Bar-.baz', 'foo-bar-baz'],
  ])('normalizeName(%s) is %s', (name, expected) => {
    expect(normalizeName(name)).toBe(expected)
  })
})
