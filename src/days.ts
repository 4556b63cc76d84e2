const DAY_MS = 86_400_000

/** 'YYYY-MM-DD' of a Date in UTC. */
export function toDay(date: Date): string {
  return date.toISOString().slice(0, 10)
}

export function addDays(day: string, days: number): string {
  return toDay(new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS))
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS)
}

/** Splits the inclusive span [from, to] into inclusive spans of at most `maxDays` days. */
export function splitSpan(from: string, to: string, maxDays: number): Array<[string, string]> {
  const spans: Array<[string, string]> = []
  for (let start = from; start <= to; start = addDays(start, maxDays)) {
    const end = addDays(start, maxDays - 1)
    spans.push([start, end < to ? end : to])
  }
  return spans
}

/** The later of two 'YYYY-MM-DD' days (they sort as strings). */
export function laterDay(a: string, b: string): string {
  return a > b ? a : b
}
