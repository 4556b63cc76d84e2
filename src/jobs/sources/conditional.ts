import type { z } from 'zod'
import type { FetchRequest, FetchResult, TextRequest } from '../http.js'
import type { Collected, SourceContext } from './source.js'

export interface ConditionalOptions {
  /**
   * false: send no validators, so the body is read and parsed again (a backfill, say). A 200's
   * validators are kept all the same. Default true.
   */
  conditional?: boolean
}

/**
 * A GET made conditional with the validators of the URL's last 200 (If-None-Match,
 * If-Modified-Since). A 304 is counted in `out.notModified` and gives null. A 200 gives its body,
 * and its validators go to `out.validators`: stored with the rows, in the same transaction.
 */
export async function getJsonIfModified<T extends z.ZodType>(
  ctx: SourceContext,
  out: Collected,
  req: Omit<FetchRequest<T>, 'validators'>,
  { conditional = true }: ConditionalOptions = {},
): Promise<z.infer<T> | null> {
  const validators = conditional ? await ctx.validators(req.url) : undefined
  return settle(out, req.url, await ctx.http.getJson({ ...req, validators }))
}

/** getJsonIfModified for a body the caller decodes itself (XML). */
export async function getTextIfModified(
  ctx: SourceContext,
  out: Collected,
  req: Omit<TextRequest, 'validators'>,
): Promise<string | null> {
  const validators = await ctx.validators(req.url)
  return settle(out, req.url, await ctx.http.getText({ ...req, validators }))
}

function settle<T>(out: Collected, url: string, result: FetchResult<T>): T | null {
  if (result.notModified) {
    out.notModified++
    return null
  }
  out.validators.set(url, result.validators)
  return result.body
}
