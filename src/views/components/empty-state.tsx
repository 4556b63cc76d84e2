import type { Child } from 'hono/jsx'

/** Where data is missing the page says so, and why: never a blank chart or a made-up number. */
export function EmptyState({ title, children }: { title: string; children?: Child }) {
  return (
    <div class="empty-state" role="note">
      <strong>{title}</strong>
      {children && <div>{children}</div>}
    </div>
  )
}
