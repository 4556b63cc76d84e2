import { describe, expect, it } from 'vitest'
import { RateLimitedError } from '../../src/jobs/errors.js'
import { EmptyWhy } from '../../src/views/components/empty-why.js'
import { briefError, clockTime, emptyReason, rateLimitedUntil, reasonText, unreached, type RunFacts } from '../../src/views/empty-reason.js'
import { inSentence } from '../../src/source-names.js'

const NOW = new Date('2026-11-25T12:00:00Z')
const minutes = (n: number) => new Date(NOW.getTime() + n * 60_000)
const run = (facts: Partial<RunFacts>): RunFacts => ({ status: 'succeeded', error: null, started_at: minutes(-10), last_success_at: null, ...facts })
const limited = (until: Date) => new RateLimitedError('github', 'flask', 'https://api.github.invalid/repos/pallets/flask', until).message
const render = (node: unknown) => String(node).replace(/<[^>]+>/g, '')

describe('emptyReason', () => {
  it('no run at all: not synced yet', () => {
    expect(emptyReason(undefined, undefined, NOW)).toEqual({ kind: 'not-synced' })
    expect(reasonText('PyPI', { kind: 'not-synced' }, NOW)).toBe('not synced yet')
  })

  it('a running first sync says so, with when it started', () => {
    const reason = emptyReason(run({ status: 'running', started_at: minutes(-3) }), undefined, NOW)
    expect(reason).toEqual({ kind: 'running', startedAt: minutes(-3), first: true })
    expect(reasonText('GitHub', reason, NOW)).toBe('first sync running (started 2026-11-25 11:57 UTC)')
  })

  it('a running sync after an earlier success is no first sync', () => {
    const reason = emptyReason(run({ status: 'running', last_success_at: minutes(-600) }), undefined, NOW)
    expect(reason).toMatchObject({ kind: 'running', first: false })
    expect(reasonText('GitHub', reason, NOW)).toMatch(/^sync running \(started /)
  })

  it('a run under way wins over a spent budget', () => {
    expect(emptyReason(run({ status: 'running' }), { remaining: 0, resetAt: minutes(30) }, NOW).kind).toBe('running')
  })

  it('a run refused for the rate limit: the reset it named is the next try', () => {
    const reason = emptyReason(run({ status: 'failed', error: limited(minutes(65)) }), undefined, NOW)
    expect(reason).toEqual({ kind: 'rate-limited', until: minutes(65) })
    expect(reasonText('GitHub', reason, NOW)).toBe('GitHub rate limit reached, next try at 13:05 UTC')
  })

  it('a spent budget with a reset still to come is a rate limit too, whatever the run said', () => {
    const budget = { remaining: 0, resetAt: minutes(20) }
    expect(emptyReason(undefined, budget, NOW)).toEqual({ kind: 'rate-limited', until: minutes(20) })
    expect(emptyReason(run({ status: 'failed', error: 'HTTP 500' }), budget, NOW)).toEqual({ kind: 'rate-limited', until: minutes(20) })
    expect(emptyReason(run({}), budget, NOW)).toEqual({ kind: 'rate-limited', until: minutes(20) })
  })

  it('a budget that is not spent, or whose reset has passed, says nothing', () => {
    expect(emptyReason(undefined, { remaining: 1, resetAt: minutes(20) }, NOW)).toEqual({ kind: 'not-synced' })
    expect(emptyReason(undefined, { remaining: 0, resetAt: minutes(-1) }, NOW)).toEqual({ kind: 'not-synced' })
  })

  it('a rate limit whose reset has passed waits for the next scheduled run', () => {
    const reason = emptyReason(run({ status: 'failed', error: limited(minutes(-5)) }), undefined, NOW)
    expect(reasonText('GitHub', reason, NOW)).toBe('GitHub rate limit reached; it reset at 11:55 UTC, so the next scheduled sync tries again')
  })

  it('any other failure names the error', () => {
    const reason = emptyReason(run({ status: 'failed', error: 'pypi / flask: HTTP 503 Service Unavailable from http://x/' }), undefined, NOW)
    expect(reason).toEqual({ kind: 'failed', error: 'pypi / flask: HTTP 503 Service Unavailable from http://x/', interrupted: false })
    expect(reasonText('PyPI', reason, NOW)).toBe('Last PyPI sync failed: pypi / flask: HTTP 503 Service Unavailable from http://x/ (see status)')
  })

  it('an interrupted run is said as such', () => {
    const reason = emptyReason(run({ status: 'interrupted', error: 'the process stopped during this run' }), undefined, NOW)
    expect(reasonText('npm', reason, NOW)).toBe('Last npm sync was interrupted: the process stopped during this run (see status)')
  })

  it('a successful run that stored nothing says so', () => {
    expect(emptyReason(run({ last_success_at: minutes(-1) }), undefined, NOW)).toEqual({ kind: 'stored-none' })
  })
})

describe('rateLimitedUntil', () => {
  it('reads the reset from a RateLimitedError message and from nothing else', () => {
    expect(rateLimitedUntil(limited(minutes(30)))).toEqual(minutes(30))
    expect(rateLimitedUntil('github / flask: HTTP 403 Forbidden from https://api.github.invalid/')).toBeNull()
    expect(rateLimitedUntil(null)).toBeNull()
  })
})

describe('clockTime', () => {
  it('is the time alone on the same UTC day, else with the date', () => {
    expect(clockTime(minutes(5), NOW)).toBe('12:05 UTC')
    expect(clockTime(new Date('2026-11-26T00:10:00Z'), NOW)).toBe('2026-11-26 00:10 UTC')
  })
})

describe('EmptyWhy', () => {
  it('puts the reason after the lead; a failure is a sentence of its own with the error and the status link', () => {
    const lead = 'Nothing stored from GitHub yet'
    const failed = String(<EmptyWhy lead={lead} name="GitHub" reason={{ kind: 'failed', error: 'boom', interrupted: false }} now={NOW} />)
    expect(failed).toBe('Nothing stored from GitHub yet. Last GitHub sync failed: <code>boom</code> (see <a href="/status">status</a>).')
    const limitedHtml = String(<EmptyWhy lead={lead} name="GitHub" reason={{ kind: 'rate-limited', until: minutes(65) }} now={NOW} />)
    expect(limitedHtml).toBe('Nothing stored from GitHub yet: GitHub rate limit reached, next try at 13:05 UTC.')
  })

  it('gives the start of a running sync as a <time> the client shows as "n min ago"', () => {
    const html = String(<EmptyWhy lead="No GitHub figures for pallets/flask yet" name="GitHub" reason={{ kind: 'running', startedAt: minutes(-3), first: true }} now={NOW} />)
    expect(html).toContain('<time datetime="2026-11-25T11:57:00.000Z" data-ago="true">2026-11-25 11:57 UTC</time>')
    expect(render(html)).toBe('No GitHub figures for pallets/flask yet: first sync running (started 2026-11-25 11:57 UTC).')
  })
})

describe('inSentence', () => {
  it('lowercases a label’s first word unless it is a name', () => {
    expect(inSentence('Downloads')).toBe('downloads')
    expect(inSentence('GitHub stars (total)')).toBe('GitHub stars (total)')
    expect(inSentence('New GitHub stars')).toBe('new GitHub stars')
  })
})

describe('briefError', () => {
  it('names the host a request got no answer from, and leaves other errors as stored', () => {
    expect(briefError('pypi / django: request to https://pypistats.invalid/api/packages/django/overall?mirrors=false failed: ENOTFOUND')).toBe(
      'could not reach pypistats.invalid (ENOTFOUND)',
    )
    expect(briefError('guide: request to http://127.0.0.1:4123/post failed: ECONNREFUSED')).toBe('could not reach 127.0.0.1:4123 (ECONNREFUSED)')
    const http = 'github / flask: HTTP 500 Internal Server Error from http://x/repos/pallets/flask'
    expect(briefError(http)).toBe(http)
    expect(unreached(http)).toBe(false)
    expect(unreached('npm / express: request to https://api.npmjs.invalid/downloads failed: EAI_AGAIN')).toBe(true)
    expect(unreached(null)).toBe(false)
  })
})
