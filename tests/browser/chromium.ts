import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'

/**
 * Debian's `chromium` package (apt-get install -y chromium); a downloaded browser is never used.
 * CHROMIUM_PATH points elsewhere (another distribution's package, or a missing path to check the
 * skip and REQUIRE_BROWSER behaviour).
 */
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium'
export const hasChromium = existsSync(CHROMIUM)
/** CI sets REQUIRE_BROWSER=1 so a missing browser fails the run instead of skipping it. */
export const browserRequired = process.env.REQUIRE_BROWSER === '1'

export const SCREENSHOTS = path.resolve(import.meta.dirname, 'screenshots')

export interface Browser {
  context: BrowserContext
  close(): Promise<void>
}

/** A fresh profile in a temporary directory, removed on close. */
export async function launchChromium(): Promise<Browser> {
  const profile = mkdtempSync(path.join(tmpdir(), 'fp-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
  return {
    context,
    close: async () => {
      await context.close()
      rmSync(profile, { recursive: true, force: true })
    },
  }
}

/** What a page complained about: console errors, uncaught exceptions, CSP violations. */
export interface Problems {
  console: string[]
  pageErrors: string[]
  csp: string[]
}

/**
 * Opens a page that records its problems. CSP violations are reported by a listener installed
 * before any page script runs (init scripts are exempt from the page's CSP), through a binding
 * that survives navigations.
 *
 * `now` is the test's clock: the page's Date starts there and flows (timers run as usual), so
 * what the client computes from it ("Updated 3 min ago") agrees with the server's data on any
 * real day. Move it on with `page.clock.setSystemTime` when the test's clock moves.
 */
export async function openPage(
  context: BrowserContext,
  { now }: { now?: Date } = {},
): Promise<{ page: Page; problems: Problems }> {
  const page = await context.newPage()
  if (now) await page.clock.setSystemTime(now)
  const problems: Problems = { console: [], pageErrors: [], csp: [] }
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.console.push(`${msg.text()} (${msg.location().url})`)
  })
  page.on('pageerror', (error) => problems.pageErrors.push(String(error)))
  await page.exposeBinding('__reportCsp', (_source, violation: string) => {
    problems.csp.push(violation)
  })
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      const report = (window as unknown as { __reportCsp: (v: string) => void }).__reportCsp
      report(
        `${e.violatedDirective} blocked ${e.blockedURI || 'inline'} in ${e.sourceFile || e.documentURI}:${e.lineNumber}`,
      )
    })
  })
  return { page, problems }
}

/**
 * The pages a test file opens, each sized and in a colour scheme and on the test's clock (`now`),
 * all closed by closeAll (call it after each test). `browser` is read when a page opens: files
 * launch Chromium in beforeAll.
 */
export function pagePool(browser: () => Browser, { now }: { now?: Date } = {}) {
  const open: Page[] = []
  return {
    async newPage({ width = 1280, dark = false }: { width?: number; dark?: boolean } = {}) {
      const opened = await openPage(browser().context, { now })
      open.push(opened.page)
      await opened.page.setViewportSize({ width, height: 800 })
      await opened.page.emulateMedia({ colorScheme: dark ? 'dark' : 'light' })
      return opened
    },
    closeAll: () => Promise.all(open.splice(0).map((page) => page.close())),
  }
}
