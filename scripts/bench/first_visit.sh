#!/usr/bin/env bash
# Bytes a browser downloads for a first visit to /login (empty cache): the page and every
# /pkg asset it names (stylesheet, JS, WASM), each fetched as a browser asks for it
# (Accept-Encoding: br, gzip), with the encoding and cache rule the server answered, and the
# lazy-route loader (__wasm_split.*.js) the JS imports as it starts. Lazy routes' WASM chunks
# are not counted: /login is in the entry WASM.
# Usage: scripts/bench/first_visit.sh http://127.0.0.1:3000 [path]
set -euo pipefail
base=$1; page=${2:-/login}
tmp=$(mktemp); trap 'rm -f "$tmp"' EXIT
fetch() {
  curl -s -o /dev/null -H 'Accept-Encoding: br, gzip' -D "$tmp" -w '%{size_download}' "$base$1"
}
total=$(fetch "$page")
printf '%9d B  %s\n' "$total" "$page"
html=$(curl -s "$base$page")
assets=$(grep -o '/pkg/[^"]*' <<<"$html" | sort -u)
for js in $(grep -o '/pkg/[^"]*\.js' <<<"$assets"); do
  assets+=$'\n'$(curl -s "$base$js" | grep -o '__wasm_split\.[A-Za-z0-9_-]*\.js' | sort -u | sed 's|^|/pkg/|' || true)
done
for asset in $(sort -u <<<"$assets"); do
  n=$(fetch "$asset")
  enc=$(grep -i '^content-encoding:' "$tmp" | tr -d '\r' | cut -d' ' -f2 || true)
  cc=$(grep -i '^cache-control:' "$tmp" | tr -d '\r' | cut -d' ' -f2- || true)
  printf '%9d B  %s (%s; %s)\n' "$n" "$asset" "${enc:-identity}" "$cc"
  total=$((total + n))
done
printf '%9d B  in all\n' "$total"
