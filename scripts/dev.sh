#!/usr/bin/env bash
# Sets up a fresh machine and runs Daiko at http://127.0.0.1:3000 with a SQLite database,
# demo data and the development outbox. Run from anywhere; Ctrl-C stops the server.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ROOT"

setup_rust
setup_fonts
[ -f .env ] || cp .env.example .env
set -a; source .env; set +a
export DATABASE_URL="${DATABASE_URL:-sqlite://data/daiko.sqlite?mode=rwc}"

log "cargo leptos build --split"
cargo leptos build --split
./target/debug/daiko migrate
if ./target/debug/daiko demo-data 2>/tmp/daiko-demo.err; then :; else
  grep -q "すでにお客様が登録されています" /tmp/daiko-demo.err && echo "（デモデータは読み込み済みです。パスワードはすべて daiko-demo-2026）" || { cat /tmp/daiko-demo.err; exit 1; }
fi
log "serving http://${LEPTOS_SITE_ADDR:-127.0.0.1:3000}"
exec ./target/debug/daiko serve
