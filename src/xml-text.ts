/**
 * Upstream text (release titles, notes, package names) can hold anything. These helpers make it
 * safe to hand to the feed library, whose XML writer escapes text but not every character.
 */

// XML 1.0 §2.2 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].
// Everything else (NUL and other C0 controls, lone surrogates, U+FFFE/U+FFFF) makes a document
// ill-formed; the C1 controls (U+007F-U+009F) are legal but "discouraged" (§2.2) and never meant.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\u007E\u00A0-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu

/** The text without characters XML 1.0 forbids or discourages (lone surrogates included). */
export function xmlText(text: string): string {
  return text.replace(NOT_XML_CHAR, '')
}

/**
 * HTML bound for a CDATA section. xml-js (under `feed`) splits only the first `]]>`, so a second
 * one would end the section early; `]]&gt;` reads the same once the HTML is parsed.
 */
export function cdataHtml(html: string): string {
  return xmlText(html).replaceAll(']]>', ']]&gt;')
}

/** One line of text: XML-safe, whitespace collapsed, at most `maxChars` characters. */
export function oneLine(text: string, maxChars: number): string {
  return truncate(xmlText(text).replace(/\s+/g, ' ').trim(), maxChars)
}

/**
 * One line of plain text that reads the same whether a reader treats it as text or as HTML:
 * `feed` writes RSS titles as text but Atom titles as `type="html"`. Angle brackets become
 * look-alikes and an ampersand that could start an entity gets a full-width twin, so
 * "<script>" or "&amp;" in a release name can neither inject markup nor change meaning.
 */
export function plainLine(text: string, maxChars: number): string {
  return oneLine(text, maxChars).replaceAll('<', '‹').replaceAll('>', '›').replace(/&(?=[#A-Za-z0-9])/g, '＆')
}

/** At most `maxChars` characters, cut at a word boundary when one is near, with an ellipsis. */
export function truncate(text: string, maxChars: number): string {
  const chars = [...text]
  if (chars.length <= maxChars) return text
  const cut = chars.slice(0, maxChars - 1).join('')
  const space = cut.lastIndexOf(' ')
  return `${space > maxChars * 0.6 ? cut.slice(0, space) : cut}…`
}
