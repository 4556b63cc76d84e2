import type { Child } from 'hono/jsx'
import type { AssetUrls } from './assets.js'
import { feedLinks, type FeedLink } from './feed-links.js'

const FAVICON =
  "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'%3E%3Crect width='32' height='32' rx='7' fill='%230b62b8'/%3E%3Cpath d='M4 17h6l3-7 5 13 3-6h7' fill='none' stroke='%23fff' stroke-width='3' stroke-linecap='round' stroke-linejoin='round'/%3E%3C/svg%3E"

export interface LayoutProps {
  title: string
  assets: AssetUrls
  description?: string
  /** Feeds of this page's subject, announced after the site's own (autodiscovery). */
  feeds?: FeedLink[]
  children: Child
}

// Every page announces the site-wide feeds, so a reader finds them from any URL.
const SITE_FEEDS = feedLinks('Framework Pulse: all frameworks', '')

export function Layout({ title, assets, description, feeds = [], children }: LayoutProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <title>{`${title} · Framework Pulse`}</title>
        {description && <meta name="description" content={description} />}
        {/* Inline, so browsers do not ask for /favicon.ico and log a 404 on every first visit. */}
        <link rel="icon" href={FAVICON} />
        {[...SITE_FEEDS, ...feeds].map((feed) => (
          <link rel="alternate" type={feed.type} title={feed.title} href={feed.href} />
        ))}
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
            <a href="/compare">Compare</a>
            <a href="/benchmarks">Benchmarks</a>
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
