// Readers for the deployment files, just enough to check them against the code without Docker.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { parse as parseYaml } from 'yaml'

export const ROOT = path.resolve(import.meta.dirname, '../..')

export const readRepoFile = (file: string) => readFileSync(path.join(ROOT, file), 'utf8')

// --- Dockerfile ---------------------------------------------------------------------------------

export interface Instruction {
  keyword: string
  args: string
}

export interface Stage {
  image: string
  name: string | undefined
  instructions: Instruction[]
}

/**
 * Splits a Dockerfile into stages of instructions. Handles what Docker's parser does with `\`
 * line continuations and `#` comment lines (also inside a continued instruction); no heredocs.
 */
export function parseDockerfile(text: string): Stage[] {
  const logical: string[] = []
  let pending = ''
  for (const line of text.split('\n')) {
    if (/^\s*#/.test(line)) continue
    if (/\\\s*$/.test(line)) {
      pending += line.replace(/\\\s*$/, ' ')
      continue
    }
    const whole = (pending + line).trim()
    pending = ''
    if (whole) logical.push(whole)
  }
  const stages: Stage[] = []
  for (const entry of logical) {
    const [, keyword = '', args = ''] = /^(\S+)\s*(.*)$/.exec(entry) ?? []
    const instruction = { keyword: keyword.toUpperCase(), args }
    if (instruction.keyword === 'FROM') {
      const [image = '', , name] = args.replace(/--\S+\s+/g, '').split(/\s+/)
      stages.push({ image, name, instructions: [] })
    } else {
      const stage = stages.at(-1)
      if (!stage) throw new Error(`Dockerfile: ${keyword} before the first FROM`)
      stage.instructions.push(instruction)
    }
  }
  return stages
}

export const instructions = (stage: Stage, keyword: string) =>
  stage.instructions.filter((i) => i.keyword === keyword)

/** `["a", "b"]` (exec form) as an array; shell form as `['/bin/sh', '-c', text]`. */
export function commandOf(args: string): string[] {
  return args.trim().startsWith('[') ? (JSON.parse(args) as string[]) : ['/bin/sh', '-c', args]
}

/** Leading `--name=value` flags and the remaining words. */
export function splitFlags(args: string): { flags: Record<string, string>; words: string[] } {
  const flags: Record<string, string> = {}
  const words = args.trim().split(/\s+/)
  while (words[0]?.startsWith('--')) {
    const [name = '', value = ''] = words.shift()!.slice(2).split('=')
    flags[name] = value
  }
  return { flags, words }
}

/** `ENV A=1 B=2` (and the legacy `ENV A 1`) of a stage, later ones winning. Values unquoted. */
export function envOf(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {}
  for (const { args } of instructions(stage, 'ENV')) {
    if (!args.includes('=')) {
      const [name = '', ...value] = args.split(/\s+/)
      env[name] = value.join(' ')
      continue
    }
    for (const pair of args.match(/\S+=("[^"]*"|'[^']*'|\S*)/g) ?? []) {
      const at = pair.indexOf('=')
      env[pair.slice(0, at)] = pair.slice(at + 1).replace(/^(["'])(.*)\1$/, '$2')
    }
  }
  return env
}

export interface Copy {
  from: string | undefined
  /** The stage's WORKDIR when the COPY ran. */
  workdir: string
  sources: string[]
  /** Absolute path in the image. */
  dest: string
  /** Sources go inside `dest` (a trailing `/`, `.`, or several sources), else `dest` is the file. */
  intoDir: boolean
}

export function copiesOf(stage: Stage): Copy[] {
  let workdir = '/'
  const copies: Copy[] = []
  for (const { keyword, args } of stage.instructions) {
    if (keyword === 'WORKDIR') workdir = path.posix.resolve(workdir, args.trim())
    if (keyword !== 'COPY' && keyword !== 'ADD') continue
    const { flags, words } = splitFlags(args)
    const dest = words.pop()!
    const intoDir = /(^|\/)\.{0,2}$/.test(dest) || words.length > 1
    copies.push({
      from: flags.from,
      workdir,
      sources: words,
      dest: path.posix.resolve(workdir, dest),
      intoDir,
    })
  }
  return copies
}

// --- .dockerignore ------------------------------------------------------------------------------

function globToRegExp(glob: string): RegExp {
  let out = ''
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!
    if (ch === '*' && glob[i + 1] === '*') {
      // `**/` matches any number of directories, including none.
      out += glob[i + 2] === '/' ? '(?:.*/)?' : '.*'
      i += glob[i + 2] === '/' ? 2 : 1
    } else if (ch === '*') out += '[^/]*'
    else if (ch === '?') out += '[^/]'
    else out += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&')
  }
  return new RegExp(`^${out}$`)
}

/**
 * Docker's rules (docs "`.dockerignore` file"): patterns are relative to the context root, a
 * match on a directory excludes what is inside it, `!` re-includes, and the last match wins.
 */
export function dockerIgnore(text: string): (file: string) => boolean {
  const rules = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const negate = l.startsWith('!')
      const pattern = path.posix
        .normalize((negate ? l.slice(1) : l).replace(/^\/+/, ''))
        .replace(/\/+$/, '')
      return { negate, re: globToRegExp(pattern) }
    })
  return (file) => {
    const parts = path.posix.normalize(file).replace(/\/+$/, '').split('/')
    const candidates = parts.map((_, i) => parts.slice(0, i + 1).join('/'))
    let ignored = false
    for (const { negate, re } of rules) {
      if (candidates.some((c) => re.test(c))) ignored = !negate
    }
    return ignored
  }
}

/** Every file below a repository directory (or the file itself), as repo-relative paths. */
export function filesUnder(rel: string): string[] {
  const abs = path.join(ROOT, rel)
  if (statSync(abs).isFile()) return [path.posix.normalize(rel)]
  const entries = readdirSync(abs, { recursive: true, withFileTypes: true })
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
}

// --- Compose ------------------------------------------------------------------------------------

export type Env = Record<string, string | undefined>

/**
 * Compose interpolation (Compose Spec, "Interpolation"): `$$` is a literal `$`; `${VAR}`, `$VAR`,
 * `${VAR:-default}` / `${VAR-default}`, and `${VAR:?error}` / `${VAR?error}` which fail.
 */
export function interpolate(text: string, env: Env): string {
  return text.replace(
    /\$(?:(\$)|\{([A-Za-z_]\w*)(?:(:?)([-?])([^}]*))?\}|([A-Za-z_]\w*))/g,
    (_match, dollar, name, colon, op, arg, bare) => {
      if (dollar) return '$'
      if (bare) return env[bare] ?? ''
      const value = env[name]
      const unset = colon ? !value : value === undefined
      if (op === '-' && unset) return arg
      if (op === '?' && unset)
        throw new Error(`required variable ${name} is missing a value: ${arg}`)
      return value ?? ''
    },
  )
}

function interpolateDeep(node: unknown, env: Env): unknown {
  if (typeof node === 'string') return interpolate(node, env)
  if (Array.isArray(node)) return node.map((n) => interpolateDeep(n, env))
  if (node && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, interpolateDeep(v, env)]))
  }
  return node
}

