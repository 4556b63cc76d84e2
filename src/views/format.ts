import { decodeHTML } from 'entities'

const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 })
const whole = new Intl.NumberFormat('en')
const percent = new Intl.NumberFormat('en', { style: 'percent', maximumFractionDigits: 1, signDisplay: 'exceptZero' })

export const formatCompact = (n: number): string => compact.format(n)
export const formatNumber = (n: number): string => whole.format(n)
export const formatPercent = (ratio: number): string => percent.format(ratio)

/** '2026-11-24 06:41 UTC': absolute and unambiguous, for "fetched at" stamps. */
export function formatInstant(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`
}

export function formatDay(date: Date | string): string {
  return typeof date === 'string' ? date : date.toISOString().slice(0, 10)
}

const sentences = new Intl.Segmenter('en', { granularity: 'sentence' })

/** The first sentences of an HTML paragraph, as plain text, for the overview. */
export function leadSentences(html: string, maxChars = 220): string {
  // Input is our own sanitized HTML (tags balanced, no comments), so stripping tags is exact.
  const text = decodeHTML(html.replace(/<[^>]*>/g, '')).trim()
  let out = ''
  // Unicode sentence rules: "Node.js paired with" and "ASP.NET Core" are not sentence ends.
  for (const { segment } of sentences.segment(text)) {
    if (out && (out + segment).length > maxChars) break
    out += segment
  }
  return out.trim()
}
