# Framework Pulse: one image that serves the dashboard and runs the collection jobs.
#   docker build -t framework-pulse .
#   docker run -p 3000:3000 -v pulse-data:/data framework-pulse   (embedded PGlite in /data)
# With Postgres, use docker-compose.yml instead (DATABASE_URL set, /data unused).

# --- build: dev dependencies (esbuild) bundle the client script and stylesheet -------------------
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY scripts/ scripts/
COPY src/ src/
# Writes public/build/app.js and app.css (scripts/build-client.mjs).
RUN npm run build

# --- runtime: production dependencies only; tsx runs the TypeScript sources as they are ---------
FROM node:24-bookworm-slim
ENV NODE_ENV=production DATA_DIR=/data PORT=3000
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
# tsx reads tsconfig.json for the JSX settings (jsxImportSource hono/jsx).
COPY tsconfig.json ./
# Migrations are run at start-up from db/migrations (src/db/migrate.ts).
COPY db/ db/
COPY src/ src/
# Served from public/build (BUILD_DIR in src/server/static-assets.ts).
COPY --from=build /app/public/build/ public/build/
# The code stays owned by root and read-only to the app; only the PGlite directory is writable.
# A named volume mounted on /data starts with this ownership.
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
# Slim images have no curl: Node's own fetch asks /healthz (src/server/app.tsx).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Not `npm start` (its prestart bundles with esbuild, a dev dependency absent here), and not the
# tsx CLI: it SIGKILLs a child that is busy for 30 ms after SIGTERM, cutting graceful shutdown short.
CMD ["node", "--import", "tsx", "src/main.ts"]
