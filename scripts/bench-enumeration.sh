#!/usr/bin/env bash
# Enumeration benchmark for お問い合わせ (#9): a server with real SMTP (aiosmtpd) and a
# Twilio-compatible server on loopback; unknown お客様ID / wrong destination / right
# destination on every channel, answers and PIN pages compared, timing differences with a
# bootstrap 95 % interval (scripts/bench/enumeration.py).
#   EACH=200 POLL=120 PROFILE=release ./scripts/bench-enumeration.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ROOT"
EACH=${EACH:-200}
POLL=${POLL:-120}
PROFILE=${PROFILE:-release}
python3 -m pip install -q --disable-pip-version-check -r requirements-test.txt
if [ "$PROFILE" = release ]; then
  cargo build --release -p daiko
  bin=target/release/daiko
else
  cargo build -p daiko
  bin=target/debug/daiko
fi
dir=$(mktemp -d)
port=3597 smtp=2597 tw=3598
token=bench-twilio-token
export DATABASE_URL="sqlite://$dir/daiko.sqlite?mode=rwc" LEPTOS_SITE_ADDR="127.0.0.1:$port"
export DAIKO_PUBLIC_URL="http://127.0.0.1:$port" RUST_LOG=warn
"$bin" migrate >/dev/null
"$bin" demo-data --customers $((EACH * 6)) >/dev/null
mkdir -p "$dir/mail"
python3 app/tests/support/smtp_sink.py "$smtp" "$dir/mail" >"$dir/smtp.log" 2>&1 &
smtp_pid=$!
DAIKO_SMTP_HOST=127.0.0.1 DAIKO_SMTP_PORT=$smtp DAIKO_SMTP_TLS=none \
  DAIKO_SMTP_FROM='daiko@example.jp' \
  DAIKO_TWILIO_ACCOUNT_SID=AC0123456789abcdef0123456789abcdef DAIKO_TWILIO_AUTH_TOKEN=$token \
  DAIKO_TWILIO_FROM=+815031234567 DAIKO_TWILIO_BASE_URL="http://127.0.0.1:$tw" \
  DAIKO_PIN_CLIENT_LIMIT=1000000 "$bin" serve >"$dir/server.log" 2>&1 &
server_pid=$!
trap 'kill $server_pid $smtp_pid 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 60); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.5; done
python3 scripts/bench/enumeration.py "http://127.0.0.1:$port" "$dir/daiko.sqlite" "$tw" "$token" \
  "http://127.0.0.1:$port" --each "$EACH" --poll "$POLL" || { tail -20 "$dir/server.log"; exit 1; }
