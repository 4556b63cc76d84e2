import { describe, expect, it } from 'vitest'
import { inGuideOrder } from '../../src/claims/quote.js'

const claim = (claim_id: string, quote: string) => ({ claim_id, quote })

describe('inGuideOrder', () => {
  const paragraphs = ['<p>Flask is <em>light</em>. It is the most flexible.</p>', '<p>It has a “huge” community and is light.</p>']

  it('orders claims by paragraph, then by where the quote starts in it, whatever their ids', () => {
    const claims = [claim('a-community', 'huge" community'), claim('b-flexible', 'the most flexible'), claim('c-light', 'Flask is light')]
    expect(inGuideOrder(paragraphs, claims).map((c) => c.claim_id)).toEqual(['c-light', 'b-flexible', 'a-community'])
  })

  it('keeps two claims on one quote by id, and puts a quote the text lacks last', () => {
    const claims = [claim('z-gone', 'no longer in the text'), claim('y-fast-2', 'most flexible'), claim('x-fast-1', 'most flexible')]
    expect(inGuideOrder(paragraphs, claims).map((c) => c.claim_id)).toEqual(['x-fast-1', 'y-fast-2', 'z-gone'])
  })
})
