export interface BarData {
  labels: string[]
  datasets: { label: string; data: (number | null)[] }[]
}

/**
 * A horizontal bar chart, drawn by the client script from data-series like the trend charts; the
 * table beside it carries the same numbers for readers without JavaScript or a screen.
 */
export function BarChart({ title, data }: { title: string; data: BarData }) {
  return (
    <div class="chart-frame bar-frame">
      <canvas
        data-series={JSON.stringify(data)}
        data-chart="bar"
        role="img"
        aria-label={`${title}: bar chart; the table below has the values`}
      />
    </div>
  )
}
