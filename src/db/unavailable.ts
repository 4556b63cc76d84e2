// Errors that mean the database cannot be reached at all, not that one query was wrong: the
// socket refused or dropped (Node), the pool's connect timeout (pg), or the server shutting down
// or starting up (SQLSTATE class 08 and 57P01-57P03).
const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'EPIPE'])
const SQLSTATES = /^(08|57P0[123])/
const PG_MESSAGES = /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/

/** Why the database cannot be reached, in a few words, or null when `error` is something else. */
export function databaseUnreachable(error: unknown): string | null {
  for (let e = error as { code?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    const code = typeof e.code === 'string' ? e.code : ''
    const message = typeof e.message === 'string' ? e.message : ''
    if (NETWORK.has(code)) return `connection ${code === 'ECONNREFUSED' ? 'refused' : 'lost'} (${code})`
    if (SQLSTATES.test(code)) return `the server is unavailable (${message || code})`
    if (PG_MESSAGES.test(message)) return message.toLowerCase().startsWith('timeout') ? 'no connection within the connect timeout' : 'connection lost'
  }
  return null
}
