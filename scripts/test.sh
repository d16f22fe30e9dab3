#!/usr/bin/env bash
# Sets up a fresh machine and runs every test: formatting, clippy, unit and integration tests
# on SQLite and PostgreSQL, and the Playwright suite in Debian's Chromium against a built
# server. Exits non-zero on the first failure.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ROOT"
start=$(date +%s)
# One-shot builds: incremental artifacts only cost disk (tens of GB) and time here.
export CARGO_INCREMENTAL=0

setup_rust
setup_fonts
# poppler-utils: pdftotext / pdftoppm read the PDFs back in tests/documents.rs.
apt_install chromium postgresql poppler-utils
setup_node
# A real SMTP server (aiosmtpd) for the mail tests, pinned.
python3 -m pip install -q --disable-pip-version-check -r requirements-test.txt

log "cargo fmt --check"
cargo fmt --all -- --check

# ssr and hydrate are never enabled together, so clippy runs once per side.
log "cargo clippy (server side)"
cargo clippy -p app --features ssr --all-targets -- -D warnings
cargo clippy -p daiko -p migration --all-targets -- -D warnings
log "cargo clippy (browser side)"
cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings

log "PostgreSQL"
export DAIKO_TEST_PG_URL="${DAIKO_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  cluster=$(ls /etc/postgresql | sort -V | tail -1)
  pg_lsclusters -h | grep -q "^$cluster main" || as_root pg_createcluster "$cluster" main
  as_root pg_ctlcluster --skip-systemctl-redirect "$cluster" main start
  for _ in $(seq 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  # A freshly created cluster answers on the socket with peer auth: allow the tests in.
  if ! psql "$DAIKO_TEST_PG_URL" -c 'select 1' >/dev/null 2>&1; then
    as_root su postgres -c "psql -c \"ALTER USER postgres PASSWORD NULL\"" >/dev/null
    hba=$(as_root su postgres -c "psql -tAc 'show hba_file'")
    as_root sed -i '1i host all all 127.0.0.1/32 trust' "$hba"
    as_root pg_ctlcluster --skip-systemctl-redirect "$cluster" main reload
  fi
fi
psql "$DAIKO_TEST_PG_URL" -tAc "select datname from pg_database where datname like 'daiko_test_%'" \
  | while read -r db; do [ -n "$db" ] && psql "$DAIKO_TEST_PG_URL" -qc "drop database if exists $db" ; done

log "unit and integration tests (SQLite and PostgreSQL)"
cargo test -p app --features ssr
cargo test -p daiko -p migration

log "cargo leptos build --split"
cargo leptos build --split

log "Playwright (Chromium, PC 1280x800 and phone 390x844)"
e2e_dir=$(mktemp -d)
port=3197
export DATABASE_URL="sqlite://$e2e_dir/daiko.sqlite?mode=rwc"
export LEPTOS_SITE_ADDR="127.0.0.1:$port"
./target/debug/daiko migrate >/dev/null
./target/debug/daiko demo-data >/dev/null
DAIKO_DEV_OUTBOX=1 DAIKO_TEST_CLOCK=1 ./target/debug/daiko serve >"$e2e_dir/server.log" 2>&1 &
server_pid=$!
trap 'kill $server_pid 2>/dev/null || true; rm -rf "$e2e_dir"' EXIT
for _ in $(seq 60); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.5; done
(cd end2end && DAIKO_BASE_URL="http://127.0.0.1:$port" npx playwright test) || { echo "--- server log"; tail -50 "$e2e_dir/server.log"; exit 1; }

log "all tests passed in $(( $(date +%s) - start )) s"
