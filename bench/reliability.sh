#!/usr/bin/env bash
# Issue 12's suites in full mode: every fault on every source (slow ones too, a 100 MB body),
# 50,000 generated requests, and the migrations with data, on embedded PGlite and on the local
# PostgreSQL. `npm test` runs the same files in quick mode. Usage: bash bench/reliability.sh
# (results in RELIABILITY.md)
set -euo pipefail
cd "$(dirname "$0")/.."
export RELIABILITY=full FUZZ_CASES=${FUZZ_CASES:-50000}
files=(tests/reliability tests/db/migrate-with-data.test.ts)

status=0
echo "== PGlite"
npx vitest run "${files[@]}" || status=1

echo "== PostgreSQL (127.0.0.1:5432)"
db="fp_reliability_$$"
psql -q -h 127.0.0.1 -U postgres -d test -c "create database $db"
trap 'psql -q -h 127.0.0.1 -U postgres -d test -c "drop database if exists $db with (force)"' EXIT
TEST_DATABASE_URL="postgres://postgres@127.0.0.1:5432/$db" npx vitest run "${files[@]}" || status=1
exit $status
