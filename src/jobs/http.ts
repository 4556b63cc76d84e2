import { setTimeout as sleep } from 'node:timers/promises'
import type { z } from 'zod'
import { rateLimitRemaining, upstreamRequests } from '../telemetry.js'
import { HttpStatusError, RateLimitedError, SourceError, WaitingError } from './errors.js'

export interface HttpOptions {
  timeoutMs: number
  retries: number
  maxBodyBytes: number
  userAgent: string
  /** Base delay of the exponential backoff. */
  backoffMs: number
  /** Requests in flight at once per host, across every client in this process. */
  hostConcurrency: number
}

/** The budget an upstream reports in x-ratelimit-* headers (GitHub and others). */
export interface RateLimit {
  limit: number
  remaining: number
  resetAt: Date
  resource: string | null
  /**
   * The host whose responses reported it, whose requests it limits. Absent from budgets stored
   * before hosts were recorded: those hold for every host of the source.
   */
  host?: string
}

export interface Validators {
  etag: string | null
  lastModified: string | null
}

export interface FetchRequest<T extends z.ZodType> {
  url: string
  schema: T
  /** Framework slug for error messages; null for whole-source requests. */
  framework: string | null
  /** Validators from the last 200, to make the request conditional. */
  validators?: Validators | undefined
  headers?: Record<string, string>
}

/** A request whose body the caller decodes itself (XML, POMs): everything but the schema. */
export type TextRequest = Omit<FetchRequest<z.ZodType>, 'schema'>

export type FetchResult<T> =
  | { notModified: true }
  | { notModified: false; body: T; validators: Validators; headers: Headers }

// A wait this short is cheaper than failing the run; anything longer ends the run (resumed later).
const MAX_INLINE_RETRY_AFTER_MS = 5_000

/** Every upstream request goes through here: timeout, size cap, retries, rate limits, zod. */
export class HttpClient {
  /**
   * From the newest response that carried x-ratelimit-* headers (or, until one comes, the budget
   * an earlier run stored: run-source sets it); sources plan their requests with it.
   */
  rateLimit: RateLimit | null = null
  /** Hosts that refused a request (429, or 403 rate limited) in this client's run, by host. */
  private readonly refusals = new Map<string, RateLimitedError>()

  constructor(
    readonly source: string,
    private readonly options: HttpOptions,
  ) {}

