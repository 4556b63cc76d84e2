import type { Child } from 'hono/jsx'

/** A right-aligned column of figures. */
export const num = (label: string) => ({ label, num: true as const })

export type Column = string | ReturnType<typeof num>

/** A benchmark table: one header row of columns, scrolling sideways on a narrow screen. */
export function BenchTable({ columns, children }: { columns: Column[]; children: Child }) {
  return (
    <div class="table-scroll">
      <table class="bench-table">
        <thead>
          <tr>
            {columns.map((c) =>
              typeof c === 'string' ? (
                <th scope="col">{c}</th>
              ) : (
                <th scope="col" class="num">
                  {c.label}
                </th>
              ),
            )}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  )
}
