import { describe, expect, it } from 'vitest'
import { loadCatalog } from '../../src/catalog/catalog.js'
import { SourceError } from '../../src/jobs/errors.js'
import { readTechempowerFile } from '../../src/jobs/sources/techempower-stream.js'
import { toTechempowerRun } from '../../src/jobs/sources/techempower.js'
import { fixtureText, TFB_2019, TFB_MICRONAUT } from '../helpers/benchmark-upstream.js'

const catalog = loadCatalog()
const sha256 = 'ab'.repeat(32)

/** The bytes of `text` in pieces whose sizes cycle through `sizes`. */
async function* pieces(text: string, sizes: number[]): AsyncGenerator<Uint8Array> {
  const bytes = Buffer.from(text)
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const size = sizes[i % sizes.length]!
    yield bytes.subarray(at, at + size)
    at += size
  }
}

const read = (text: string, sizes = [65_536]) =>
  readTechempowerFile(pieces(text, sizes), 'test.json')
const failure = (text: string, sizes?: number[]) =>
  read(text, sizes).then(
    () => 'no error',
    (error: Error) => error.message,
  )

describe('TechEmpower streaming reader', () => {
  it.each([TFB_2019, TFB_MICRONAUT])(
    'reads %s in pieces of 1 to 7 bytes to the same run as the file parsed whole',
    async (fixture) => {
      // Pieces this small split every token, number and multi-byte character across writes.
      const text = fixtureText(fixture)
      const { file, runMetadata } = await read(text, [1, 2, 3, 4, 5, 6, 7])
      expect(runMetadata).toBeUndefined()
      const streamed = file.toRun(catalog, sha256)
      const whole = toTechempowerRun(JSON.parse(text), catalog, { label: 'test.json', sha256 })
      expect(streamed).toEqual(whole)
      expect(streamed.results.length).toBeGreaterThan(0)
    },
  )

  it('names where a stream cut inside a levels array ends, and returns nothing', async () => {
    const text = fixtureText(TFB_2019)
    const cut = text.indexOf('"totalRequests"', text.indexOf('"plaintext": {')) + 5
    expect(await failure(text.slice(0, cut), [4096])).toMatch(
      /^techempower: test\.json: malformed JSON: .* \(near byte \d+ in rawData\.plaintext\.[\w-]+\[0\]\)$/,
    )
  })

  it('passes on the error of a source that fails mid-way', async () => {
    async function* dropped() {
      yield Buffer.from('{"rawData": {"json": {"a": [{"totalRequests": 1')
      throw new SourceError('techempower', null, 'reading test.json failed: UND_ERR_SOCKET')
    }
    await expect(readTechempowerFile(dropped(), 'test.json')).rejects.toThrow(
      'techempower: reading test.json failed: UND_ERR_SOCKET',
    )
  })

  it.each([
    ['an empty body', ' \n', /malformed JSON: the file is empty/],
    [
      'text after the document',
      '{"duration": 1, "rawData": {}} x',
      /malformed JSON: Unexpected "x"/,
    ],
    [
      'a document that is not an object',
      '[]',
      /: \(body\): Invalid input: expected object, received array$/,
    ],
    [
      'rawData that is not an object',
      '{"rawData": 5}',
      /: rawData: Invalid input: expected record, received number$/,
    ],
    [
      'a test type that is not an object',
      '{"rawData": {"db": []}}',
      /: rawData\.db: Invalid input: expected record, received array$/,
    ],
    [
      'levels that are not an array',
      '{"rawData": {"db": {"x": {}}}}',
      /: rawData\.db\.x: Invalid input: expected array, received object$/,
    ],
    [
      'a bad entry',
      '{"rawData": {"db": {"x": [{"5xx": "1"}]}}}',
      /: rawData\.db\.x\[0\]\.5xx: Invalid input: expected number, received string$/,
    ],
    [
      'bad testMetadata',
      '{"testMetadata": [{"name": ""}], "rawData": {}}',
      /: testMetadata\[0\]\.name: Too small/,
    ],
  ])('rejects %s, naming the field', async (_what, text, error) => {
    expect(await failure(text)).toMatch(error)
  })

  it('keeps trailing whitespace, commitCounts and unknown fields out of the way', async () => {
    const text = JSON.stringify({
      verify: { x: { db: 'pass' } },
      rawData: { commitCounts: { x: 3 }, db: { x: [{ totalRequests: 30 }] } },
      duration: 15,
    })
    const { file } = await read(`${text}\n\n`, [3])
    expect(file.toRun(catalog, sha256).results).toEqual([
      expect.objectContaining({ variant: 'x', test_type: 'db', requests_per_s: 2 }),
    ])
  })

  it("recognises a tfb-status run's metadata, and a results file without rawData fails", async () => {
    const result = { uuid: 'u', jsonFileName: 'results.json', completionTime: 1 }
    const { file, runMetadata } = await read(JSON.stringify({ result }))
    expect(runMetadata).toEqual(result)
    expect(() => file.toRun(catalog, sha256)).toThrow(
      'techempower: test.json: rawData: Invalid input: expected record, received undefined',
    )
  })
})
