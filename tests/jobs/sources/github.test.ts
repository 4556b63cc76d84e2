import { describe, expect, it } from 'vitest'
import { HttpStatusError, SourceError } from '../../../src/jobs/errors.js'
import { githubHeaders, isUnavailable, linkOf, nextLink } from '../../../src/jobs/sources/github-api.js'
import { releasesSchema, toReleases, versionOf } from '../../../src/jobs/sources/github-releases.js'
import { repoSchema, toSnapshot } from '../../../src/jobs/sources/github-repo.js'
import { commitSchema, compareTagsNewestFirst, tagsSchema, toTagRelease } from '../../../src/jobs/sources/github-tags.js'
import { fixture } from '../../helpers/npm-upstream.js'

const URL_ = 'https://api.github.com/repos/PyGithub/PyGithub/releases?per_page=100'

describe('repository snapshot', () => {
  it('reads the recorded repository into the six snapshot metrics', () => {
    const repo = repoSchema.parse(fixture('github/repo.json'))
    expect(toSnapshot(repo, 'PyGithub/PyGithub', '2024-09-17')).toEqual([
      { subject: 'PyGithub/PyGithub', metric: 'stars', day: '2024-09-17', value: 6905 },
      { subject: 'PyGithub/PyGithub', metric: 'forks', day: '2024-09-17', value: 1762 },
      { subject: 'PyGithub/PyGithub', metric: 'open_issues', day: '2024-09-17', value: 341 },
      // subscribers_count (111), not watchers_count (a legacy alias of the stars).
      { subject: 'PyGithub/PyGithub', metric: 'watchers', day: '2024-09-17', value: 111 },
      { subject: 'PyGithub/PyGithub', metric: 'pushed_at', day: '2024-09-17', value: Date.parse('2024-09-12T10:47:45Z') / 1000 },
      { subject: 'PyGithub/PyGithub', metric: 'archived', day: '2024-09-17', value: 0 },
    ])
  })

  it('reads the octokit fixture (all counts 0) and an archived, never-pushed repository', () => {
    const repo = repoSchema.parse(fixture('github/repo-octokit-fixture.json'))
    expect(repo).toMatchObject({ full_name: 'octokit-fixture-org/hello-world', stargazers_count: 0, subscribers_count: 1 })
    const rows = toSnapshot({ ...repo, archived: true, pushed_at: null }, 'o/r', '2026-11-25')
    expect(rows.map((r) => [r.metric, r.value])).toEqual([
      ['stars', 0],
      ['forks', 0],
      ['open_issues', 0],
      ['watchers', 1],
      ['archived', 1],
    ])
  })

  it('is strict about types', () => {
    const body = fixture('github/repo.json') as Record<string, unknown>
    expect(repoSchema.safeParse({ ...body, stargazers_count: '6905' }).success).toBe(false)
    expect(repoSchema.safeParse({ ...body, stargazers_count: -1 }).success).toBe(false)
    expect(repoSchema.safeParse({ ...body, archived: 'false' }).success).toBe(false)
    expect(repoSchema.safeParse({ ...body, subscribers_count: undefined }).success).toBe(false)
  })
})

