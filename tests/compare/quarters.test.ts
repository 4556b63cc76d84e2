import { describe, expect, it } from 'vitest'
import { addQuarters, fillQuarters, quarterLabel, quarterOf, quarterWindow } from '../../src/compare/quarters.js'

describe('quarters', () => {
  it('names a quarter by its first day', () => {
    expect(['2026-01-01', '2026-03-31', '2026-04-01', '2026-08-15', '2026-12-31'].map(quarterOf)).toEqual(['2026-01-01', '2026-01-01', '2026-04-01', '2026-07-01', '2026-10-01'])
    expect(addQuarters('2026-01-01', -1)).toBe('2025-10-01')
    expect(addQuarters('2025-10-01', 5)).toBe('2027-01-01')
    expect(quarterLabel('2026-07-01')).toBe('2026 Q3')
  })

  it('shows the complete quarters a range overlaps, at least four, never the current one', () => {
    const now = new Date('2026-11-25T12:00:00Z')
    expect(quarterWindow(30, now)).toEqual({ first: '2025-10-01', last: '2026-07-01', current: '2026-10-01', widened: true })
    expect(quarterWindow(365, now)).toEqual({ first: '2025-10-01', last: '2026-07-01', current: '2026-10-01', widened: false })
    // 3 years back from 2026-11-25 starts on 2023-11-27: 2023 Q4 overlaps.
    expect(quarterWindow(1095, now)).toEqual({ first: '2023-10-01', last: '2026-07-01', current: '2026-10-01', widened: false })
    expect(quarterWindow(null, now)).toEqual({ first: null, last: '2026-07-01', current: '2026-10-01', widened: false })
    // On a quarter's first day, the quarter before is complete.
    expect(quarterWindow(365, new Date('2026-01-01T00:30:00Z')).last).toBe('2025-10-01')
  })

  it('a quarter without releases is a zero, not a gap', () => {
    expect(fillQuarters(new Map([['2026-01-01', 3]]), '2025-10-01', '2026-04-01')).toEqual([
      { day: '2025-10-01', value: 0 },
      { day: '2026-01-01', value: 3 },
      { day: '2026-04-01', value: 0 },
    ])
  })
})