export interface ComposeService {
  image?: string
  build?: string | { context?: string; dockerfile?: string }
  environment?: Record<string, string | number | boolean | null> | string[]
  env_file?: string | string[] | { path: string; required?: boolean }[]
  ports?: (string | { target: number; published?: string | number; host_ip?: string })[]
  depends_on?: string[] | Record<string, { condition?: string }>
  volumes?: (string | { type: string; source?: string; target: string })[]
  healthcheck?: { test?: string | string[]; disable?: boolean }
  restart?: string
}

export interface ComposeFile {
  version?: unknown
  services: Record<string, ComposeService>
  volumes?: Record<string, unknown>
}

export function loadCompose(env: Env, file = 'docker-compose.yml'): ComposeFile {
  // merge: the web and worker services share an `x-pulse` block through a YAML merge key.
  return interpolateDeep(parseYaml(readRepoFile(file), { merge: true }), env) as ComposeFile
}

/** A service's `environment`, in either of its two forms, as strings. */
export function environmentOf(service: ComposeService): Record<string, string> {
  const env = service.environment ?? {}
  if (Array.isArray(env)) {
    return Object.fromEntries(env.map((e) => [e.split('=')[0]!, e.split('=').slice(1).join('=')]))
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]))
}

export function envFilesOf(service: ComposeService): { path: string; required: boolean }[] {
  const files = service.env_file === undefined ? [] : [service.env_file].flat()
  return files.map((f) =>
    typeof f === 'string' ? { path: f, required: true } : { required: true, ...f },
  )
}

/** Short (`[ip:]published:target[/protocol]`) or long port syntax. */
export function portsOf(
  service: ComposeService,
): { hostIp?: string; published?: number; target: number }[] {
  return (service.ports ?? []).map((p) => {
    if (typeof p !== 'string') {
      return {
        hostIp: p.host_ip,
        published: p.published === undefined ? undefined : Number(p.published),
        target: p.target,
      }
    }
    const parts = p.replace(/\/(tcp|udp)$/, '').split(':')
    const target = Number(parts.pop())
    const published = parts.length ? Number(parts.pop()) : undefined
    return { hostIp: parts.length ? parts.join(':') : undefined, published, target }
  })
}

/** What a POSIX shell does to `$VAR` and `${VAR}` in a healthcheck command (no other expansions). */
export const shellExpand = (command: string, env: Env) =>
  command.replace(/\$\{?([A-Za-z_]\w*)\}?/g, (_m, name: string) => env[name] ?? '')
