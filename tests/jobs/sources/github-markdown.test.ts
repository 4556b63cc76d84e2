import { describe, expect, it } from 'vitest'
import { renderNotes } from '../../../src/jobs/sources/github-markdown.js'

describe('release notes: Markdown rendered, then sanitized', () => {
  it('keeps text-level markup, lists, quotes and code; headings become paragraphs', () => {
    const html = renderNotes('## What’s new\n\n* **Fast** and _small_\n* `code` and ~~gone~~\n\n> quoted\n\n```js\nlet a = 1 < 2\n```')
    expect(html).toBe(
      '<p>What’s new</p>\n<ul>\n<li><strong>Fast</strong> and <em>small</em></li>\n<li><code>code</code> and <del>gone</del></li>\n</ul>\n' +
        '<blockquote>\n<p>quoted</p>\n</blockquote>\n<pre><code>let a = 1 &lt; 2\n</code></pre>',
    )
  })

  it('keeps http(s) links, marked rel="nofollow", and only those', () => {
    expect(renderNotes('[docs](https://example.com/a?b=1) <http://example.org>')).toBe(
      '<p><a href="https://example.com/a?b=1" rel="nofollow">docs</a> <a href="http://example.org" rel="nofollow">http://example.org</a></p>',
    )
    expect(renderNotes('[a](javascript:alert(1)) [b](/relative) [c](//evil.example) [d](mailto:x@y) [e](data:text/html,hi)')).toBe(
      '<p><a>a</a> <a>b</a> <a>c</a> <a>d</a> <a>e</a></p>',
    )
  })

  it('defuses hostile markup', () => {
    const hostile = [
      '<script>alert(1)</script>',
      '<img src=x onerror="alert(2)">',
      '<a href="JaVaScRiPt:alert(3)">x</a>',
      '<a href="&#106;avascript:alert(4)">y</a>',
      '<a href="https://ok.example" onclick="alert(5)" target="_blank" style="color:red">z</a>',
      '<iframe src="https://evil.example"></iframe>',
      '<style>body{display:none}</style>',
      '<svg><script>alert(6)</script></svg>',
      '<p style="background:url(javascript:alert(7))" class="x">styled</p>',
      '<form action="https://evil.example"><input name=q></form>',
      '<!-- comment --><details><summary>more</summary>hidden</details>',
    ].join('\n\n')
    const html = renderNotes(hostile)!
    expect(html).not.toMatch(/<script|<img|<iframe|<style|<svg|<form|<input|on\w+=|javascript:|style=|class=|target=|<!--/i)
    expect(html).not.toContain('alert(1)')
    expect(html).not.toContain('alert(6)')
    expect(html).toContain('<a href="https://ok.example" rel="nofollow">z</a>')
    expect(html).toContain('<a>x</a>')
    expect(html).toContain('<a>y</a>')
    expect(html).toContain('<p>styled</p>')
    expect(html).toContain('more')
  })

  it('is null for no notes, empty notes and notes that sanitize to nothing', () => {
    expect(renderNotes(null)).toBeNull()
    expect(renderNotes(undefined)).toBeNull()
    expect(renderNotes('  \r\n ')).toBeNull()
    expect(renderNotes('<script>alert(1)</script>')).toBeNull()
  })
})
