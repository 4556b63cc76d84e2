import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { BUILD_DIR } from '../../src/server/static-assets.js'

/** The app serves the built client bundle; build it when `vitest` runs without `npm test`. */
export default function setup(): void {
  if (!existsSync(`${BUILD_DIR}/app.js`)) execFileSync('node', ['scripts/build-client.mjs'], { stdio: 'inherit' })
}
