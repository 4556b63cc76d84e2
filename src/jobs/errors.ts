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

/** The upstream asked us to slow down: the HttpClient asks that host nothing more until `until`. */
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

/**
 * Nothing was asked: the upstream's rate limit is spent until `until` (it refused a request
 * earlier in this run, or the budget it last reported, stored by an earlier run, is 0). Not a
 * failure: the run records it as waiting, under the framework it was for, and the first run after
 * the reset asks. GitHub: "Continuing to make requests while you are rate limited may result in
 * the banning of your integration" (github.md, "Rate limits").
 */
export class WaitingError extends SourceError {
  override name = 'WaitingError'
  constructor(
    source: string,
    framework: string | null,
    readonly until: Date,
    why: string,
  ) {
    super(source, framework, `waiting for the rate limit until ${until.toISOString()} (${why}; nothing asked)`)
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
