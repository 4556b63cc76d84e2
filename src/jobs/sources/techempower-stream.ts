import { Tokenizer, TokenParser, TokenType, type ParsedTokenInfo } from '@streamparser/json'
import { SourceError } from '../errors.js'
import { formatPath } from '../http.js'
import { HEADER_FIELDS } from './techempower-format.js'
import { TechempowerReducer } from './techempower.js'

/** What a document read to its end holds. */
export interface TechempowerDocument {
  /** The results file, reduced; its `toRun` rejects a document that was not one (no rawData). */
  file: TechempowerReducer
  /** A tfb-status run's metadata ({"result": {...}}, no rawData; techempower.md), else undefined. */
  runMetadata: unknown
}

// The values assembled as objects; everything else (verify, completed, succeeded, frameworks, ...)
// is tokenized, checked for syntax and dropped as it goes (keepStack: false).
const PATHS = [
  ...HEADER_FIELDS.map((field) => `$.${field}`),
  '$.testMetadata',
  '$.result',
  '$.rawData.*.*',
]

/**
 * Reads a TFB results.json (or a tfb-status metadata document) as its bytes arrive, with
 * @streamparser/json: each rawData.<type>.<test> levels array is assembled alone and handed to the
 * reducer, which keeps one level of it; the header and testMetadata are kept. A stream that ends
 * early, malformed JSON anywhere, or a malformed piece throws a SourceError naming the file and the
 * field; nothing is returned then, so nothing can be written.
 */
export async function readTechempowerFile(
  chunks: AsyncIterable<Uint8Array>,
  label: string,
): Promise<TechempowerDocument> {
  const reducer = new TechempowerReducer(label)
  const at = new KeyPath()
  let result: unknown
  let offset = 0
  const tokenizer = new Tokenizer()
  const parser = new TokenParser({ paths: PATHS, keepStack: false })
  tokenizer.onToken = (token) => {
    offset = token.offset
    parser.write(token) // first: it rejects a token out of place before the path follows it
    if (at.next(token)) {
      checkContainer(reducer, at.path, token)
      at.enter(token)
    }
  }
  parser.onValue = ({ value, key, stack }) => {
    if (stack.length === 3) reducer.levels(String(stack[2]!.key), String(key), value)
    else if (key === 'testMetadata') reducer.testMetadata(value)
    else if (key === 'result') result = value
    else reducer.field(String(key), value)
  }
  // The document is complete: the tokenizer goes on, so trailing whitespace passes and anything
  // else after it is an error.
  parser.onEnd = () => {}
  try {
    for await (const chunk of chunks) tokenizer.write(chunk)
    tokenizer.end()
    if (!at.started) throw new Error('the file is empty')
    if (!parser.isEnded) parser.end()
  } catch (cause) {
    if (cause instanceof SourceError) throw cause
    const where = at.where() ? ` in ${at.where()}` : ''
    const message = `${(cause as Error).message} (near byte ${offset}${where})`
    throw new SourceError('techempower', null, `${label}: malformed JSON: ${message}`, { cause })
  }
  return { file: reducer, runMetadata: reducer.hasRawData ? undefined : result }
}

/**
 * The top level, rawData and each rawData.<type> must be objects; the path-based parser would
 * silently skip anything else, so their first token is checked here (by zod, naming the field).
 */
function checkContainer(
  reducer: TechempowerReducer,
  path: readonly (string | number)[],
  token: ParsedTokenInfo,
): void {
  const [first, second] = path
  if (path.length > 2 || (path.length > 0 && first !== 'rawData')) return
  const value =
    token.token === TokenType.LEFT_BRACE
      ? {}
      : token.token === TokenType.LEFT_BRACKET
        ? []
        : token.value
  if (path.length === 0) reducer.root(value)
  else if (path.length === 1) reducer.rawData(value)
  else reducer.testType(String(second), value)
}

/**
 * Follows where in the document each token is: the key path of the value it starts. The
 * TokenParser has checked the token's syntax by then, so this trusts the token order.
 */
class KeyPath {
  readonly path: (string | number)[] = []
  /** Whether the document has begun (an empty body has no value at all). */
  started = false
  private readonly inArray: boolean[] = []
  private expectKey = false

  /** Moves past one token; true when it starts a value (at `path`): then call `enter`. */
  next({ token, value }: ParsedTokenInfo): boolean {
    switch (token) {
      case TokenType.COLON:
      case TokenType.SEPARATOR:
        return false
      case TokenType.COMMA:
        if (this.inArray.at(-1)) this.path[this.path.length - 1] = Number(this.path.at(-1)) + 1
        else this.expectKey = true
        return false
      case TokenType.RIGHT_BRACE:
      case TokenType.RIGHT_BRACKET:
        this.inArray.pop()
        this.path.pop()
        this.expectKey = false
        return false
      case TokenType.STRING:
        if (this.expectKey) {
          this.path[this.path.length - 1] = String(value)
          this.expectKey = false
          return false
        }
        break
      default:
        break
    }
    this.started = true
    return true
  }

  /** The value being read, or between an object's members that object, as `a.b[2]`. */
  where(): string {
    return formatPath(this.expectKey ? this.path.slice(0, -1) : this.path)
  }

  /** Called after `next` returned true: a container's members are one level deeper. */
  enter({ token }: ParsedTokenInfo): void {
    if (token === TokenType.LEFT_BRACE) {
      this.inArray.push(false)
      this.path.push('')
      this.expectKey = true
    } else if (token === TokenType.LEFT_BRACKET) {
      this.inArray.push(true)
      this.path.push(0)
    }
  }
}
