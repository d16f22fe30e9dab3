#!/usr/bin/env bash
# PIN request latency under load: a release server on a fresh SQLite file with demo data
# (DAIKO_DEV_OUTBOX=1, so nothing leaves the machine), then scripts/bench/pin_load.py posts
# /api/recovery/request from 50 concurrent connections (known and unknown お客様ID
# alternating) and prints p50/p95/p99 and req/s. The load tool shares the machine's cores.
#
# Usage: scripts/bench-pin.sh [CONCURRENCY] [REQUESTS]            (defaults 50 and 2000)
#        BASE_URL=http://host:port scripts/bench-pin.sh …        (an already running server;
#        no build: it needs DAIKO_PIN_CLIENT_LIMIT above REQUESTS)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ROOT"
concurrency=${1:-50}
requests=${2:-2000}
if [ -n "${BASE_URL:-}" ]; then
  exec python3 scripts/bench/pin_load.py "$BASE_URL" -c "$concurrency" -n "$requests"
fi
setup_rust
setup_node
# wasm-opt from npm's binaryen 132 (see bench.sh).
export PATH="$ROOT/end2end/node_modules/.bin:$PATH"
cargo leptos build --release --split
dir=$(mktemp -d); port=3199
export DATABASE_URL="sqlite://$dir/daiko.sqlite?mode=rwc" LEPTOS_SITE_ADDR="127.0.0.1:$port"
./target/release/daiko migrate >/dev/null && ./target/release/daiko demo-data >/dev/null
# Every request comes from 127.0.0.1: lift the per-client hourly limit above the total.
DAIKO_DEV_OUTBOX=1 DAIKO_PIN_CLIENT_LIMIT=$((requests * 2 + 1000)) RUST_LOG=warn \
  ./target/release/daiko serve >"$dir/server.log" 2>&1 & pid=$!
trap 'kill $pid; rm -rf "$dir"' EXIT
for _ in $(seq 60); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.5; done
python3 scripts/bench/pin_load.py "http://127.0.0.1:$port" -c "$concurrency" -n "$requests"
