import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import type { AssetUrls } from '../views/assets.js'

export const BUILD_DIR = path.resolve(import.meta.dirname, '../../public/build')

export interface Asset {
  body: Buffer
  type: string
}

export interface StaticAssets {
  urls: AssetUrls
  byName: Map<string, Asset>
}

/**
 * Reads the client bundle (built by `npm run build`) and htmx from its package, once. URLs carry
 * a content hash, so the files can be cached as immutable.
 */
export function loadStaticAssets(): StaticAssets {
  const require = createRequire(import.meta.url)
  const files = {
    css: { file: path.join(BUILD_DIR, 'app.css'), type: 'text/css; charset=utf-8' },
    app: { file: path.join(BUILD_DIR, 'app.js'), type: 'text/javascript; charset=utf-8' },
    htmx: { file: require.resolve('htmx.org/dist/htmx.min.js'), type: 'text/javascript; charset=utf-8' },
  }
  const byName = new Map<string, Asset>()
  const urls = {} as AssetUrls
  for (const [key, { file, type }] of Object.entries(files) as [keyof AssetUrls, { file: string; type: string }][]) {
    if (!existsSync(file)) throw new Error(`missing client asset ${file}: run \`npm run build\` first`)
    const body = readFileSync(file)
    const name = `${key}.${createHash('sha256').update(body).digest('hex').slice(0, 12)}${path.extname(file)}`
    byName.set(name, { body, type })
    urls[key] = `/assets/${name}`
  }
  return { urls, byName }
}
