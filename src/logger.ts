import pino, { type DestinationStream, type Logger } from 'pino'

export type { Logger }

/**
 * JSON lines for machines; readable lines when a person watches a terminal. `destination` is
 * for tests that read the lines back.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = { level, redact: ['*.token', '*.password', '*.authorization', 'headers.authorization'] }
  if (destination) return pino(options, destination)
  const pretty = process.stdout.isTTY && level !== 'silent'
  return pino({ ...options, ...(pretty ? { transport: { target: 'pino-pretty', options: { ignore: 'pid,hostname' } } } : {}) })
}
