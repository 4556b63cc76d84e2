import type { Point } from '../../db/queries/series.js'
import { sparkPath } from './sparkline.js'

// Verdana 11px averages about 6.5 px a character (shields.io sizes its badges the same way).
const charWidth = 6.5
const SPARK = 60

/**
 * An embeddable SVG badge: "<label> | <value> <sparkline>". Every text goes through JSX, so
 * markup in a name can never become SVG.
 */
export function Badge({ label, value, points, title, color = '#0b62b8' }: { label: string; value: string; points: Point[]; title: string; color?: string }) {
  const left = Math.round(label.length * charWidth + 12)
  const right = Math.round(value.length * charWidth + 12) + (points.length > 1 ? SPARK + 6 : 0)
  const width = left + right
  return (
    <svg xmlns="http://www.w3.org/2000/svg" width={width} height="20" viewBox={`0 0 ${width} 20`} role="img" aria-label={title}>
      <title>{title}</title>
      <rect width={left} height="20" rx="3" fill="#555" />
      <rect x={left} width={right} height="20" rx="3" fill={color} />
      <rect x={left} width="4" height="20" fill={color} />
      <g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11">
        <text x="6" y="14">
          {label}
        </text>
        <text x={left + 6} y="14">
          {value}
        </text>
      </g>
      {points.length > 1 && (
        <g transform={`translate(${left + right - SPARK - 6} 3)`}>
          <polyline points={sparkPath(points, SPARK, 14)} fill="none" stroke="#fff" stroke-width="1.2" stroke-linejoin="round" />
        </g>
      )}
    </svg>
  )
}

/** Red, for a badge URL the server cannot answer (a bad parameter): an <img> shows why, not a broken image. */
export const BADGE_ERROR = '#b42318'
