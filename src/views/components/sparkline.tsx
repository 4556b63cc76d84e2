import type { Point } from '../../db/queries/series.js'

/** The polyline of a series scaled into a width × height box (1 px inset); empty for no points. */
export function sparkPath(points: Point[], width: number, height: number): string {
  if (points.length === 0) return ''
  const values = points.map((p) => p.value)
  const min = Math.min(...values)
  const span = Math.max(...values) - min || 1
  const step = points.length > 1 ? (width - 2) / (points.length - 1) : 0
  return values.map((v, i) => `${(1 + i * step).toFixed(1)},${(height - 1 - ((v - min) / span) * (height - 2)).toFixed(1)}`).join(' ')
}

/**
 * A server-rendered sparkline: presentation attributes only (the CSP forbids inline styles), in
 * the text colour, with a title as its text alternative. Used inline on the overview and inside
 * the embeddable badge.
 */
export function Sparkline({ points, label, width = 120, height = 28 }: { points: Point[]; label: string; width?: number; height?: number }) {
  return (
    <svg class="sparkline" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label}>
      <title>{label}</title>
      <polyline points={sparkPath(points, width, height)} fill="none" stroke="currentColor" stroke-width="1.5" stroke-linejoin="round" stroke-linecap="round" />
    </svg>
  )
}
