import { execFile } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { builtinModules } from 'node:module'
import path from 'node:path'
import { promisify } from 'node:util'
import { serve, type ServerType } from '@hono/node-server'
import { Hono } from 'hono'
import { afterEach, describe, expect, it } from 'vitest'
import { DEFAULT_CATALOG_FILE } from '../../src/catalog/catalog.js'
import { envSchema, loadConfig } from '../../src/config.js'
import { MIGRATIONS_DIR } from '../../src/db/migrate.js'
import { GUIDE_SNAPSHOT_FILE } from '../../src/jobs/guide-job.js'
import { createLogger } from '../../src/logger.js'
import { createApp } from '../../src/server/app.js'
import { BUILD_DIR } from '../../src/server/static-assets.js'
import { useTestDatabase } from '../helpers/test-db.js'
import {
  commandOf,
  copiesOf,
  dockerIgnore,
  envOf,
  filesUnder,
  instructions,
  parseDockerfile,
  readRepoFile,
  ROOT,
  splitFlags,
} from './deploy-files.js'

const stages = parseDockerfile(readRepoFile('Dockerfile'))
const runtime = stages.at(-1)!
const ignored = dockerIgnore(readRepoFile('.dockerignore'))
const pkg = JSON.parse(readRepoFile('package.json')) as {
  dependencies: Record<string, string>
  devDependencies: Record<string, string>
}
const repoPath = (abs: string) => path.relative(ROOT, abs).split(path.sep).join('/')
const last = (stage: typeof runtime, keyword: string) => instructions(stage, keyword).at(-1)?.args

/** Where a repository path ends up in the final image, if any COPY puts it there. */
function imagePathOf(file: string): string | undefined {
  for (const copy of copiesOf(runtime)) {
    for (const source of copy.sources) {
      let repoSource = source.replace(/\/+$/, '')
      if (copy.from !== undefined) {
        // From an earlier stage: only paths that stage built from its own copy of the repository.
        const stage = stages.find((s) => s.name === copy.from)
        const workdir = stage && copiesOf(stage).at(-1)?.workdir
        if (!workdir || !path.posix.isAbsolute(source)) continue
        repoSource = path.posix.relative(workdir, source.replace(/\/+$/, ''))
      }
      if (file === repoSource)
        return copy.intoDir ? path.posix.join(copy.dest, path.posix.basename(file)) : copy.dest
      if (file.startsWith(`${repoSource}/`))
        return path.posix.join(copy.dest, file.slice(repoSource.length + 1))
    }
  }
  return undefined
}

