import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach } from 'vitest'

export interface FakeResponse {
  status?: number
  headers?: Record<string, string>
  /** An object is sent as JSON; a string as is. */
  body?: unknown
  /** Never answer (the client's timeout must fire). */
  hang?: boolean
  /** Answer after this many milliseconds (a slow upstream). */
  delayMs?: number
  /** Send the body in writes of this many bytes, each after the last has been flushed. */
  chunkBytes?: number
  /** Send only this many bytes of the body, then drop the connection (Content-Length says all). */
  dropAfterBytes?: number
  /** With chunkBytes: wait this long between pieces (a slow drip). */
  pieceDelayMs?: number
}

export interface RecordedRequest {
  method: string
  path: string
  headers: IncomingMessage['headers']
}

type Responder = FakeResponse | ((req: RecordedRequest, match: RegExpMatchArray) => FakeResponse)

interface Route {
  pattern: RegExp
  /** Answered in order; the last one repeats. */
  responses: Responder[]
  served: number
}

/**
 * A real HTTP server on 127.0.0.1 standing in for an upstream API. Routes match the raw request
 * path (percent-encoding kept, as the client sent it); later routes win over earlier ones.
 */
export class FakeUpstream {
  readonly requests: RecordedRequest[] = []
  private routes: Route[] = []
  private server: Server | undefined
  private readonly hung = new Set<() => void>()
  url = ''

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const recorded = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers }
      this.requests.push(recorded)
      const response = this.respond(recorded)
      if (response.hang) {
        this.hung.add(() => res.destroy())
        return
      }
      const body = typeof response.body === 'string' || response.body === undefined ? response.body : JSON.stringify(response.body)
      const jsonType = typeof response.body === 'object' ? { 'content-type': 'application/json; charset=utf-8' } : {}
      const send = () => {
        if (response.chunkBytes === undefined && response.dropAfterBytes === undefined) {
          res.writeHead(response.status ?? 200, { ...jsonType, ...response.headers })
          res.end(body)
          return
        }
        const bytes = Buffer.from(body ?? '')
        res.writeHead(response.status ?? 200, {
          ...jsonType,
          'content-length': String(bytes.length),
          ...response.headers,
        })
        sendInPieces(res, bytes, response.chunkBytes ?? bytes.length, response.dropAfterBytes, response.pieceDelayMs)
      }
      if (response.delayMs) setTimeout(send, response.delayMs)
      else send()
    })
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve))
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
    return this
  }

  /** Answers requests whose path matches `pattern` with `responses`, in order. */
  on(pattern: RegExp, ...responses: Responder[]): this {
    this.routes.unshift({ pattern, responses, served: 0 })
    return this
  }

  /** Removes the routes added with this very pattern (a fault put over the healthy routes). */
  off(pattern: RegExp): this {
    this.routes = this.routes.filter((r) => r.pattern !== pattern)
    return this
  }

  /** The answer the routes under the newest matching one give: a fault can distort the real body. */
  answerBelow(req: RecordedRequest): FakeResponse {
    return this.respond(req, 1)
  }

  reset(): void {
    this.routes = []
    this.requests.length = 0
    this.releaseHung()
  }

  requestsTo(pattern: RegExp): RecordedRequest[] {
    return this.requests.filter((r) => pattern.test(r.path))
  }

  async stop(): Promise<void> {
    this.releaseHung()
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()))
  }

  private releaseHung(): void {
    for (const release of this.hung) release()
    this.hung.clear()
  }

  private respond(req: RecordedRequest, skip = 0): FakeResponse {
    for (const route of this.routes) {
      const match = req.path.match(route.pattern)
      if (!match || skip-- > 0) continue
      const responder = route.responses[Math.min(route.served++, route.responses.length - 1)]!
      return typeof responder === 'function' ? responder(req, match) : responder
    }
    return { status: 404, body: { error: 'Not found' } }
  }
}

/** Writes `bytes` a piece at a time, waiting for each to flush; stops and drops at `dropAfter`. */
function sendInPieces(res: ServerResponse, bytes: Buffer, pieceBytes: number, dropAfter?: number, pauseMs = 0) {
  const end = Math.min(dropAfter ?? bytes.length, bytes.length)
  let sent = 0
  const next = () => {
    if (res.destroyed) return
    if (sent >= end) {
      if (end < bytes.length) res.destroy()
      else res.end()
      return
    }
    const piece = bytes.subarray(sent, Math.min(sent + pieceBytes, end))
    sent += piece.length
    res.write(piece, () => (pauseMs > 0 ? setTimeout(next, pauseMs) : setImmediate(next)))
  }
  next()
}

/** One fake upstream per test file, with its routes cleared before each test. */
export function useFakeUpstream(): FakeUpstream {
  const fake = new FakeUpstream()
  beforeAll(() => fake.start().then(() => undefined))
  beforeEach(() => fake.reset())
  afterAll(() => fake.stop())
  return fake
}
