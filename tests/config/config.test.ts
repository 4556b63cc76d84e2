import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { ConfigError, envSchema, loadConfig } from '../../src/config.js'

describe('configuration', () => {
  it('defaults to the public upstreams and the embedded database', () => {
    const config = loadConfig({})
    expect(config).toMatchObject({
      PORT: 3000,
      DATA_DIR: './data',
      GUIDE_URL: 'https://www.kaashivinfotech.com/blog/wp-json/wp/v2/posts/25042',
      NPM_API_URL: 'https://api.npmjs.org',
      NPM_REGISTRY_URL: 'https://registry.npmjs.org',
      ROLE: 'both',
    })
    expect(config.DATABASE_URL).toBeUndefined()
  })

  it('treats an empty DATABASE_URL or PORT as unset and trims trailing slashes from base URLs', () => {
    const config = loadConfig({ DATABASE_URL: '', PORT: ' ', NPM_API_URL: 'http://mirror.local/npm/' })
    expect(config.DATABASE_URL).toBeUndefined()
    expect(config.PORT).toBe(3000)
    expect(() => loadConfig({ PORT: 'abc' })).toThrow('PORT="abc": must be a whole number from 0 to 65535')
    expect(() => loadConfig({ PORT: '3000.5' })).toThrow('PORT="3000.5": must be a whole number from 0 to 65535')
    expect(config.NPM_API_URL).toBe('http://mirror.local/npm')
  })

  it('PUBLIC_URL defaults to localhost on PORT; an explicit value is kept', () => {
    expect(loadConfig({}).PUBLIC_URL).toBe('http://localhost:3000')
    expect(loadConfig({ PORT: '3917' }).PUBLIC_URL).toBe('http://localhost:3917')
    expect(loadConfig({ PORT: '3917', PUBLIC_URL: '' }).PUBLIC_URL).toBe('http://localhost:3917')
    expect(loadConfig({ PORT: '3917', PUBLIC_URL: 'https://pulse.example.org/' }).PUBLIC_URL).toBe('https://pulse.example.org')
    expect(() => loadConfig({ PUBLIC_URL: 'ftp://x' })).toThrow('PUBLIC_URL="ftp://x": must be an http(s) URL')
  })

  it('names every bad variable on its own line', () => {
    const env = { PORT: 'eighty', NPM_API_URL: 'ftp://x', SCHEDULE_NPM: 'every day', DATABASE_URL: 'mysql://x' }
    let error: unknown
    try {
      loadConfig(env)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ConfigError)
    const lines = (error as Error).message.split('\n').slice(1)
    expect(lines).toHaveLength(4)
    expect(lines).toContain('NPM_API_URL="ftp://x": must be an http(s) URL')
    expect(lines).toContain('SCHEDULE_NPM="every day": must be a cron expression like "0 */6 * * *"')
    expect(lines).toContain('DATABASE_URL="mysql://x": must be a postgres:// URL')
    expect(lines.find((l) => l.startsWith('PORT="eighty": '))).toBeDefined()
  })

  it('LIVE_POLL_SECONDS is 60 by default and 5 to 3600 seconds', () => {
    expect(loadConfig({}).LIVE_POLL_SECONDS).toBe(60)
    expect(loadConfig({ LIVE_POLL_SECONDS: '' }).LIVE_POLL_SECONDS).toBe(60)
    expect(loadConfig({ LIVE_POLL_SECONDS: '15' }).LIVE_POLL_SECONDS).toBe(15)
    expect(() => loadConfig({ LIVE_POLL_SECONDS: '1' })).toThrow('LIVE_POLL_SECONDS="1": must be at least 5 (seconds)')
    expect(() => loadConfig({ LIVE_POLL_SECONDS: '7200' })).toThrow('LIVE_POLL_SECONDS="7200": must be at most 3600 (seconds)')
    expect(() => loadConfig({ LIVE_POLL_SECONDS: '2.5' })).toThrow('LIVE_POLL_SECONDS="2.5": must be a whole number of seconds')
  })

  it('.env.example lists every variable', async () => {
    const { readFile } = await import('node:fs/promises')
    const example = await readFile(new URL('../../.env.example', import.meta.url), 'utf8')
    const listed = [...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1])
    // POSTGRES_PASSWORD belongs to docker-compose.yml's database service, not to the app.
    expect(new Set(listed)).toEqual(new Set([...Object.keys(envSchema.shape), 'POSTGRES_PASSWORD']))
  })

  it('a bad value stops the process with a one-line reason and exit code 1', async () => {
    const run = promisify(execFile)
    const result = await run('node', ['--import', 'tsx', 'src/main.ts'], {
      env: { ...process.env, PORT: '-1', LOG_LEVEL: 'silent' },
    }).catch((e: { code: number; stderr: string }) => e)
    expect('code' in result && result.code).toBe(1)
    expect(result.stderr.trim().split('\n')).toEqual([
      'framework-pulse: invalid configuration:',
      expect.stringMatching(/^PORT="-1": /),
    ])
  })
})