describe('Dockerfile', () => {
  it('builds and runs on the same Node 24 LTS slim image (STACK.md)', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2)
    expect(new Set(stages.map((s) => s.image))).toEqual(new Set(['node:24-bookworm-slim']))
  })

  it('copies from the build context only paths that exist and .dockerignore lets through', () => {
    const sources = copiesOf(runtime)
      .concat(stages.slice(0, -1).flatMap(copiesOf))
      .filter((c) => c.from === undefined)
      .flatMap((c) => c.sources)
    expect(sources.length).toBeGreaterThan(0)
    for (const source of sources) {
      expect(existsSync(path.join(ROOT, source)), `COPY ${source}: not in the repository`).toBe(
        true,
      )
      const files = filesUnder(source)
      const dropped = files.filter(ignored)
      expect(dropped, `COPY ${source}: excluded by .dockerignore`).toEqual([])
    }
  })

  it('leaves dependencies, local data, secrets and built files out of the build context', () => {
    for (const file of [
      'node_modules/hono/package.json',
      'data/base/1',
      '.env',
      'public/build/app.js',
      '.git/HEAD',
    ]) {
      expect(ignored(file), file).toBe(true)
    }
    expect(ignored('src/main.ts')).toBe(false)
  })

  it('puts every file the app reads at run time where the code looks for it', () => {
    const needed = [
      repoPath(MIGRATIONS_DIR),
      repoPath(DEFAULT_CATALOG_FILE),
      repoPath(GUIDE_SNAPSHOT_FILE),
      `${repoPath(BUILD_DIR)}/app.js`,
      `${repoPath(BUILD_DIR)}/app.css`,
      // tsx takes the JSX settings (jsxImportSource) from it.
      'tsconfig.json',
      'package.json',
    ]
    const workdir = copiesOf(runtime).at(-1)!.workdir
    for (const file of needed) expect(imagePathOf(file), file).toBe(path.posix.join(workdir, file))
  })

  it("copies the client bundle from where the build stage's `npm run build` writes it", () => {
    const [, outdir] = /outdir:\s*'([^']+)'/.exec(readRepoFile('scripts/build-client.mjs')) ?? []
    expect(outdir).toBe(repoPath(BUILD_DIR))
    const build = stages.find((s) => copiesOf(runtime).some((c) => c.from === s.name))!
    expect(instructions(build, 'RUN').map((r) => r.args)).toContain('npm run build')
  })

  it('installs production dependencies only in the runtime stage', () => {
    const runs = instructions(runtime, 'RUN').map((r) => r.args)
    expect(runs.some((r) => /\bnpm ci\b.*--omit=dev/.test(r))).toBe(true)
  })

  it('starts src/main.ts in one node process with tsx, a production dependency, as a loader', () => {
    const cmd = commandOf(last(runtime, 'CMD') ?? '')
    // Not the tsx CLI: it SIGKILLs a busy child 30 ms after relaying SIGTERM.
    expect(cmd.slice(0, 3)).toEqual(['node', '--import', 'tsx'])
    expect(Object.keys(pkg.dependencies)).toContain('tsx')
    const script = cmd[3]
    expect(script).toBe('src/main.ts')
    expect(imagePathOf(script!)).toBeDefined()
    expect(existsSync(path.join(ROOT, script!))).toBe(true)
  })

  it('imports at run time only production dependencies', () => {
    // The client (src/views/client) is bundled at build time by esbuild: its imports are not run.
    const files = ['src', 'db']
      .flatMap(filesUnder)
      .filter((f) => /\.tsx?$/.test(f) && !f.startsWith('src/views/client/'))
    const specifiers = new Set<string>()
    for (const file of files) {
      const text = readFileSync(path.join(ROOT, file), 'utf8')
      const patterns = [
        /^\s*(?:import|export)\s+(?!type\b)[^'";]*?\sfrom\s+['"]([^'"]+)['"]/gm,
        /^\s*import\s+['"]([^'"]+)['"]/gm,
        /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
        /\brequire(?:\.resolve)?\(\s*['"]([^'"]+)['"]\s*\)/g,
      ]
      for (const re of patterns) for (const m of text.matchAll(re)) specifiers.add(m[1]!)
    }
    const tsconfig = JSON.parse(readRepoFile('tsconfig.json')) as {
      compilerOptions: { jsxImportSource?: string }
    }
    if (tsconfig.compilerOptions.jsxImportSource)
      specifiers.add(`${tsconfig.compilerOptions.jsxImportSource}/jsx-runtime`)
    const packages = [...specifiers]
      .filter((s) => !s.startsWith('.') && !s.startsWith('node:') && !builtinModules.includes(s))
      .map((s) =>
        s
          .split('/')
          .slice(0, s.startsWith('@') ? 2 : 1)
          .join('/'),
      )
    expect(packages).toContain('hono')
    const missing = [...new Set(packages)].filter((p) => !(p in pkg.dependencies))
    expect(missing, 'imported by src/ or db/ but not in "dependencies"').toEqual([])
  })

  it('sets only variables the app or Node reads, to values src/config.ts accepts', () => {
    const env = envOf(runtime)
    const unknown = Object.keys(env).filter(
      (name) => name !== 'NODE_ENV' && !(name in envSchema.shape),
    )
    expect(unknown).toEqual([])
    expect(env).toMatchObject({ NODE_ENV: 'production', DATA_DIR: '/data' })
    const config = loadConfig(env)
    expect(last(runtime, 'EXPOSE')?.split(/\s+/)).toEqual([`${config.PORT}`])
  })

  it('runs as the unprivileged node user, owning its PGlite directory', () => {
    expect(last(runtime, 'USER')).toBe('node')
    const dataDir = envOf(runtime).DATA_DIR!
    const runs = instructions(runtime, 'RUN').map((r) => r.args)
    expect(runs.some((r) => r.includes(`chown node:node ${dataDir}`))).toBe(true)
  })
})

describe('Dockerfile HEALTHCHECK', () => {
  const t = useTestDatabase()
  const exec = promisify(execFile)
  let server: ServerType | undefined

  afterEach(
    () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
  )

  const listen = (fetch: (req: Request) => Response | Promise<Response>) =>
    new Promise<number>((resolve) => {
      server = serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) =>
        resolve(info.port),
      )
    })

  /** Runs the check as Docker would: exit 0 is healthy. */
  async function check(port: number): Promise<number> {
    const { flags, words } = splitFlags(last(runtime, 'HEALTHCHECK') ?? '')
    expect(Number.parseInt(flags.timeout ?? '30')).toBeGreaterThan(0)
    expect(words[0]).toBe('CMD')
    const [bin, ...args] = commandOf(words.slice(1).join(' '))
    expect(bin).toBe('node')
    const env = { PATH: process.env.PATH, PORT: String(port) }
    return exec(process.execPath, args, { env, timeout: 10_000 }).then(
      () => 0,
      (error: { code?: number }) => error.code ?? -1,
    )
  }

  it('passes against the real app', async () => {
    const log = createLogger('silent')
    const app = createApp({
      db: t.db,
      dbKind: t.handle.kind,
      catalog: t.catalog,
      collected: new Set(['npm']),
      log,
      publicUrl: 'http://pulse.test',
    })
    expect(await check(await listen(app.fetch))).toBe(0)
  })

  it('fails when the app answers with an error, or does not answer', async () => {
    const broken = new Hono().all('*', (c) => c.text('no', 503))
    const port = await listen(broken.fetch)
    expect(await check(port)).not.toBe(0)
    await new Promise<void>((resolve) => server!.close(() => resolve()))
    server = undefined
    expect(await check(port)).not.toBe(0)
  })
})
