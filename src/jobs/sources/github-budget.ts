import type { RateLimit } from '../http.js'

/**
 * Planning GitHub requests inside the primary rate limit: 60 requests an hour without a token,
 * 5,000 with one (github.md, "Rate limits"). Frameworks are synced one after another, so while
 * one framework is collected the budget must still hold the requests of those after it:
 *
 * - the snapshot (`GET /repos/{owner}/{repo}`) is always requested;
 * - routine requests (first page of releases or tags, newest star-history weeks) only if what is
 *   left still covers one snapshot per later framework;
 * - backfill (older release pages, tag dates, older star-history weeks) only if what is left still
 *   covers every later framework's snapshot and routine requests, and this framework's routine
 *   requests still to come (each signal is collected in turn: releases backfill before the star
 *   history's head). Backfill is resumable (Collected.state), so what does not fit this hour is
 *   picked up by the next run.
 *
 * A routine request that does not fit is not asked: its signal waits for the reset.
 *
 * Asking while rate limited "may result in the banning of your integration" (GitHub's best
 * practices), so the plan avoids reaching 0 rather than relying on the 403.
 */

/** Requests a framework needs whatever else happens: its repository snapshot. */
export const SNAPSHOT_COST = 1
/**
 * Requests a framework needs every run: snapshot, first page of releases, history head (a project
 * that only tags needs one more, its first page of tags: the reserve is a plan, not a guarantee).
 */
export const ROUTINE_COST = 3

export type Priority = 'routine' | 'backfill'

/**
 * Requests left in the current window. The numbers come from the newest response's x-ratelimit-*
 * headers; once its reset time has passed the window is full again. Infinity when the upstream
 * reports no limit (GitHub Enterprise Server with rate limiting off sends no such headers).
 */
export function available(limit: RateLimit | null, nowMs: number): number {
  if (!limit) return Number.POSITIVE_INFINITY
  return nowMs >= limit.resetAt.getTime() ? limit.limit : limit.remaining
}

export interface Reserve {
  /** Frameworks this run visits after this one. */
  laterFrameworks: number
  /** Routine requests of this framework still to come after the current signal's. */
  routineAfter?: number
}

/** Requests kept back for what is still to come in this run. */
export function reserveFor(priority: Priority, { laterFrameworks, routineAfter = 0 }: Reserve): number {
  return priority === 'routine' ? laterFrameworks * SNAPSHOT_COST : laterFrameworks * ROUTINE_COST + routineAfter
}

export interface Budget {
  /** Whether one more request of this priority still leaves the reserve intact. */
  allows(priority: Priority): boolean
}

export function planBudget(
  client: { readonly rateLimit: RateLimit | null },
  reserve: Reserve,
  now: () => number = Date.now,
): Budget {
  return {
    allows: (priority) => available(client.rateLimit, now()) - 1 >= reserveFor(priority, reserve),
  }
}