describe('releases', () => {
  const recorded = () => releasesSchema.parse(fixture('github/releases.json'))

  it('turns the recorded page into rows: version without "v", html_url, empty name → no title', () => {
    const rows = toReleases(recorded(), 'PyGithub/PyGithub', URL_, 'x', 'pypi')
    expect(rows).toHaveLength(10)
    expect(rows[0]).toMatchObject({
      subject: 'PyGithub/PyGithub',
      version: '1.55',
      published_at: '2021-04-26T04:44:57Z',
      prerelease: false,
      url: 'https://github.com/PyGithub/PyGithub/releases/tag/v1.55',
      title: null,
    })
    expect(rows[0]!.notes_html).toMatch(/^<p><strong>Breaking Changes<\/strong><\/p>\n<ul>\n<li>Remove client_id/)
  })

  it('skips drafts, keeps the prerelease flag and the name, and one row per version', () => {
    const [a, b, c] = recorded()
    const rows = toReleases(
      [
        { ...a!, draft: true, published_at: null },
        { ...b!, prerelease: true, name: '  Spring cleaning  ' },
        { ...c!, tag_name: b!.tag_name.replace(/^v/, '') },
      ],
      'o/r',
      URL_,
      'x',
      'pypi',
    )
    expect(rows.map((r) => [r.version, r.prerelease, r.title])).toEqual([['1.54.0.1', true, 'Spring cleaning']])
  })

  it('an unflagged release whose tag is a pre-release under the registry rules is one', () => {
    const [a] = recorded()
    const tagged = (tag_name: string) => ({ ...a!, tag_name, prerelease: false })
    const rows = toReleases([tagged('v4.0.0-beta.1'), tagged('5.0.0rc1'), tagged('v4.0.0')], 'o/r', URL_, 'x', 'npm')
    expect(rows.map((r) => [r.version, r.prerelease])).toEqual([['4.0.0-beta.1', true], ['5.0.0rc1', true], ['4.0.0', false]])
    // PEP 440 reads "5.0.0rc1" alike; Maven's words differ: "-jre" is a variant, "-M1" a milestone.
    expect(toReleases([tagged('5.0.0rc1')], 'o/r', URL_, 'x', 'pypi')[0]!.prerelease).toBe(true)
    expect(toReleases([tagged('v33.0.0-jre'), tagged('v4.0.0-M1')], 'o/r', URL_, 'x', 'maven').map((r) => r.prerelease)).toEqual([false, true])
  })

  it('a published release without published_at is a SourceError naming URL and field', () => {
    const [a] = recorded()
    expect(() => toReleases([{ ...a!, published_at: null }], 'o/r', URL_, 'flask', 'pypi')).toThrow(
      new SourceError('github', 'flask', `${URL_}: [0].published_at: null on a published release`),
    )
  })

  it('drops only a "v" that starts a version', () => {
    expect(['v1.2.3', '1.2.3', 'v2', 'version-1', 'rails-7.1'].map(versionOf)).toEqual(['1.2.3', '1.2.3', '2', 'version-1', 'rails-7.1'])
  })
})

describe('tags', () => {
  it('orders names newest version first', () => {
    const names = (fixture('github/tags.json') as Array<{ name: string }>).map((t) => t.name)
    const sorted = [...names].sort(compareTagsNewestFirst)
    expect(sorted.slice(0, 14)).toEqual([
      'v2.5.0', 'v2.4.0', 'v2.3.0', 'v2.2.0', 'v2.1.1', 'v2.1.0.post0', 'v2.1.0', 'v2.0.1-preview',
      'v2.0.0-preview.1', 'v2.0.0-preview', 'v2.0.0-alpha.4', 'v2.0.0.-alpha.3', 'v2.0.0-alpha.2', 'v2.0.0-alpha.1',
    ])
    expect(sorted.at(-1)).toBe('v1.47')
    // Django names its tags without "v", with PEP 440 pre-releases, and old tags by name order.
    expect(['1.9', '5.1rc1', '1.11', 'stable/5.1.x', '5.1', '5.0.10', '5.1a1', '5.0.9', '5.1b1'].sort(compareTagsNewestFirst)).toEqual([
      '5.1', '5.1rc1', '5.1b1', '5.1a1', '5.0.10', '5.0.9', '1.11', '1.9', 'stable/5.1.x',
    ])
  })

  it('flags pre-release tags by the framework registry rules', () => {
    const commit = commitSchema.parse(fixture('github/commit.json'))
    const flag = (name: string) => toTagRelease(name, commit.commit.committer.date, 'django/django', 'django/django', 'pypi').prerelease
    expect(['4.2rc1', '5.0b1', 'v2.0.0-alpha.4', 'v2.0.0.-alpha.3', 'v2.0.1-preview', '1.0c1'].map(flag)).toEqual(Array(6).fill(true))
    expect(['v2.1.0.post0', '5.1', 'v1.54.0.1'].map(flag)).toEqual([false, false, false])
  })

  it('reads the recorded tags and a commit, and makes a release dated by the commit', () => {
    const tags = tagsSchema.parse(fixture('github/tags.json'))
    expect(tags[0]).toEqual({ name: 'v2.5.0', commit: { sha: '19ddb9f4fd996e99a5010d271b3c2e76dd280fb5' } })
    const commit = commitSchema.parse(fixture('github/commit.json'))
    expect(toTagRelease(tags[0]!.name, commit.commit.committer.date, 'django/django', 'django/django', 'pypi')).toEqual({
      subject: 'django/django',
      version: '2.5.0',
      published_at: '2024-11-03T16:20:12Z',
      prerelease: false,
      url: 'https://github.com/django/django/tree/v2.5.0',
      title: null,
      notes_html: null,
    })
    // No date, no release: a commit without one does not parse.
    const body = fixture('github/commit.json') as { commit: { committer: object } }
    expect(commitSchema.safeParse({ ...body, commit: { ...body.commit, committer: { name: 'x' } } }).success).toBe(false)
  })
})

