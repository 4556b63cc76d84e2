#!/usr/bin/env bash
# Requests/s of cached pages against a Hono hello world in the same process (wrk from Debian:
# `apt-get install wrk`). The app is seeded with every source's fixture data and logs as in
# production (LOG_LEVEL=info, lines to /dev/null). Usage: bash bench/pages.sh (see BENCHMARKS.md)
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
node --import tsx bench/serve-seeded.ts >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null' EXIT
for _ in $(seq 240); do grep -q ready "$log" && break; sleep 0.5; done
grep -q ready "$log" || { cat "$log"; exit 1; }

app=http://127.0.0.1:3101
gzip='Accept-Encoding: gzip'
run() { # name url [header]
  local out
  out=$(wrk -t1 -c50 -d10s --latency ${3:+-H "$3"} "$2")
  printf '%-52s %10s req/s  p99 %s\n' "$1" "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" "$(awk '$1=="99%" {print $2}' <<<"$out")"
}
for path in / /frameworks/express; do wrk -t1 -c10 -d2s -H "$gzip" "$app$path" >/dev/null; done   # warm caches and the JIT
run 'Hono hello world' http://127.0.0.1:3102/
run '/ (gzip, as browsers ask)' "$app/" "$gzip"
run '/frameworks/express (gzip)' "$app/frameworks/express" "$gzip"
run '/ (no Accept-Encoding: full HTML)' "$app/"
run '/live/overview poll, unchanged (304)' "$app/live/overview" "If-None-Match: $(curl -s -o /dev/null -D - "$app/live/overview" | awk 'tolower($1)=="etag:" {print $2}' | tr -d '\r')"
run '/frameworks/express/chart?range=1y (fragment, gzip)' "$app/frameworks/express/chart?range=1y" "$gzip"
echo
for path in / /frameworks/express /compare /benchmarks; do
  printf '%-30s %8s bytes (gzip)\n' "$path" "$(curl -s -H "$gzip" -o /dev/null -w '%{size_download}' "$app$path")"
done
