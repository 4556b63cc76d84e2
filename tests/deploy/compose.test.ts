import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { envSchema, loadConfig } from '../../src/config.js'
import {
  dockerIgnore,
  envFilesOf,
  envOf,
  environmentOf,
  interpolate,
  loadCompose,
  parseDockerfile,
  portsOf,
  readRepoFile,
  ROOT,
  shellExpand,
  type ComposeService,
} from './deploy-files.js'

// What a user's .env holds, for interpolation; PORT here is the published (host) port.
const DOT_ENV = { POSTGRES_PASSWORD: 'c0ffee42', PORT: '8080' }
const compose = loadCompose(DOT_ENV)
const service = (name: string): ComposeService => {
  const found = compose.services[name]
  if (!found) throw new Error(`docker-compose.yml has no service "${name}"`)
  return found
}
const app = service('app')
const worker = service('worker')
const db = service('db')
const dbEnv = environmentOf(db)

/** What the app process sees: the image's ENV, then env_file (.env), then `environment:`. */
function containerEnv(dotEnv: Record<string, string>): Record<string, string> {
  const runtime = parseDockerfile(readRepoFile('Dockerfile')).at(-1)!
  const fromFiles = envFilesOf(app).some((f) => f.path === '.env') ? dotEnv : {}
  return { ...envOf(runtime), ...fromFiles, ...environmentOf(app) }
}

