import { describe, expect, it } from 'vitest'
import { SourceError } from '../../../src/jobs/errors.js'
import {
  artifactPage,
  gavPageSchema,
  parseCoordinates,
  parseMetadata,
  repoFile,
  searchDates,
  searchUrl,
  toReleases,
  type Coordinates,
} from '../../../src/jobs/sources/maven.js'
import { json, metadataWith, text } from '../../helpers/maven-upstream.js'

const BOOT: Coordinates = { group: 'org.springframework.boot', artifact: 'spring-boot' }
const PLEXUS: Coordinates = { group: 'org.codehaus.plexus', artifact: 'plexus-utils' }
const URL = 'https://repo1.maven.org/maven2/org/springframework/boot/spring-boot/maven-metadata.xml'
const metadata = (body: string) => parseMetadata(body, BOOT, URL, 'spring-boot')
const failure = (fn: () => unknown): string => {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(SourceError)
    return (error as Error).message
  }
  throw new Error('expected a SourceError')
}

describe('coordinates and URLs', () => {
  it('reads group:artifact and names anything else', () => {
    expect(parseCoordinates('org.springframework.boot:spring-boot', 'spring-boot')).toEqual(BOOT)
    for (const bad of ['spring-boot', 'org.springframework.boot:', ':spring-boot', 'g:a:1.0']) {
      expect(failure(() => parseCoordinates(bad, 'spring-boot'))).toBe(
        `maven / spring-boot: catalog: packages.maven: "${bad}" is not "group:artifact"`,
      )
    }
  })

  it('builds the repository layout, the quoted Solr query and the artifact page', () => {
    expect(repoFile('https://repo1.maven.org/maven2', BOOT, 'maven-metadata.xml')).toBe(URL)
    expect(repoFile('https://repo1.maven.org/maven2', BOOT, '4.1.2/spring-boot-4.1.2.pom')).toBe(
      'https://repo1.maven.org/maven2/org/springframework/boot/spring-boot/4.1.2/spring-boot-4.1.2.pom',
    )
    expect(searchUrl('https://central.sonatype.com/solrsearch', BOOT, 200, 400)).toBe(
      'https://central.sonatype.com/solrsearch/select?q=g:%22org.springframework.boot%22+AND+a:%22spring-boot%22&core=gav&rows=200&start=400&wt=json',
    )
    // rows=1000 is answered 400; 989 is the most that works (maven.md).
    expect(searchUrl('https://central.sonatype.com/solrsearch', BOOT, 1000, 0)).toContain(
      '&rows=989&',
    )
    expect(artifactPage(BOOT, '2.3.0.RELEASE')).toBe(
      'https://central.sonatype.com/artifact/org.springframework.boot/spring-boot/2.3.0.RELEASE',
    )
  })
})

describe('core=gav pages', () => {
  it('reads the recorded plexus-utils body (maven-search-gav.json): timestamps are epoch ms', () => {
    const page = gavPageSchema(PLEXUS).parse(json('maven/search-gav-plexus-utils.json'))
    expect(searchDates(page)).toEqual(new Map([['3.4.1', '2021-08-27T00:08:30.000Z']]))
  })

  it('reads every doc of a spring-boot page, newest first', () => {
    const page = gavPageSchema(BOOT).parse(json('maven/gav-spring-boot-start-0.json'))
    expect(page.response).toMatchObject({ numFound: 13, start: 0 })
    expect([...searchDates(page)]).toEqual([
      ['4.1.1', '2026-08-20T10:12:31.000Z'],
      ['4.0.9', '2026-08-20T09:41:05.000Z'],
      ['4.2.0-M1', '2026-07-16T13:27:48.000Z'],
      ['4.1.0', '2026-05-21T11:05:19.000Z'],
      ['4.1.0-RC1', '2026-04-23T14:50:02.000Z'],
    ])
  })

  it('refuses timestamps in seconds or microseconds', () => {
    const body = json('maven/search-gav-plexus-utils.json') as { response: { docs: Array<{ timestamp: number }> } }
    for (const timestamp of [1630022910, 1630022910000000]) {
      body.response.docs[0]!.timestamp = timestamp
      const issue = gavPageSchema(PLEXUS).safeParse(body).error?.issues[0]
      expect([issue?.path.join('.'), issue?.message]).toEqual(['response.docs.0.timestamp', 'must be epoch milliseconds'])
    }
  })

  it('refuses the default core’s one-doc-per-artifact body (no `v`) and another artifact’s docs', () => {
    const ga = gavPageSchema(PLEXUS).safeParse(json('maven/search-ga-plexus-utils.json'))
    expect(ga.error?.issues[0]?.path).toEqual(['response', 'docs', 0, 'v'])
    const other = gavPageSchema(BOOT).safeParse(json('maven/search-gav-plexus-utils.json'))
    expect(other.error?.issues.map((i) => i.path.join('.'))).toEqual([
      'response.docs.0.g',
      'response.docs.0.a',
    ])
  })
})