describe('requests', () => {
  it('sends GitHub’s media type and API version, and the token only as a Bearer header', () => {
    expect(githubHeaders(undefined)).toEqual({ accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28' })
    expect(githubHeaders('ghp_x')).toMatchObject({ authorization: 'Bearer ghp_x' })
  })

  it('reads rel="next" from a Link header as given', () => {
    // The real header quoted in github.md (tags, 2025).
    const real = '<https://api.github.com/repositories/3544490/tags?page=2>; rel="next", <https://api.github.com/repositories/3544490/tags?page=4>; rel="last"'
    expect(nextLink(real)).toBe('https://api.github.com/repositories/3544490/tags?page=2')
    expect(nextLink('<https://a/x?page=4>; rel="last", <https://a/x?page=1>; rel="first"')).toBeNull()
    expect(nextLink('<https://a/x?page=3>; rel="prev", <https://a/x?page=5>; rel=next')).toBe('https://a/x?page=5')
    expect(nextLink('<https://a/x?a=1,2&page=2>; title="a, b"; rel="next last"')).toBe('https://a/x?a=1,2&page=2')
    expect(nextLink('<https://a/x?page=2>; rel="nextish"')).toBeNull()
    expect(nextLink(null)).toBeNull()
    expect(nextLink('')).toBeNull()
  })

  it('follows the Link header as given', () => {
    const validators = { etag: null, lastModified: null }
    const withHeaders = (link: string | null) =>
      ({ notModified: false, body: [], validators, headers: new Headers(link ? { link } : {}) }) as never
    expect(linkOf(withHeaders('<https://api.github.com/repositories/1/releases?per_page=2&page=2>; rel="next"'))).toBe(
      'https://api.github.com/repositories/1/releases?per_page=2&page=2',
    )
    expect(linkOf(withHeaders('<https://api.github.com/repositories/1/releases?page=1>; rel="prev"'))).toBeNull()
    expect(linkOf(withHeaders(null))).toBeNull()
    expect(linkOf({ notModified: true })).toBeNull()
  })

  it('tells an unavailable endpoint (404, 410) from other failures', () => {
    expect(isUnavailable(new HttpStatusError('github', 'x', 404, 'HTTP 404 Not Found from https://a'))).toBe(true)
    expect(isUnavailable(new HttpStatusError('github', 'x', 410, 'HTTP 410 Gone from https://a'))).toBe(true)
    expect(isUnavailable(new HttpStatusError('github', 'x', 403, 'HTTP 403 Forbidden from https://a'))).toBe(false)
    expect(isUnavailable(new SourceError('github', 'x', 'HTTP 404 Not Found from https://a'))).toBe(false)
  })
})
