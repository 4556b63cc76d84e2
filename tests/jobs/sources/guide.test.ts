import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { loadCatalog } from '../../../src/catalog/catalog.js'
import { GUIDE_SNAPSHOT_FILE } from '../../../src/jobs/guide-job.js'
import { parseGuide, wpPostSchema, type WpPost } from '../../../src/jobs/sources/guide.js'

const catalog = loadCatalog()
const snapshot = (): WpPost => wpPostSchema.parse(JSON.parse(readFileSync(GUIDE_SNAPSHOT_FILE, 'utf8')))

function postWith(html: string): WpPost {
  return { ...snapshot(), content: { rendered: html } }
}

describe('parseGuide', () => {
  it('finds the ten numbered sections and matches them to the catalog', () => {
    const guide = parseGuide(snapshot(), catalog)
    expect(guide.sections.map((s) => [s.rank, s.slug])).toEqual([
      [1, 'django'], [2, 'express'], [3, 'spring-boot'], [4, 'rails'], [5, 'laravel'],
      [6, 'aspnet-core'], [7, 'fastapi'], [8, 'nestjs'], [9, 'flask'], [10, 'phoenix'],
    ])
    expect(guide.unmatched).toEqual([])
    expect(guide.modifiedAt.toISOString()).toBe('2026-06-09T11:52:13.000Z')
    expect(guide.title).toBe('Top 10 Backend Web Development Frameworks in 2026: A Complete In-Depth Guide for Developers')
  })

  it('keeps each section’s paragraphs, and stops at the next heading or rule', () => {
    const fastapi = parseGuide(snapshot(), catalog).sections.find((s) => s.slug === 'fastapi')!
    expect(fastapi.heading).toBe('FastAPI (Python)')
    expect(fastapi.paragraphs).toHaveLength(4)
    expect(fastapi.paragraphs[0]).toMatch(/^<p>FastAPI has seen explosive growth/)
    // WordPress' data-start/data-end attributes are gone.
    expect(fastapi.paragraphs.join('')).not.toMatch(/ data-[a-z]+=/)
  })

  it('strips scripts, handlers and javascript: links from upstream HTML', () => {
    const guide = parseGuide(
      postWith(`<h2>2. Node.js with Express.js (JavaScript)</h2>
        <p onclick="steal()">Fast <script>alert(1)</script><a href="javascript:alert(1)">x</a>
        <a href="https://expressjs.com" style="color:red">site</a><img src=x onerror=alert(1)></p>
        <iframe src="https://evil.example"></iframe><p>   </p>
        <h2>Unrelated</h2><p>not part of it</p>`),
      catalog,
    )
    const [express] = guide.sections
    expect(express!.paragraphs).toEqual([
      '<p>Fast <a rel="nofollow noopener noreferrer" target="_blank">x</a>\n        <a href="https://expressjs.com" rel="nofollow noopener noreferrer" target="_blank">site</a></p>',
    ])
  })

  it('reports numbered headings that no catalog entry claims', () => {
    const guide = parseGuide(postWith('<h2>11. Gin (Go)</h2><p>Fast.</p><h2>1. Django (Python)</h2><p>Batteries.</p>'), catalog)
    expect(guide.unmatched).toEqual(['11. Gin (Go)'])
    expect(guide.sections.map((s) => s.slug)).toEqual(['django'])
  })
})
