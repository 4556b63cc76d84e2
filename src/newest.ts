/** The newest of some instants (fetch, import or run times), or null when there is none. */
export function newest(dates: Iterable<Date | null | undefined>): Date | null {
  let latest: Date | null = null
  for (const date of dates) if (date && (!latest || date > latest)) latest = date
  return latest
}
