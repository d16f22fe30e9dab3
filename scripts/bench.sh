#!/usr/bin/env bash
# Release figures: the .wasm sizes (the entry file and the lazily loaded chunks; raw, gzip -9,
# brotli), login latency (a release server on a fresh SQLite file with demo data, wrk at 1 and
# 4 connections for 10 s each; wrk shares the machine's cores) and SSR page throughput.
# Usage: scripts/bench.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ROOT"
setup_rust
setup_node
apt_install wrk
# wasm-opt from npm's binaryen 132: Debian's binaryen 108 produces a WASM that fails to hydrate.
export PATH="$ROOT/end2end/node_modules/.bin:$PATH"
# --precompress writes .br and .gz beside each asset; the server picks one by Accept-Encoding.
# --split: each lazy route's page (app/src/routes.rs) is its own chunk, fetched when it opens.
cargo leptos build --release --precompress --split
# sizes FILE...: raw, gzip -9 and brotli (the served .br) bytes, summed over the files.
sizes() {
  local raw=0 gz=0 br=0 f
  for f in "$@"; do
    raw=$((raw + $(stat -c %s "$f"))); gz=$((gz + $(gzip -9c "$f" | wc -c))); br=$((br + $(stat -c %s "$f.br")))
  done
  echo "$raw bytes raw, $gz bytes gzip -9, $br bytes brotli (served)"
}
wasm=$(ls target/site/pkg/daiko.*.wasm | grep -v '_bg' | head -1)
chunks=(target/site/pkg/split_*.wasm target/site/pkg/chunk_*.wasm)
echo "== release entry WASM $wasm: $(sizes "$wasm")"
echo "== ${#chunks[@]} lazily loaded chunks (route pages and the code they share): $(sizes "${chunks[@]}")"
echo "== whole app (entry + every chunk): $(sizes "$wasm" "${chunks[@]}")"
dir=$(mktemp -d); port=3198
export DATABASE_URL="sqlite://$dir/daiko.sqlite?mode=rwc" LEPTOS_SITE_ADDR="127.0.0.1:$port"
./target/release/daiko migrate >/dev/null && ./target/release/daiko demo-data >/dev/null
DAIKO_DEV_OUTBOX=1 ./target/release/daiko serve >"$dir/server.log" 2>&1 & pid=$!
trap 'kill $pid; rm -rf "$dir"' EXIT
for _ in $(seq 60); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.5; done
echo "== first visit to /login on a phone (bytes on the wire, Accept-Encoding: br, gzip)"
scripts/bench/first_visit.sh "http://127.0.0.1:$port"
for c in 1 4; do
  echo "== POST /api/auth/login, $c connection(s)"
  wrk -t1 -c$c -d10s --latency -s scripts/bench/login.lua "http://127.0.0.1:$port/api/auth/login" | sed -n '/Latency Distribution/,/Requests\/sec/p'
done
echo "== GET /login (SSR page, no database)"
wrk -t2 -c32 -d10s --latency "http://127.0.0.1:$port/login" | sed -n '/Latency Distribution/,/Requests\/sec/p'
# SSR throughput of a signed-in page beside Leptos's own floor: the one-page start-axum app
# (app/examples/ssr_baseline.rs), same profile, same machine, same wrk settings, one after the
# other so they never share the cores.
cargo build --release -p app --features ssr --example ssr_baseline
base_port=3199
./target/release/examples/ssr_baseline "127.0.0.1:$base_port" & base_pid=$!
trap 'kill $pid $base_pid 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 60); do curl -fs "http://127.0.0.1:$base_port/" >/dev/null && break; sleep 0.5; done
cookie=$(curl -fs -D - -o /dev/null --data 'email=hansha%40example.jp&password=daiko-demo-2026' \
  "http://127.0.0.1:$port/api/auth/login" | sed -n 's/^[Ss]et-[Cc]ookie: \([^;]*\).*/\1/p' | head -1)
[ -n "$cookie" ] || { echo "login for the SSR benchmark failed"; exit 1; }
curl -fs -H "Cookie: $cookie" "http://127.0.0.1:$port/master/customers" | grep -q 'お客様ID' \
  || { echo "GET /master/customers did not render the signed-in page"; exit 1; }
# wrk's report is printed, then its Requests/sec kept (no tee to /dev/stderr: when the
# script's output goes to a file, reopening it would truncate the file).
rps() { sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' <<<"$1"; }
echo "== GET / of the one-page Leptos app (ssr_baseline)"
out=$(wrk -t2 -c32 -d10s --latency "http://127.0.0.1:$base_port/"); echo "$out" | sed -n '/Latency Distribution/,/Requests\/sec/p'
base=$(rps "$out")
echo "== GET /master/customers signed in as hansha@ (顧客検索: session, scope and first page)"
out=$(wrk -t2 -c32 -d10s --latency -H "Cookie: $cookie" "http://127.0.0.1:$port/master/customers"); echo "$out" | sed -n '/Latency Distribution/,/Requests\/sec/p'
page=$(rps "$out")
echo "== 顧客検索 SSR: $page req/s = $(python3 -c "print(round(100 * $page / $base, 1))") % of the one-page app's $base req/s (target >= 45 %)"