describe('docker-compose.yml', () => {
  it('follows the Compose Spec: no `version:` key, services built from this repository', () => {
    expect(compose).not.toHaveProperty('version')
    const build = typeof app.build === 'string' ? { context: app.build } : app.build
    expect(build, 'app must be built, not pulled').toBeDefined()
    const dockerfile = path.join(ROOT, build!.context ?? '.', build!.dockerfile ?? 'Dockerfile')
    expect(existsSync(dockerfile)).toBe(true)
  })

  it('refuses to start without POSTGRES_PASSWORD, and says where to set it', () => {
    expect(() => loadCompose({})).toThrow(/POSTGRES_PASSWORD.*set POSTGRES_PASSWORD in \.env/)
    expect(() => loadCompose({ POSTGRES_PASSWORD: '' })).toThrow(/POSTGRES_PASSWORD/)
  })

  it('sets on the app only variables that src/config.ts reads, with valid values', () => {
    const unknown = Object.keys(environmentOf(app)).filter((name) => !(name in envSchema.shape))
    expect(unknown, 'not in envSchema (src/config.ts)').toEqual([])
    expect(() => loadConfig(containerEnv({}))).not.toThrow()
  })

  it("points the app's DATABASE_URL at the db service's host, port, user, password and database", () => {
    const url = new URL(environmentOf(app).DATABASE_URL!)
    expect(url.protocol).toBe('postgres:')
    expect(Object.keys(compose.services)).toContain(url.hostname)
    expect(compose.services[url.hostname]!.image).toMatch(/^postgres:/)
    expect(Number(url.port || 5432)).toBe(Number(dbEnv.PGPORT ?? 5432))
    // The postgres image's defaults: user "postgres", database named after the user.
    const user = dbEnv.POSTGRES_USER ?? 'postgres'
    expect(decodeURIComponent(url.username)).toBe(user)
    expect(decodeURIComponent(url.password)).toBe(DOT_ENV.POSTGRES_PASSWORD)
    expect(dbEnv.POSTGRES_PASSWORD).toBe(DOT_ENV.POSTGRES_PASSWORD)
    expect(url.pathname).toBe(`/${dbEnv.POSTGRES_DB ?? user}`)
  })

  it('publishes the port the app listens on, whatever PORT the .env file sets', () => {
    const ports = portsOf(app)
    expect(ports).toHaveLength(1)
    const [port] = ports
    expect(port!.published, 'host port comes from PORT in .env').toBe(8080)
    expect(loadConfig(containerEnv(DOT_ENV)).PORT).toBe(port!.target)
    expect(portsOf(loadCompose({ POSTGRES_PASSWORD: 'x' }).services.app!)[0]!.published).toBe(3000)
    // The app listens on every interface of its container, or the published port reaches nothing.
    expect(loadConfig(containerEnv({ HOST: '127.0.0.1' })).HOST).toBe('0.0.0.0')
  })

  it('starts the app once the db answers: service_healthy on a pg_isready healthcheck', () => {
    const dependsOn = app.depends_on
    expect(dependsOn).not.toBeInstanceOf(Array)
    expect((dependsOn as Record<string, { condition?: string }>).db?.condition).toBe(
      'service_healthy',
    )
    const test = db.healthcheck?.test
    expect(db.healthcheck?.disable).not.toBe(true)
    expect(Array.isArray(test) ? test[0] : undefined).toBe('CMD-SHELL')
    // Expanded in the db container: the check asks for the same user and database.
    const command = shellExpand((test as string[]).slice(1).join(' '), dbEnv)
    expect(command).toMatch(/^pg_isready /)
    expect(command).toMatch(new RegExp(`-U "?${dbEnv.POSTGRES_USER ?? 'postgres'}"?( |$)`))
    expect(command).toMatch(new RegExp(`-d "?${dbEnv.POSTGRES_DB ?? dbEnv.POSTGRES_USER}"?( |$)`))
  })

  it("keeps Postgres's data on a named volume, at the data directory of the pinned major", () => {
    const [, major] = /^postgres:(\d+)(?:[.-]|$)/.exec(db.image ?? '') ?? []
    expect(major, 'postgres image pinned to a major version').toBeDefined()
    // postgres:18 moved PGDATA under /var/lib/postgresql/18/docker and mounts the parent.
    const dataDir = Number(major) >= 18 ? '/var/lib/postgresql' : '/var/lib/postgresql/data'
    const mounts = (db.volumes ?? []).map((v) =>
      typeof v === 'string' ? v.split(':') : [v.source, v.target],
    )
    const data = mounts.find(([, target]) => target === dataDir)
    expect(data, `a volume on ${dataDir}`).toBeDefined()
    expect(Object.keys(compose.volumes ?? {})).toContain(data![0])
  })

  it('restarts every service unless stopped', () => {
    expect([app.restart, worker.restart, db.restart]).toEqual(['unless-stopped', 'unless-stopped', 'unless-stopped'])
  })

  it('splits the roles: the app serves pages, one worker runs the jobs, same image and database', () => {
    expect(environmentOf(app).ROLE).toBe('web')
    expect(environmentOf(worker).ROLE).toBe('worker')
    expect(worker.build).toEqual(app.build)
    expect(environmentOf(worker).DATABASE_URL).toBe(environmentOf(app).DATABASE_URL)
    expect(worker.depends_on).toEqual(app.depends_on)
    expect(envFilesOf(worker)).toEqual(envFilesOf(app))
    // The worker publishes nothing: its /healthz and /metrics stay on the compose network.
    expect(worker.ports ?? []).toEqual([])
    const unknown = Object.keys(environmentOf(worker)).filter((name) => !(name in envSchema.shape))
    expect(unknown, 'not in envSchema (src/config.ts)').toEqual([])
    expect(loadConfig({ ...environmentOf(worker) }).ROLE).toBe('worker')
  })

  it('reads secrets from .env, which neither git nor the image build picks up', () => {
    const files = envFilesOf(app)
    expect(files.map((f) => f.path)).toEqual(['.env'])
    expect(dockerIgnore(readRepoFile('.dockerignore'))('.env')).toBe(true)
    // `git check-ignore` exits 1 when the path is not ignored, which throws here.
    expect(
      execFileSync('git', ['check-ignore', '.env'], { cwd: ROOT, encoding: 'utf8' }).trim(),
    ).toBe('.env')
  })
})

describe('the interpolation these tests rely on', () => {
  it('follows the Compose Spec', () => {
    const env = { A: 'a', EMPTY: '' }
    expect(interpolate('$$A ${A} $A ${B:-d} ${EMPTY:-d} ${EMPTY-d} ${B}.', env)).toBe(
      '$A a a d d  .',
    )
    expect(() => interpolate('${B:?say why}', env)).toThrow('say why')
    expect(() => interpolate('${EMPTY:?say why}', env)).toThrow('say why')
    expect(interpolate('${EMPTY?say why}', env)).toBe('')
  })
})
