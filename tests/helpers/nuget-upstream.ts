import type { FakeResponse, FakeUpstream, RecordedRequest } from './fake-upstream.js'
import { fixture } from './npm-upstream.js'

export const OPENAPI = 'Microsoft.AspNetCore.OpenApi'
export const INDEX_PATH = /^\/v3\/index\.json$/
export const SEARCH_PATH = /^\/query\?(.*)$/
export const REGISTRATION_PATH = /^\/v3\/registration5-gz-semver2\/([^/]+)\/index\.json$/
export const PAGE_PATH = /^\/v3\/registration5-gz-semver2\/([^/]+)\/page\/(.+)\.json$/

/** `totalDownloads` in tests/fixtures/nuget/search-openapi.json. */
export const OPENAPI_TOTAL = 204_429_310

/** A recorded body with every nuget.org host (api, azuresearch-*, www) pointed at the fake. */
export function onFake(body: unknown, fakeUrl: string): unknown {
  return JSON.parse(JSON.stringify(body).replace(/https:\/\/[a-z0-9-]+\.nuget\.org/g, fakeUrl))
}

// Registration files are blobs: a missing one is storage's XML error, not JSON (nuget.md).
const blobNotFound: FakeResponse = {
  status: 404,
  headers: { 'content-type': 'application/xml' },
  body:
    '<?xml version="1.0" encoding="utf-8"?><Error><Code>BlobNotFound</Code>' +
    '<Message>The specified blob does not exist.</Message></Error>',
}

export interface NuGetState {
  /** totalDownloads of the package in search. */
  total?: number
  /** Registration index with its one page inlined, or linking two pages to fetch. */
  registration?: 'inline' | 'paged'
}

/** A healthy nuget.org: service index, search and registration, all on the fake host. */
export function serveNuGet(fake: FakeUpstream, state: NuGetState = {}): void {
  const { total = OPENAPI_TOTAL, registration = 'inline' } = state
  const index = `nuget/registration-openapi${registration === 'inline' ? '' : '-paged'}.json`
  const files: Record<string, string> = { 'microsoft.aspnetcore.openapi': index }
  fake.on(INDEX_PATH, { body: onFake(fixture('nuget/service-index.json'), fake.url) })
  fake.on(SEARCH_PATH, (_req, m) => ({ body: searchBody(new URLSearchParams(m[1]), total) }))
  fake.on(REGISTRATION_PATH, (req, m) => blob(req, files[m[1]!], fake.url))
  fake.on(PAGE_PATH, (req, m) =>
    blob(req, m[1] === 'microsoft.aspnetcore.openapi' ? pageFile(m[2]!) : undefined, fake.url),
  )
}

function pageFile(range: string): string | undefined {
  if (range === '7.0.0-rc.2.22476.2/9.0.0') return 'nuget/registration-openapi-page-1.json'
  if (range === '10.0.0-rc.2.25502.107/10.0.1') return 'nuget/registration-openapi-page-2.json'
  return undefined
}

/** A static file with an ETag per file, answering If-None-Match with 304 as a CDN would. */
function blob(req: RecordedRequest, file: string | undefined, fakeUrl: string): FakeResponse {
  if (!file) return blobNotFound
  const etag = `"${file.replace(/\W/g, '-')}"`
  if (req.headers['if-none-match'] === etag) return { status: 304, headers: { etag } }
  return { headers: { etag }, body: onFake(fixture(file), fakeUrl) }
}

/** The search body for `packageid:<id>` queries; `total` moves the newest version's count. */
function searchBody(params: URLSearchParams, total: number): unknown {
  const body = fixture('nuget/search-openapi.json') as {
    data: Array<{ id: string; totalDownloads: number; versions: Array<{ downloads: number }> }>
  }
  const q = params.get('q')?.toLowerCase()
  if (q !== `packageid:${OPENAPI.toLowerCase()}`) return { totalHits: 0, data: [] }
  const hit = body.data[0]!
  // totalDownloads is the sum of versions[].downloads (nuget.md): keep it so.
  hit.versions.at(-1)!.downloads += total - hit.totalDownloads
  hit.totalDownloads = total
  return body
}
