import type { AssetUrls } from '../assets.js'
import { Layout } from '../layout.js'

export function NotFoundPage({ what, assets }: { what: string; assets: AssetUrls }) {
  return (
    <Layout title="Not found" assets={assets}>
      <h1>Not found</h1>
      <p>{what}</p>
      <p>
        <a href="/">Back to the overview</a>
      </p>
    </Layout>
  )
}

export function ErrorPage({ status, message, assets }: { status: number; message: string; assets: AssetUrls }) {
  return (
    <Layout title={errorTitle(status)} assets={assets}>
      <h1>{status >= 500 ? 'Something went wrong' : errorTitle(status)}</h1>
      <p>{message}</p>
      <p>
        <a href="/">Back to the overview</a>
      </p>
    </Layout>
  )
}

function errorTitle(status: number): string {
  if (status >= 500) return 'Server error'
  if (status === 401) return 'Not authorized'
  if (status === 429) return 'Too many requests'
  return 'Bad request'
}
