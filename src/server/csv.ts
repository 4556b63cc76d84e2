/** The CSV behind /compare.csv and /api/frameworks/:slug/series?format=csv. */
export const CSV_TYPE = 'text/csv; charset=utf-8'

/** RFC 4180: CRLF line ends, fields quoted when they hold a comma, quote or line break. */
export function toCsv(header: string[], rows: string[][]): string {
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n'
}

function csvField(v: string): string {
  // A leading =, +, - or @ would be read as a formula by spreadsheets; package names never start so.
  return /[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v
}

/** `attachment; filename="…"` with the name reduced to safe characters (RFC 6266 §4.3). */
export function attachment(filename: string): string {
  return `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, '-')}"`
}
