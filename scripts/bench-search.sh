#!/usr/bin/env bash
# Customer search at scale (R4): loads N generated customers (default 1,000,000) into a fresh
# SQLite file and a fresh PostgreSQL database, serves each, and runs the bench_search example:
# p50/p95/p99 of GET /api/customers/search for a mix of 1-, 2-, 3+-character, no-hit and
# phone queries as four users (all / most / half / a few customers in scope), beside a naive
# LIKE '%q%' over the normalised columns in the same run; then the server's memory (RSS).
#
# Usage: scripts/bench-search.sh [sqlite|postgres|both]
#   N=1000000 REPS=20 PROFILE=release|dev PORT=3197
#   PG_ADMIN_URL=postgres://postgres@127.0.0.1:5432/postgres
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export LEPTOS_OUTPUT_NAME=daiko
which=${1:-both}
N=${N:-1000000}
REPS=${REPS:-20}
PROFILE=${PROFILE:-release}
PORT=${PORT:-3197}
PG_ADMIN_URL=${PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}
target=${CARGO_TARGET_DIR:-$ROOT/target}
dir_name=$([ "$PROFILE" = dev ] && echo debug || echo "$PROFILE")

echo "== building ($PROFILE)"
cargo build --profile "$PROFILE" -p daiko
cargo build --profile "$PROFILE" -p app --features ssr --example bench_search
work=$(mktemp -d)
# Copies: a shared target directory may be rebuilt by someone else meanwhile.
cp "$target/$dir_name/daiko" "$work/daiko"
cp "$target/$dir_name/examples/bench_search" "$work/bench_search"
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

run() {
  local name=$1 url=$2
  echo
  echo "######## $name: $N customers"
  export DATABASE_URL=$url LEPTOS_SITE_ADDR=127.0.0.1:$PORT
  "$work/daiko" migrate >/dev/null
  local t0=$SECONDS
  "$work/daiko" demo-data --customers "$N" >/dev/null
  echo "== demo-data --customers $N: $((SECONDS - t0)) s"
  DAIKO_DEV_OUTBOX=1 "$work/daiko" serve >"$work/$name.log" 2>&1 & pid=$!
  for _ in $(seq 120); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.5; done
  echo "== server RSS before: $(grep VmRSS /proc/$pid/status | awk '{print $2/1024 " MiB"}')"
  "$work/bench_search" "http://127.0.0.1:$PORT" "$url" "$REPS"
  echo "== server memory after: RSS $(grep VmRSS /proc/$pid/status | awk '{print $2/1024 " MiB"}'), peak $(grep VmHWM /proc/$pid/status | awk '{print $2/1024 " MiB"}')"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
}

if [ "$which" = sqlite ] || [ "$which" = both ]; then
  run sqlite "sqlite://$work/bench.sqlite?mode=rwc"
  echo "== SQLite file: $(du -sh "$work"/bench.sqlite* | awk '{s = s $1 " "} END {print s}')"
  rm -f "$work"/bench.sqlite*
fi
if [ "$which" = postgres ] || [ "$which" = both ]; then
  db=daiko_bench_search
  psql "$PG_ADMIN_URL" -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
  run postgres "${PG_ADMIN_URL%/*}/$db"
  psql "${PG_ADMIN_URL%/*}/$db" -Atc "SELECT 'PostgreSQL size: ' || pg_size_pretty(pg_database_size('$db'))"
  psql "$PG_ADMIN_URL" -qc "DROP DATABASE $db"
fi
