import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { CatalogError, loadCatalog } from '../../src/catalog/catalog.js'

function catalogFile(content: unknown): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'fp-catalog-')), 'frameworks.json')
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content))
  return file
}

const valid = {
  slug: 'hono',
  name: 'Hono',
  language: 'TypeScript',
  guideHeading: 'Hono (TypeScript)',
  packages: { npm: ['hono'] },
  github: 'honojs/hono',
}

describe('the catalog', () => {
  it('ships the guide’s ten frameworks in guide order', () => {
    const catalog = loadCatalog()
    expect(catalog.map((f) => f.slug)).toEqual([
      'django', 'express', 'spring-boot', 'rails', 'laravel', 'aspnet-core', 'fastapi', 'nestjs', 'flask', 'phoenix',
    ])
    expect(catalog.find((f) => f.slug === 'nestjs')!.packages.npm).toEqual(['@nestjs/core'])
    expect(catalog.every((f) => f.github.includes('/'))).toBe(true)
  })

  it('accepts a user-added framework and defaults its benchmark names', () => {
    const [entry] = loadCatalog(catalogFile({ frameworks: [valid] }))
    expect(entry).toMatchObject({ slug: 'hono', techempower: [], benchmarker: [] })
  })

  it.each([
    ['a bad slug', { ...valid, slug: 'Hono JS' }, /frameworks\[0\] \(Hono JS\)\.slug: must be lower-case words/],
    ['a missing repository', { ...valid, github: undefined }, /frameworks\[0\] \(hono\)\.github: /],
    ['an unknown registry', { ...valid, packages: { cargo: ['x'] } }, /frameworks\[0\] \(hono\)\.packages: Unrecognized key: "cargo"/],
    ['an empty package list', { ...valid, packages: { npm: [] } }, /frameworks\[0\] \(hono\)\.packages\.npm/],
    ['a benchmarker name without its language', { ...valid, benchmarker: ['hono'] }, /frameworks\[0\] \(hono\)\.benchmarker\.0: must be "<language>\/<label>"/],
    ['an unknown key (a typo)', { ...valid, gihub: 'x/y' }, /frameworks\[0\] \(hono\): .*gihub/],
  ])('rejects %s with the entry and field named', (_what, entry, message) => {
    expect(() => loadCatalog(catalogFile({ frameworks: [entry] }))).toThrow(message)
  })

  it('rejects duplicate slugs', () => {
    expect(() => loadCatalog(catalogFile({ frameworks: [valid, valid] }))).toThrow(/frameworks\[1\] \(hono\)\.slug: duplicate slug "hono"/)
  })

  it('rejects a file that is not JSON', () => {
    const file = catalogFile('{ "frameworks": [')
    expect(() => loadCatalog(file)).toThrow(CatalogError)
    expect(() => loadCatalog(file)).toThrow(new RegExp(`^catalog ${file}: `))
  })
})
