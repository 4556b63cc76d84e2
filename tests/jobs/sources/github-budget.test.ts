import { describe, expect, it } from 'vitest'
import type { RateLimit } from '../../../src/jobs/http.js'
import { available, planBudget, reserveFor, ROUTINE_COST, SNAPSHOT_COST, type Priority } from '../../../src/jobs/sources/github-budget.js'

const NOW = Date.parse('2026-11-25T12:00:00Z')
const limit = (remaining: number, resetInS = 1800, of = 60): RateLimit => ({
  limit: of,
  remaining,
  resetAt: new Date(NOW + resetInS * 1000),
  resource: 'core',
})

describe('budget planning', () => {
  it('counts what the newest x-ratelimit headers leave, and a full window after the reset', () => {
    expect(available(limit(17), NOW)).toBe(17)
    expect(available(limit(0, -1), NOW)).toBe(60)
    expect(available(limit(0, 0), NOW)).toBe(60)
    // No rate-limit headers at all (GitHub Enterprise Server with limits off): no limit to plan for.
    expect(available(null, NOW)).toBe(Number.POSITIVE_INFINITY)
  })

  it('keeps a snapshot per later framework for routine requests, and their routine for backfill', () => {
    expect([SNAPSHOT_COST, ROUTINE_COST]).toEqual([1, 3])
    expect(reserveFor('routine', { laterFrameworks: 9 })).toBe(9)
    expect(reserveFor('backfill', { laterFrameworks: 9 })).toBe(27)
    expect(reserveFor('backfill', { laterFrameworks: 0 })).toBe(0)
    // The star history's head still to come for this framework is kept from its releases backfill.
    expect(reserveFor('backfill', { laterFrameworks: 9, routineAfter: 1 })).toBe(28)
    expect(reserveFor('routine', { laterFrameworks: 9, routineAfter: 1 })).toBe(9)
  })

  it('allows a request only if the reserve survives it', () => {
    const client = { rateLimit: limit(10) }
    const budget = planBudget(client, { laterFrameworks: 3 }, () => NOW)
    expect(budget.allows('routine')).toBe(true)
    expect(budget.allows('backfill')).toBe(true)
    client.rateLimit = limit(9)
    expect(budget.allows('backfill')).toBe(false)
    client.rateLimit = limit(4)
    expect(budget.allows('routine')).toBe(true)
    client.rateLimit = limit(3)
    expect(budget.allows('routine')).toBe(false)
    // The last framework may spend the window down to 0, but not past it.
    const last = planBudget({ rateLimit: limit(1) }, { laterFrameworks: 0 }, () => NOW)
    expect(last.allows('backfill')).toBe(true)
    expect(planBudget({ rateLimit: limit(0) }, { laterFrameworks: 0 }, () => NOW).allows('routine')).toBe(false)
    expect(planBudget({ rateLimit: limit(0, -5) }, { laterFrameworks: 9 }, () => NOW).allows('backfill')).toBe(true)
  })

  it('an anonymous hour (60 requests) over ten frameworks: every snapshot fits, backfill goes first to the first', () => {
    // Simulates the source's order: snapshot, three routine requests, then backfill while allowed.
    const client = { rateLimit: null as RateLimit | null }
    let remaining = 60
    const spend = () => {
      remaining--
      client.rateLimit = limit(remaining)
    }
    const spent: number[] = []
    for (let i = 0; i < 10; i++) {
      const before = remaining
      const budget = planBudget(client, { laterFrameworks: 9 - i }, () => NOW)
      spend() // the snapshot is always asked for
      for (const priority of ['routine', 'routine'] as Priority[]) if (budget.allows(priority)) spend()
      while (budget.allows('backfill')) spend()
      spent.push(before - remaining)
    }
    expect(remaining).toBe(0)
    expect(spent).toEqual([33, 3, 3, 3, 3, 3, 3, 3, 3, 3])
  })
})