  async getJson<T extends z.ZodType>(req: FetchRequest<T>): Promise<FetchResult<z.infer<T>>> {
    const response = await this.fetchWithRetries(req)
    if (response.status === 304) return { notModified: true }
    const text = await this.readBody(response, req)
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch (cause) {
      throw this.error(req, `malformed JSON from ${req.url}: ${(cause as Error).message}`, cause)
    }
    const parsed = req.schema.safeParse(json)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!
      const field = issue.path.length > 0 ? formatPath(issue.path) : '(body)'
      throw this.error(req, `unexpected response from ${req.url}: ${field}: ${issue.message}`, parsed.error)
    }
    return {
      notModified: false,
      body: parsed.data,
      validators: validatorsOf(response),
      headers: response.headers,
    }
  }

  /**
   * The raw body of a non-JSON resource, with the same timeout, size cap, retries, rate limits and
   * conditional request as getJson; decoding and validating it is the caller's job.
   */
  async getText(req: TextRequest): Promise<FetchResult<string>> {
    const response = await this.fetchWithRetries({ ...req, headers: { accept: '*/*', ...req.headers } })
    if (response.status === 304) return { notModified: true }
    const body = await this.readBody(response, req)
    return {
      notModified: false,
      body,
      validators: validatorsOf(response),
      headers: response.headers,
    }
  }

  /**
   * The body as a stream of byte chunks, for files too large to hold as text (TFB results, about
   * 5 MB): the same timeout, retries, rate limits and conditional request as getText, and the size
   * cap is enforced as the chunks pass. A failure while reading (the cap, a dropped connection, the
   * timeout) is thrown from the iteration as a SourceError. Iterate the body to its end or stop
   * early with `break`/`return()` (both cancel the download); an unread body holds the connection.
   */
  async getStream(req: TextRequest): Promise<FetchResult<AsyncIterable<Uint8Array>>> {
    const response = await this.fetchWithRetries({ ...req, headers: { accept: '*/*', ...req.headers } })
    if (response.status === 304) return { notModified: true }
    await this.checkDeclaredSize(response, req)
    return {
      notModified: false,
      body: this.chunksOf(response, req),
      validators: validatorsOf(response),
      headers: response.headers,
    }
  }

  private async fetchWithRetries(req: TextRequest): Promise<Response> {
    const host = new URL(req.url).host
    this.waitIfSpent(req, host)
    for (let attempt = 0; ; attempt++) {
      const retryable = attempt < this.options.retries
      let response: Response
      try {
        response = await hostLimit(req.url, this.options.hostConcurrency, () => fetchFollowing(req.url, this.headers(req), this.options.timeoutMs))
      } catch (cause) {
        upstreamRequests.inc({ source: this.source, status: 'error' })
        if (retryable) {
          await this.backoff(attempt)
          continue
        }
        throw this.error(req, `request to ${req.url} failed: ${describeFetchError(cause)}`, cause)
      }
      upstreamRequests.inc({ source: this.source, status: String(response.status) })
      const reported = readRateLimit(response.headers)
      if (reported) this.rateLimit = { ...reported, host }
      if (this.rateLimit) rateLimitRemaining.set({ source: this.source }, this.rateLimit.remaining)
      if (response.ok || response.status === 304) return response
      // Only a 403's message can tell a rate limit from a refusal; other bodies are dropped unread.
      const detail = response.status === 403 ? await peek(response) : ''
      if (response.status !== 403) await response.body?.cancel()

      const until = rateLimitedUntil(response, detail)
      if (until !== null) {
        const wait = until.getTime() - Date.now()
        if (retryable && wait <= MAX_INLINE_RETRY_AFTER_MS) {
          await sleep(Math.max(0, wait))
          continue
        }
        const refused = new RateLimitedError(this.source, req.framework, req.url, until)
        this.refusals.set(host, refused)
        throw refused
      }
      if (response.status >= 500 && retryable) {
        await this.backoff(attempt)
        continue
      }
      throw new HttpStatusError(this.source, req.framework, response.status, `HTTP ${response.status} ${response.statusText} from ${req.url}`)
    }
  }

  /**
   * Asks nothing of a host while its limit is known to be spent: it refused earlier in this run
   * (asking again for the next framework only digs deeper), or its budget says 0 left until a
   * reset still to come. The WaitingError names the framework asked for and who refused.
   */
  private waitIfSpent(req: TextRequest, host: string): void {
    const now = Date.now()
    const refused = this.refusals.get(host)
    if (refused && refused.until.getTime() > now) {
      const who = refused.framework ? ` for ${refused.framework}` : ''
      throw new WaitingError(this.source, req.framework, refused.until, `${host} refused a request${who}: ${refused.url}`)
    }
    const limit = this.rateLimit
    if (limit && limit.remaining <= 0 && limit.resetAt.getTime() > now && (limit.host ?? host) === host) {
      throw new WaitingError(this.source, req.framework, limit.resetAt, `0 of ${limit.limit} requests left in the window ${host} last reported`)
    }
  }

  private headers(req: TextRequest): Record<string, string> {
    const headers: Record<string, string> = {
      'user-agent': this.options.userAgent,
      accept: 'application/json',
      ...req.headers,
    }
    if (req.validators?.etag) headers['if-none-match'] = req.validators.etag
    if (req.validators?.lastModified) headers['if-modified-since'] = req.validators.lastModified
    return headers
  }

  // Full jitter (AWS architecture blog, "Exponential Backoff and Jitter").
  private backoff(attempt: number): Promise<void> {
    return sleep(Math.random() * this.options.backoffMs * 2 ** attempt)
  }

  private async readBody(response: Response, req: TextRequest): Promise<string> {
    await this.checkDeclaredSize(response, req)
    const decoder = new TextDecoder()
    let text = ''
    for await (const chunk of this.chunksOf(response, req)) {
      text += decoder.decode(chunk, { stream: true })
    }
    return text + decoder.decode()
  }

  private async checkDeclaredSize(response: Response, req: TextRequest): Promise<void> {
    const declared = Number(response.headers.get('content-length') ?? 0)
    if (declared > this.options.maxBodyBytes) {
      await response.body?.cancel()
      throw this.error(req, `response from ${req.url} is ${declared} bytes, over the ${this.options.maxBodyBytes}-byte limit`)
    }
  }

  /** The body's chunks, stopped with a SourceError once they pass the size cap. */
  private async *chunksOf(response: Response, req: TextRequest): AsyncGenerator<Uint8Array, void, undefined> {
    let size = 0
    try {
      for await (const chunk of response.body ?? []) {
        size += chunk.byteLength
        // Throwing out of for-await cancels the stream, so the rest is never downloaded.
        if (size > this.options.maxBodyBytes) {
          throw this.error(req, `response from ${req.url} exceeds the ${this.options.maxBodyBytes}-byte limit`)
        }
        yield chunk
      }
    } catch (cause) {
      if (cause instanceof SourceError) throw cause
      throw this.error(req, `reading ${req.url} failed: ${describeFetchError(cause)}`, cause)
    }
  }

  private error(req: TextRequest, detail: string, cause?: unknown): SourceError {
    return new SourceError(this.source, req.framework, detail, { cause })
  }
}

