#!/usr/bin/env bash
# Requests/s of cached pages against a Hono hello world on the same machine (wrk from Debian:
# `apt-get install wrk`). Usage: bash bench/pages.sh   (results go to stdout; see BENCHMARKS.md)
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
node --import tsx bench/serve-seeded.ts >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null' EXIT
for _ in $(seq 120); do grep -q ready "$log" && break; sleep 0.5; done
grep -q ready "$log" || { cat "$log"; exit 1; }

run() { # name url [header]
  local out
  out=$(wrk -t1 -c50 -d10s --latency ${3:+-H "$3"} "$2")
  printf '%-40s %10s req/s  p99 %s\n' "$1" "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" "$(awk '$1=="99%" {print $2}' <<<"$out")"
}
wrk -t1 -c10 -d2s http://127.0.0.1:3101/ >/dev/null   # warm the render cache and the JIT
run 'Hono hello world' http://127.0.0.1:3102/
run '/ (cached render)' http://127.0.0.1:3101/
run '/frameworks/express (cached render)' http://127.0.0.1:3101/frameworks/express
run '/frameworks/express/chart?range=1y' 'http://127.0.0.1:3101/frameworks/express/chart?range=1y'
run '/ with gzip' http://127.0.0.1:3101/ 'Accept-Encoding: gzip'
echo
for path in / /frameworks/express; do
  printf '%-30s %8s bytes (gzip)\n' "$path" "$(curl -s -H 'Accept-Encoding: gzip' -o /dev/null -w '%{size_download}' "http://127.0.0.1:3101$path")"
done
