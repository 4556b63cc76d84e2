import { readFileSync } from 'node:fs'
import { z } from 'zod'

export const REGISTRIES = ['npm', 'pypi', 'rubygems', 'packagist', 'nuget', 'hex', 'maven'] as const
export type Registry = (typeof REGISTRIES)[number]

const packageList = z.array(z.string().trim().min(1)).min(1)

const frameworkSchema = z.strictObject({
  slug: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lower-case words joined by "-"'),
  name: z.string().trim().min(1),
  language: z.string().trim().min(1),
  guideHeading: z
    .string()
    .trim()
    .min(1)
    .describe('the guide heading without its number, e.g. "Django (Python)"'),
  packages: z.partialRecord(z.enum(REGISTRIES), packageList),
  packageNotes: z.partialRecord(z.enum(REGISTRIES), z.string().min(1)).optional(),
  github: z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'must be "owner/repo"'),
  techempower: z.array(z.string().min(1)).default([]),
  // the-benchmarker/web-frameworks names as "<language>/<label>" (its directory layout): labels
  // alone are ambiguous (`spring` is listed for java and kotlin). The first is the variant shown.
  benchmarker: z
    .array(z.string().regex(/^[\w+.-]+\/[\w+.-]+$/, 'must be "<language>/<label>", e.g. "python/django"'))
    .default([]),
})

const catalogSchema = z
  .object({ $comment: z.string().optional(), frameworks: z.array(frameworkSchema).min(1) })
  .superRefine(({ frameworks }, ctx) => {
    const seen = new Set<string>()
    frameworks.forEach(({ slug }, i) => {
      if (seen.has(slug)) {
        ctx.addIssue({ code: 'custom', path: ['frameworks', i, 'slug'], message: `duplicate slug "${slug}"` })
      }
      seen.add(slug)
    })
  })

export type CatalogEntry = z.infer<typeof frameworkSchema>

export class CatalogError extends Error {
  override name = 'CatalogError'
}

export const DEFAULT_CATALOG_FILE = new URL('./frameworks.json', import.meta.url).pathname

/** Reads and validates the catalog; any problem becomes one CatalogError naming the file and entry. */
export function loadCatalog(file = DEFAULT_CATALOG_FILE): CatalogEntry[] {
  let json: unknown
  try {
    json = JSON.parse(readFileSync(file, 'utf8'))
  } catch (cause) {
    throw new CatalogError(`catalog ${file}: ${(cause as Error).message}`, { cause })
  }
  const parsed = catalogSchema.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    const where = describePath(json, issue.path)
    throw new CatalogError(`catalog ${file}: ${where}: ${issue.message}`)
  }
  return parsed.data.frameworks
}

// "frameworks[2] (spring-boot).github" reads better than a bare index when a user edits by hand.
function describePath(json: unknown, path: PropertyKey[]): string {
  const [root, index, ...rest] = path
  if (root !== 'frameworks' || typeof index !== 'number') return path.join('.') || '(top level)'
  const entry = (json as { frameworks: Array<{ slug?: unknown }> }).frameworks[index]
  const slug = typeof entry?.slug === 'string' ? ` (${entry.slug})` : ''
  return [`frameworks[${index}]${slug}`, ...rest].join('.')
}
