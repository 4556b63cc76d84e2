import { createHash, timingSafeEqual } from 'node:crypto'

/**
 * Compares a presented token with ADMIN_TOKEN in constant time. Hashing first gives both sides
 * the same length, so neither the content nor the length of the secret leaks through timing.
 */
export function tokenMatches(presented: string | undefined, expected: string): boolean {
  if (!presented) return false
  const digest = (value: string) => createHash('sha256').update(value).digest()
  return timingSafeEqual(digest(presented), digest(expected))
}
