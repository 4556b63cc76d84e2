/** URLs of the static assets; `v` is a content hash so they can be cached forever. */
export interface AssetUrls {
  css: string
  app: string
  htmx: string
}
