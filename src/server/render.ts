import type { JSX } from 'hono/jsx/jsx-runtime'

// Hono's c.html() adds no doctype; without one browsers render in quirks mode.
export async function renderPage(element: JSX.Element): Promise<string> {
  return `<!DOCTYPE html>${await element.toString()}`
}

export async function renderFragment(element: JSX.Element): Promise<string> {
  return String(await element.toString())
}
