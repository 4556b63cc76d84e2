import type { CompareBucket } from '../../db/queries/compare.js'
import { formatNumber } from '../format.js'

/**
 * A series with one stored point, shown as a figure beside its chart: Chart.js would draw a lone
 * dot or nothing, and a line needs two.
 */
export function OnePointFigure({ label, value, at, bucket }: { label: string; value: number; at: string; bucket: CompareBucket }) {
  return (
    <p class="chart-single">
      {label}: <strong>{formatNumber(value)}</strong> on {at}, the only {bucket} stored in this range, so it is a figure rather than a line.
    </p>
  )
}