describe('parseMetadata', () => {
  it('lists the versions of the fixture in deploy order, as strings', () => {
    const versions = metadata(text('maven/maven-metadata-spring-boot.xml'))
    expect(versions).toHaveLength(14)
    expect(versions.slice(0, 2)).toEqual(['1.5.22.RELEASE', '2.3.0.RELEASE'])
    expect(versions.at(-1)).toBe('4.1.2')
  })

  it('keeps 1.10 as "1.10" and a single <version> as a list', () => {
    const one = `<metadata><groupId>org.springframework.boot</groupId><artifactId>spring-boot</artifactId>
      <versioning><versions><version>1.10</version></versions></versioning></metadata>`
    expect(metadata(one)).toEqual(['1.10'])
  })

  it('names malformed XML with its line', () => {
    const truncated = text('maven/maven-metadata-spring-boot.xml').slice(0, 400)
    expect(failure(() => metadata(truncated))).toMatch(
      new RegExp(`^maven / spring-boot: ${URL}: \\(body\\): malformed XML: .+ \\(line \\d+\\)$`),
    )
    expect(failure(() => metadata('<html><body><p>Service Unavailable</body></html>'))).toContain(
      ': (body): malformed XML: ',
    )
  })

  it('names the failing field of well-formed XML of the wrong shape', () => {
    expect(failure(() => metadata('<error>NoSuchKey</error>'))).toBe(
      `maven / spring-boot: ${URL}: metadata: Invalid input: expected object, received undefined`,
    )
    const other = metadataWith().replace(
      '<groupId>org.springframework.boot</groupId>',
      '<groupId>org.springframework</groupId>',
    )
    expect(failure(() => metadata(other))).toBe(
      `maven / spring-boot: ${URL}: metadata.groupId: Invalid input: expected "org.springframework.boot"`,
    )
    const empty = metadataWith().replace(/<versions>[\s\S]*<\/versions>/, '<versions></versions>')
    expect(failure(() => metadata(empty))).toMatch(
      new RegExp(`^maven / spring-boot: ${URL}: metadata\\.versioning\\.versions: `),
    )
  })
})

describe('toReleases', () => {
  const dates = new Map([
    ['4.1.1', '2026-08-20T10:12:31.000Z'],
    ['4.2.0-M1', '2026-07-16T13:27:48.000Z'],
    ['0.5.0.M1', '2013-08-06T12:00:00.000Z'],
  ])

  it('dates each version it can, leaves the rest out, and keeps versions only the index knows', () => {
    const releases = toReleases(BOOT, ['4.1.1', '4.2.0-M1', '4.1.2'], dates)
    expect(releases.map((r) => [r.version, r.published_at, r.prerelease])).toEqual([
      ['4.1.1', '2026-08-20T10:12:31.000Z', false],
      ['4.2.0-M1', '2026-07-16T13:27:48.000Z', true],
      ['0.5.0.M1', '2013-08-06T12:00:00.000Z', true],
    ])
    expect(releases[0]).toEqual({
      subject: 'org.springframework.boot:spring-boot',
      version: '4.1.1',
      published_at: '2026-08-20T10:12:31.000Z',
      url: 'https://central.sonatype.com/artifact/org.springframework.boot/spring-boot/4.1.1',
      prerelease: false,
      title: null,
      notes_html: null,
    })
  })
})
