#!/usr/bin/env bash
# Network tree at scale (#11.4): loads N generated customers (default 1,000,000) into a fresh
# SQLite file and a fresh PostgreSQL database, serves each, and runs the bench_network
# example: p50/p95/p99 over HTTP of GET /api/network/children (one expand) for the top level,
# the widest nodes (with 「さらに表示」 pages via `after`), 販社 and the deepest leaves, as
# 全国販社 staff and as 画面1 users. Target: p95 ≤ 20 ms.
#
# Usage: scripts/bench-network.sh [sqlite|postgres|both]
#   N=1000000 REPS=20 PROFILE=release|dev PORT=3297
#   PG_ADMIN_URL=postgres://postgres@127.0.0.1:5432/postgres
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export LEPTOS_OUTPUT_NAME=daiko
which=${1:-both}
N=${N:-1000000}
REPS=${REPS:-20}
PROFILE=${PROFILE:-release}
PORT=${PORT:-3297}
PG_ADMIN_URL=${PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}
target=${CARGO_TARGET_DIR:-$ROOT/target}
dir_name=$([ "$PROFILE" = dev ] && echo debug || echo "$PROFILE")

echo "== building ($PROFILE)"
cargo build --profile "$PROFILE" -p daiko
cargo build --profile "$PROFILE" -p app --features ssr --example bench_network
work=$(mktemp -d)
# Copies: a shared target directory may be rebuilt by someone else meanwhile.
cp "$target/$dir_name/daiko" "$work/daiko"
cp "$target/$dir_name/examples/bench_network" "$work/bench_network"
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

run() {
  local name=$1 url=$2
  echo
  echo "######## $name: $N customers ($PROFILE)"
  export DATABASE_URL=$url LEPTOS_SITE_ADDR=127.0.0.1:$PORT
  "$work/daiko" migrate >/dev/null
  local t0=$SECONDS
  "$work/daiko" demo-data --customers "$N" >/dev/null
  echo "== demo-data --customers $N: $((SECONDS - t0)) s"
  DAIKO_DEV_OUTBOX=1 "$work/daiko" serve >"$work/$name.log" 2>&1 & pid=$!
  for _ in $(seq 120); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.5; done
  "$work/bench_network" "http://127.0.0.1:$PORT" "$url" "$REPS"
  echo "== server memory after: RSS $(grep VmRSS /proc/$pid/status | awk '{print $2/1024 " MiB"}')"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
}

if [ "$which" = sqlite ] || [ "$which" = both ]; then
  run sqlite "sqlite://$work/bench.sqlite?mode=rwc"
  rm -f "$work"/bench.sqlite*
fi
if [ "$which" = postgres ] || [ "$which" = both ]; then
  db=daiko_bench_network
  psql "$PG_ADMIN_URL" -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
  run postgres "${PG_ADMIN_URL%/*}/$db"
  psql "$PG_ADMIN_URL" -qc "DROP DATABASE $db"
fi
