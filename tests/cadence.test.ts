import { describe, expect, it } from 'vitest'
import { cadence, type ReleasePoint } from '../src/cadence.js'

const NOW = new Date('2026-11-25T00:00:00Z')
const r = (version: string, day: string, prerelease = false): ReleasePoint => ({ version, published_at: new Date(`${day}T00:00:00Z`), prerelease })

describe('release cadence', () => {
  it('counts stable releases of the last year, their median gap, and the latest line', () => {
    const c = cadence(
      [
        r('4.21.2', '2024-12-05'),
        r('5.0.0', '2024-09-10'),
        r('5.1.0', '2025-03-31'),
        r('4.22.0', '2025-06-20'),
        r('5.2.0', '2026-01-10'),
        r('5.3.0-rc.1', '2026-10-01', true),
        r('5.2.1', '2026-11-15'),
      ],
      NOW,
    )
    // In the window (from 2025-11-25): 5.2.0 and 5.2.1; one gap of 309 days.
    expect(c).toEqual({
      stableLastYear: 2,
      prereleasesLastYear: 1,
      medianDaysBetween: 309,
      daysSinceLast: 10,
      lastVersion: '5.2.1',
      latestMinor: '5.2',
    })
  })

  it('counts a version listed by a registry and by GitHub once, at its earliest date', () => {
    const c = cadence([r('v1.8.0', '2026-11-02'), r('1.8.0', '2026-11-01'), r('1.7.0', '2026-10-01')], NOW)
    expect(c.stableLastYear).toBe(2)
    expect(c.medianDaysBetween).toBe(31)
    expect(c.daysSinceLast).toBe(24)
  })

  it('has no median with fewer than two releases, and ranks odd version schemes', () => {
    const c = cadence([r('3.4.0.RELEASE', '2026-05-01'), r('2024.1', '2024-01-01')], NOW)
    expect(c.medianDaysBetween).toBeNull()
    expect(c.latestMinor).toBe('2024.1')
  })
})
