import { PGlite } from '@electric-sql/pglite'
import { createPgConfig } from '@electric-sql/pglite/node-postgres'
let t=Date.now()
const p = new PGlite()
await p.waitReady
console.log('mem init', Date.now()-t)
t=Date.now()
const c = await p.clone()
console.log('clone', Date.now()-t)
console.log(Object.keys(await import('@electric-sql/pglite/node-postgres')))
console.log(createPgConfig.toString().slice(0,600))
await p.close()
