import type { Child } from 'hono/jsx'
import type { AssetUrls } from './assets.js'

export interface LayoutProps {
  title: string
  assets: AssetUrls
  description?: string
  children: Child
}

export function Layout({ title, assets, description, children }: LayoutProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <title>{`${title} · Framework Pulse`}</title>
        {description && <meta name="description" content={description} />}
        <link rel="stylesheet" href={assets.css} />
        <script src={assets.htmx} defer />
        <script src={assets.app} defer />
      </head>
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="site-header">
          <a class="brand" href="/">
            Framework Pulse
          </a>
          <nav aria-label="Main">
            <a href="/">Overview</a>
            <a href="/status">Status</a>
          </nav>
        </header>
        <main id="main">{children}</main>
        <footer class="site-footer">
          <p>
            Framework Pulse puts public signals beside the claims of the guide “Top 10 Backend Web
            Development Frameworks in 2026”. Every figure names its source and when it was fetched.
          </p>
        </footer>
      </body>
    </html>
  )
}
