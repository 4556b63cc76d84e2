import { CHARTS, type ChartName } from '../../charts.js'
import type { Db } from '../database.js'
import { metricSeries, type Range, type SeriesResult } from './series.js'

export type ChartResults = Record<ChartName, SeriesResult[]>

/** Every chart of a framework page for one range: one series query per metric. */
export async function frameworkCharts(db: Db, frameworkId: number, range: Range): Promise<ChartResults> {
  const entries = await Promise.all(
    (Object.keys(CHARTS) as ChartName[]).map(async (name) => {
      const results = await Promise.all(CHARTS[name].metrics.map((metric) => metricSeries(db, { frameworkId, metric, range })))
      return [name, results] as const
    }),
  )
  return Object.fromEntries(entries) as ChartResults
}
