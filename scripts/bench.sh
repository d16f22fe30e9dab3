#!/usr/bin/env bash
# Release figures: the .wasm size (raw and gzip -9), login latency (a release server on a
# fresh SQLite file with demo data, wrk at 1 and 4 connections for 10 s each; wrk shares the
# machine's cores) and SSR page throughput. Usage: scripts/bench.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ROOT"
setup_rust
setup_node
apt_install wrk
# wasm-opt from npm's binaryen 132: Debian's binaryen 108 produces a WASM that fails to hydrate.
export PATH="$ROOT/end2end/node_modules/.bin:$PATH"
cargo leptos build --release
wasm=target/site/pkg/daiko.wasm
echo "== release WASM: $(stat -c %s "$wasm") bytes raw, $(gzip -9c "$wasm" | wc -c) bytes gzip -9"
dir=$(mktemp -d); port=3198
export DATABASE_URL="sqlite://$dir/daiko.sqlite?mode=rwc" LEPTOS_SITE_ADDR="127.0.0.1:$port"
./target/release/daiko migrate >/dev/null && ./target/release/daiko demo-data >/dev/null
DAIKO_DEV_OUTBOX=1 ./target/release/daiko serve >"$dir/server.log" 2>&1 & pid=$!
trap 'kill $pid; rm -rf "$dir"' EXIT
for _ in $(seq 60); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.5; done
for c in 1 4; do
  echo "== POST /api/auth/login, $c connection(s)"
  wrk -t1 -c$c -d10s --latency -s scripts/bench/login.lua "http://127.0.0.1:$port/api/auth/login" | sed -n '/Latency Distribution/,/Requests\/sec/p'
done
echo "== GET /login (SSR page, no database)"
wrk -t2 -c32 -d10s --latency "http://127.0.0.1:$port/login" | sed -n '/Latency Distribution/,/Requests\/sec/p'
