// Bundles the one client script (with only the Chart.js parts it registers) and the stylesheet.
import { build } from 'esbuild'

await build({
  entryPoints: ['src/views/client/app.ts', 'src/views/client/app.css'],
  outdir: 'public/build',
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['es2020'],
  legalComments: 'none',
  logLevel: 'warning',
})
