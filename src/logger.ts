import pino, { type Logger } from 'pino'

export type { Logger }

/** JSON lines for machines; readable lines when a person watches a terminal. */
export function createLogger(level: string): Logger {
  const pretty = process.stdout.isTTY && level !== 'silent'
  return pino({
    level,
    redact: ['*.token', '*.password', '*.authorization', 'headers.authorization'],
    ...(pretty ? { transport: { target: 'pino-pretty', options: { ignore: 'pid,hostname' } } } : {}),
  })
}
