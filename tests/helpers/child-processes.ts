import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterEach } from 'vitest'
import { envSchema } from '../../src/config.js'
import { TEST_DATABASE_URL, type TestDatabase } from './test-db.js'

export interface Launched {
  child: ChildProcess
  exited: Promise<number | null>
  output(): string
}

/**
 * Runs the real entry points as a user does (`node --import tsx <script>`, what the npm scripts
 * run) and kills whatever is left after each test.
 */
export function useChildProcesses(t: TestDatabase) {
  const children: ChildProcess[] = []
  afterEach(() => children.forEach((c) => c.kill('SIGKILL')))
  return {
    /** Where a child keeps its data: this file's Postgres database, or a fresh PGlite directory. */
    storage(): Record<string, string> {
      return TEST_DATABASE_URL ? { DATABASE_URL: t.url! } : { DATA_DIR: mkdtempSync(path.join(tmpdir(), 'fp-e2e-')) }
    },
    launch(script: string, args: string[], env: Record<string, string>): Launched {
      const child = spawn('node', ['--import', 'tsx', script, ...args], { env: { ...process.env, LOG_LEVEL: 'warn', ...env } })
      children.push(child)
      let output = ''
      child.stdout!.on('data', (d) => (output += d))
      child.stderr!.on('data', (d) => (output += d))
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
      return { child, exited, output: () => output }
    },
  }
}

/** Polls `url` until it answers (the server is up) or the deadline passes. */
export async function waitFor(url: string, deadlineMs: number): Promise<Response> {
  const deadline = Date.now() + deadlineMs
  for (;;) {
    try {
      return await fetch(url)
    } catch (error) {
      if (Date.now() > deadline) throw error
      await sleep(200)
    }
  }
}

/**
 * Every upstream URL of the configuration pointed at `base` (a local address), so a child
 * process never reaches for the internet, not even a DNS lookup; tests then override the few
 * upstreams they serve.
 */
export function offline(base: string): Record<string, string> {
  const urls = Object.keys(envSchema.shape).filter((k) => /_URLS?$/.test(k) && !['DATABASE_URL', 'PUBLIC_URL'].includes(k))
  return Object.fromEntries(urls.map((k) => [k, k === 'TFB_RESULTS_URLS' ? '' : `${base}/${k.toLowerCase()}`]))
}

/** The port the app says it listens on: start it with PORT=0 and LOG_LEVEL=info (no port race). */
export async function listeningPort(app: Launched, deadlineMs = 60_000): Promise<number> {
  const deadline = Date.now() + deadlineMs
  for (;;) {
    const port = /listening on http:\/\/localhost:(\d+)/.exec(app.output())?.[1]
    if (port) return Number(port)
    if (app.child.exitCode !== null || Date.now() > deadline) throw new Error(`the app did not start:\n${app.output()}`)
    await sleep(100)
  }
}
