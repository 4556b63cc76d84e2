/**
 * A failure attributable to one upstream: names the source, the framework, and what failed
 * (a URL, a field path), so the status page can say exactly where to look.
 */
export class SourceError extends Error {
  override name = 'SourceError'
  constructor(
    readonly source: string,
    readonly framework: string | null,
    readonly detail: string,
    options?: ErrorOptions,
  ) {
    super(`${source}${framework ? ` / ${framework}` : ''}: ${detail}`, options)
  }
}

/** The upstream asked us to slow down; the run stops and the next scheduled run resumes. */
export class RateLimitedError extends SourceError {
  override name = 'RateLimitedError'
  constructor(
    source: string,
    framework: string | null,
    readonly url: string,
    readonly until: Date,
  ) {
    super(source, framework, `rate limited until ${until.toISOString()} (${url})`)
  }
}

/** The upstream answered with an error status (not a rate limit): sources may act on 404/410. */
export class HttpStatusError extends SourceError {
  override name = 'HttpStatusError'
  constructor(
    source: string,
    framework: string | null,
    readonly status: number,
    detail: string,
  ) {
    super(source, framework, detail)
  }
}
