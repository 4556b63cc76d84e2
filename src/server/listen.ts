import type { Duplex } from 'node:stream'
import { serve, type ServerType } from '@hono/node-server'
import type { AddressInfo } from 'node:net'

type Fetch = Parameters<typeof serve>[0]['fetch']

// Node's own answer to a request its parser refuses is a bare status line with no body; a
// visitor (or a proxy's log) should read why. Codes: Node's llhttp errors (HPE_*).
function refusal(code: string | undefined): [number, string, string] {
  if (code === 'HPE_HEADER_OVERFLOW') return [431, 'Request Header Fields Too Large', 'The address or the headers are longer than this server accepts (16 KB): shorten the URL.']
  return [400, 'Bad Request', 'The request is not valid HTTP/1.1 (a malformed request line, header or encoding).']
}

function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  // Nothing to answer on a connection the client has already dropped.
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy()
    return
  }
  const [status, reason, message] = refusal(error.code)
  const body = `${status} ${reason}: ${message}\n`
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`)
}

/** The app on a port, the way main.ts and the tests serve it. */
export function listen(fetch: Fetch, options: { port: number; hostname: string }, onListen?: (info: AddressInfo) => void): ServerType {
  const server = serve({ fetch, ...options }, onListen)
  server.on('clientError', answerClientError)
  return server
}
