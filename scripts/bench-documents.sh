#!/usr/bin/env bash
# PDF timings (issue #5): a release `daiko bench-documents` fills its own database (a fresh
# SQLite file, or an EMPTY database given as DATABASE_URL-style URL in $1) with the demo data,
# 200 downline customers, 10,000 downline orders in one month and a 100-line order, then
# times the 100-line 納品書 (target ≤ 200 ms) and the month's 還元額計算書 (≤ 500 ms),
# each including its database queries. Writes the two PDFs to target/bench-documents/.
#
# Usage: scripts/bench-documents.sh [EMPTY_DATABASE_URL]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ROOT"
setup_fonts
cargo build --release -p daiko
args=(--runs 10 --out target/bench-documents)
[ -n "${1:-}" ] && args+=(--database-url "$1")
RUST_LOG=warn ./target/release/daiko bench-documents "${args[@]}"
