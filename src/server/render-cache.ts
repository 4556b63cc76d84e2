import { gzipSync } from 'node:zlib'
import type { Db } from '../db/database.js'
import { dataVersion } from '../db/queries/data-version.js'

export interface Rendered {
  /** UTF-8 bytes, encoded once per version rather than once per request. */
  body: Uint8Array<ArrayBuffer>
  /** The same bytes gzipped, compressed on first demand and then reused. */
  gzip(): Uint8Array<ArrayBuffer>
  etag: string
  /** The data version (and UTC day) it renders. */
  version: string
}

/**
 * Rendered responses keyed by URL, valid while the database's data version is unchanged.
 * The version is read at most once per `versionTtlMs`, so a hot page costs no query at all;
 * other processes' writes show up within that interval.
 */
export class RenderCache {
  private readonly entries = new Map<string, Rendered>()
  // One render per key and version, however many requests miss at once (a write invalidates
  // every page while hundreds of clients ask for the same few): the rest wait for it.
  private readonly rendering = new Map<string, Promise<Rendered>>()
  private lastRead: { value: string; readAt: number } | null = null
  private reading: Promise<string> | null = null

  constructor(
    private readonly db: Db,
    private readonly options: { maxEntries: number; versionTtlMs: number },
  ) {}

  async get(key: string, render: () => Promise<string>): Promise<Rendered> {
    const version = await this.version()
    const hit = this.entries.get(key)
    if (hit && hit.version === version) {
      // Re-insert so Map order doubles as least-recently-used order.
      this.entries.delete(key)
      this.entries.set(key, hit)
      return hit
    }
    const flight = `${version} ${key}`
    const pending = this.rendering.get(flight)
    if (pending) return pending
    const rendered = this.render(key, version, render).finally(() => this.rendering.delete(flight))
    this.rendering.set(flight, rendered)
    return rendered
  }

  private async render(key: string, version: string, render: () => Promise<string>): Promise<Rendered> {
    const body = new TextEncoder().encode(await render())
    let gzipped: Uint8Array<ArrayBuffer> | undefined
    const gzip = () => (gzipped ??= new Uint8Array(gzipSync(body)))
    const entry = { body, gzip, version, etag: `W/"${version}-${hash(key)}"` }
    this.entries.set(key, entry)
    if (this.entries.size > this.options.maxEntries) this.entries.delete(this.entries.keys().next().value!)
    return entry
  }

  /** The data version and UTC day that renderings are valid for, read at most once per versionTtlMs. */
  async version(): Promise<string> {
    const now = Date.now()
    const fresh = this.freshVersion(now)
    if (fresh !== undefined) return fresh
    // One read at a time: requests arriving while it runs share its answer.
    this.reading ??= this.readVersion(now).finally(() => (this.reading = null))
    return this.reading
  }

  private async readVersion(now: number): Promise<string> {
    // Pages say "n days ago": a new UTC day renders them afresh even when no data changed.
    const day = new Date(now).toISOString().slice(0, 10).replaceAll('-', '')
    this.lastRead = { value: `${await dataVersion(this.db)}.${day}`, readAt: now }
    return this.lastRead.value
  }

  /** The version when the last read is still trusted, without a query or a promise (the response memo's hits). */
  freshVersion(now = Date.now()): string | undefined {
    return this.lastRead && now - this.lastRead.readAt < this.options.versionTtlMs ? this.lastRead.value : undefined
  }
}

// FNV-1a: short and stable, enough to tell two URLs' ETags apart.
function hash(text: string): string {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193)
  return (h >>> 0).toString(36)
}
