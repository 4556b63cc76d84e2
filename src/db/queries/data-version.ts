import type { Db } from '../database.js'

/** The counter every data write bumps; render caches key on it. */
export async function dataVersion(db: Db): Promise<string> {
  const row = await db.selectFrom('data_version').select('version').executeTakeFirstOrThrow()
  return row.version
}
