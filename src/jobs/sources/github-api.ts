import type { z } from 'zod'
import { HttpStatusError, SourceError } from '../errors.js'
import type { FetchResult, Validators } from '../http.js'
import type { Registry } from '../../catalog/catalog.js'
import type { Budget } from './github-budget.js'
import type { Collected, SourceContext } from './source.js'

export const SOURCE = 'github'

/** What one framework's collect shares between the GitHub modules. */
export interface GithubRun {
  ctx: SourceContext
  out: Collected
  api: GithubApi
  budget: Budget
  apiUrl: string
  slug: string
  /** The catalog identity (`owner/repo`): the subject of every row, stable across renames. */
  subject: string
  /** Where the repository lives now (`full_name` of the last 200), for building request URLs. */
  repo: string
  /** `created_at` of the repository, where the star history ends; null until first fetched. */
  createdAt: string | null
  /** A token is sent: 5,000 requests an hour, so backfills need not be spread over runs. */
  authenticated: boolean
  /** The framework's registry, whose rules tell its tags' pre-releases (versions.ts tagScheme). */
  tagScheme: Registry | null
}

export type Page<T> =
  | { notModified: true }
  | { notModified: false; body: T; validators: Validators; next: string | null }

/**
 * Headers every GitHub request carries. GitHub's REST docs ask for `Accept:
 * application/vnd.github+json` and a pinned `X-GitHub-Api-Version`; the token goes in
 * `Authorization: Bearer`, never in a URL, so no error message (they quote URLs) can leak it.
 * Keys are lower case so they replace the HttpClient's own `accept` instead of joining it.
 */
export function githubHeaders(token: string | undefined): Record<string, string> {
  return {
    accept: 'application/vnd.github+json',
    'x-github-api-version': '2022-11-28',
    ...(token ? { authorization: `Bearer ${token}` } : {}),
  }
}

/**
 * The `rel="next"` target of an RFC 8288 Link header, exactly as given: GitHub's Link URLs use
 * `/repositories/{id}/…` rather than `/repos/{owner}/{repo}/…` (github.md, "Pagination").
 */
export function nextLink(header: string | null | undefined): string | null {
  if (!header) return null
  for (const link of header.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>(.*)$/s.exec(link)
    if (!match) continue
    // `rel` may hold several space-separated relation types (RFC 8288 §3.3).
    const rels = match[2]!
      .split(';')
      .map((param) => /^\s*rel\s*=\s*"?([^"]*)"?\s*$/i.exec(param)?.[1] ?? '')
      .flatMap((value) => value.toLowerCase().split(/\s+/))
    if (rels.includes('next')) return match[1]!
  }
  return null
}

/**
 * The next page: GitHub's Link rel="next", followed as given (its URLs use /repositories/{id},
 * not /repos/{owner}/{repo}: github.md, "Pagination").
 */
export function linkOf(result: FetchResult<unknown>): string | null {
  return result.notModified ? null : nextLink(result.headers.get('link'))
}

/** GitHub requests for one framework: GitHub's headers, conditional when asked, Link pagination. */
export class GithubApi {
  constructor(
    private readonly ctx: SourceContext,
    private readonly slug: string,
    private readonly headers: Record<string, string>,
  ) {}

  async get<T extends z.ZodType>(url: string, schema: T, conditional: boolean): Promise<Page<z.infer<T>>> {
    const validators = conditional && !this.ctx.backfill ? await this.ctx.validators(url) : undefined
    const result = await this.ctx.http.getJson({
      url,
      schema,
      framework: this.slug,
      validators,
      headers: this.headers,
    })
    if (result.notModified) return result
    return { ...result, next: linkOf(result) }
  }
}

/** A problem with a well-formed body: names the URL and the field, so nothing of it is stored. */
export function semanticError(slug: string, url: string, path: string, what: string): SourceError {
  return new SourceError(SOURCE, slug, `${url}: ${path}: ${what}`)
}

/** An HTTP 404 or 410: the endpoint is unavailable (e.g. no star-history endpoint on this host). */
export function isUnavailable(error: unknown): boolean {
  return error instanceof HttpStatusError && (error.status === 404 || error.status === 410)
}

/** This source's saved progress for the framework, or undefined on a full backfill or a bad shape. */
export async function readState<T extends z.ZodType>(
  run: GithubRun,
  key: string,
  schema: T,
): Promise<z.infer<T> | undefined> {
  if (run.ctx.backfill) return undefined
  const parsed = schema.safeParse(await run.ctx.state(key))
  return parsed.success ? parsed.data : undefined
}
