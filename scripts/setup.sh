#!/usr/bin/env bash
# Installs what Daiko's build needs and is missing; safe to run again. Sourced by dev.sh and
# test.sh. Nothing here downloads a binary: everything builds from crates.io, Debian or npm.
set -euo pipefail

CARGO_LEPTOS_VERSION=0.3.10   # the newest release needs rustc 1.96; this one builds on 1.95
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$PATH"
# cargo-leptos bakes this into the server; setting it everywhere keeps plain `cargo` builds
# from invalidating cargo-leptos's (and the other way round).
export LEPTOS_OUTPUT_NAME=daiko

log() { printf '\033[1m==> %s\033[0m\n' "$*"; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if [ ${#missing[@]} -gt 0 ]; then
    log "apt-get install ${missing[*]}"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}"
  fi
}

setup_rust() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    log "rustup target add wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
  fi
  if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
    log "cargo install cargo-leptos $CARGO_LEPTOS_VERSION (about 17 minutes, once)"
    cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked
  fi
  # wasm-bindgen-cli must match the wasm-bindgen crate exactly; with one on PATH,
  # cargo-leptos does not download its own.
  local wbg
  wbg=$(grep -A1 '^name = "wasm-bindgen"$' "$ROOT/Cargo.lock" | sed -n 's/^version = "\(.*\)"/\1/p')
  if ! wasm-bindgen --version 2>/dev/null | grep -q " $wbg\$"; then
    log "cargo install wasm-bindgen-cli $wbg"
    cargo install wasm-bindgen-cli --version "$wbg"
  fi
}

# The PDFs (納品書, 還元額計算書) embed a subset of IPAex Gothic (TrueType, IPA Font License).
setup_fonts() {
  apt_install fonts-ipaexfont-gothic
}

setup_node() {
  command -v npm >/dev/null || apt_install nodejs npm
  if [ ! -d "$ROOT/end2end/node_modules/@playwright/test" ] \
     || [ "$ROOT/end2end/package-lock.json" -nt "$ROOT/end2end/node_modules/.package-lock.json" ]; then
    log "npm ci (end2end)"
    (cd "$ROOT/end2end" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
  fi
}