function validatorsOf(response: Response): Validators {
  return { etag: response.headers.get('etag'), lastModified: response.headers.get('last-modified') }
}

function readRateLimit(headers: Headers): RateLimit | null {
  const remaining = headers.get('x-ratelimit-remaining')
  const reset = headers.get('x-ratelimit-reset')
  if (remaining === null || reset === null) return null
  return {
    limit: Number(headers.get('x-ratelimit-limit') ?? remaining),
    remaining: Number(remaining),
    resetAt: new Date(Number(reset) * 1000),
    resource: headers.get('x-ratelimit-resource'),
  }
}

const inFlight = new Map<string, { running: number; waiting: Array<() => void> }>()

/** Runs `task` once fewer than `max` requests to the URL's host are in flight in this process. */
async function hostLimit<T>(url: string, max: number, task: () => Promise<T>): Promise<T> {
  const host = new URL(url).host
  const slot = inFlight.get(host) ?? { running: 0, waiting: [] }
  inFlight.set(host, slot)
  while (slot.running >= max) await new Promise<void>((resolve) => slot.waiting.push(resolve))
  slot.running++
  try {
    return await task()
  } finally {
    slot.running--
    slot.waiting.shift()?.()
  }
}

/** The start of an error body, then the rest dropped: enough for a message, never a large page. */
async function peek(response: Response): Promise<string> {
  const reader = response.body?.getReader()
  if (!reader) return ''
  const { value } = await reader.read().catch(() => ({ value: undefined }))
  await reader.cancel().catch(() => {})
  return value ? new TextDecoder().decode(value.subarray(0, 4096)) : ''
}

// GitHub's secondary limit may come as a bare 403 whose message alone says so (github.md):
// asking again at once "may result in the banning of your integration", so it waits like a 429.
const SECONDARY_LIMIT = /secondary rate limit/i

/**
 * When a rate-limited response says to try again, or null if it is not one. 429 always is; 403
 * only with Retry-After, an exhausted x-ratelimit-remaining or a secondary-limit message. Order
 * per GitHub's best-practices doc: Retry-After, else x-ratelimit-reset, else at least a minute.
 */
function rateLimitedUntil(response: Response, detail: string): Date | null {
  const retryAfter = parseRetryAfter(response.headers.get('retry-after'))
  const remaining = response.headers.get('x-ratelimit-remaining')
  const reset = Number(response.headers.get('x-ratelimit-reset'))
  const limited = retryAfter !== null || remaining === '0' || SECONDARY_LIMIT.test(detail)
  if (response.status === 429 || (response.status === 403 && limited)) {
    if (retryAfter !== null) return retryAfter
    if (remaining === '0' && reset > 0) return new Date(reset * 1000)
    return new Date(Date.now() + 60_000)
  }
  return null
}

// RFC 9110 §10.2.3: Retry-After is either delay-seconds or an HTTP-date.
function parseRetryAfter(value: string | null): Date | null {
  if (!value) return null
  if (/^\d+$/.test(value.trim())) return new Date(Date.now() + Number(value) * 1000)
  const date = Date.parse(value)
  return Number.isNaN(date) ? null : new Date(date)
}

// fetch's own limit is 20 hops, each request retried: a redirect loop would cost dozens of
// requests. The redirects upstreams really send (a renamed GitHub repository, PyPI's normalized
// name, NuGet's blob storage) take one or two.
const MAX_REDIRECTS = 5

/**
 * fetch, following at most MAX_REDIRECTS redirects under one timeout. Credentials never follow a
 * redirect to another host (the Fetch standard drops Authorization there too).
 */
async function fetchFollowing(url: string, headers: Record<string, string>, timeoutMs: number): Promise<Response> {
  const signal = AbortSignal.timeout(timeoutMs)
  let current = new URL(url)
  let sent = headers
  for (let hop = 0; ; hop++) {
    const response = await fetch(current, { headers: sent, signal, redirect: 'manual' })
    const location = response.headers.get('location')
    if (response.status < 300 || response.status > 399 || response.status === 304 || location === null) return response
    await response.body?.cancel()
    if (hop === MAX_REDIRECTS) throw new Error(`more than ${MAX_REDIRECTS} redirects, the last to ${new URL(location, current).href}`)
    const next = new URL(location, current)
    if (next.host !== current.host) sent = Object.fromEntries(Object.entries(sent).filter(([name]) => name.toLowerCase() !== 'authorization'))
    current = next
  }
}

function describeFetchError(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return 'timed out'
  const cause = (error as { cause?: { code?: string; message?: string } }).cause
  return cause?.code ?? cause?.message ?? (error as Error).message
}

/** A zod issue path as `a.b[2].c`, the form every "field path" in an error message takes. */
export function formatPath(path: PropertyKey[]): string {
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i > 0 ? '.' : ''}${String(part)}`))
    .join('')
}
