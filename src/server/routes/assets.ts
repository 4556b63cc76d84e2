import { Hono } from 'hono'
import type { StaticAssets } from '../static-assets.js'

export function assetRoutes(assets: StaticAssets) {
  return new Hono().get('/:name', (c) => {
    const asset = assets.byName.get(c.req.param('name'))
    if (!asset) return c.notFound()
    // The name holds a content hash: a changed file gets a new URL, so this one never changes.
    c.header('Cache-Control', 'public, max-age=31536000, immutable')
    c.header('Content-Type', asset.type)
    return c.body(new Uint8Array(asset.body))
  })
}
