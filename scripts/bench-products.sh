#!/usr/bin/env bash
# Product type-ahead over 10,000 products (R6): p95 must stay ≤ 20 ms. Builds the release
# server, loads the demo data plus N synthetic products into a fresh SQLite file (or the empty
# PostgreSQL database in BENCH_DATABASE_URL), serves it and times the type-ahead.
# Usage: scripts/bench-products.sh [N=10000] [ROUNDS=30]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ROOT"
n=${1:-10000}; rounds=${2:-30}
target=${CARGO_TARGET_DIR:-target}
cargo build --release -p daiko
dir=$(mktemp -d); port=${BENCH_PORT:-3199}
export DATABASE_URL="${BENCH_DATABASE_URL:-sqlite://$dir/daiko.sqlite?mode=rwc}" LEPTOS_SITE_ADDR="127.0.0.1:$port"
"$target/release/daiko" migrate >/dev/null
"$target/release/daiko" demo-data --products "$n" | tail -1
DAIKO_DEV_OUTBOX=1 "$target/release/daiko" serve >"$dir/server.log" 2>&1 & pid=$!
trap 'kill $pid; rm -rf "$dir"' EXIT
for _ in $(seq 60); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.5; done
echo "== GET /api/orders/products, $n products + demo catalogue, one request at a time ($DATABASE_URL)"
python3 scripts/bench/products_typeahead.py "http://127.0.0.1:$port" "$rounds"
