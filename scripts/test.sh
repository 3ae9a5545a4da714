#!/usr/bin/env bash
# Sets up a fresh Debian machine, then runs every check: formatting, clippy
# (warnings are errors), all Rust tests (the server's suite on SQLite, then on a
# PostgreSQL 15 it starts), the UI in a real browser (Playwright
# + Debian's Chromium, axe-core and IBM Equal Access on every screen), the
# counter desk and call display against the real server, schemathesis against
# the server's OpenAPI document, and the real Tauri app end
# to end (tauri-driver + WebKitWebDriver under Xvfb). CI runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-debian.sh
(cd ui && npm ci --no-audit --no-fund && npm run build)   # the Tauri shell embeds ui/dist
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo clippy -p volant-tests --features city --all-targets --locked -- -D warnings   # the city test and bench
log=$(mktemp)
trap 'rm -f "$log"' EXIT
cargo test --workspace --locked 2>&1 | tee "$log"
# On a real PostgreSQL 15 started for it (pg_virtualenv): the server's behaviour suite
# again, then the city deployment (two instances behind HAProxy, kill -9, a database restart).
bash scripts/with-postgres.sh bash -c 'cargo test --locked -p volant-server --test api &&
  cargo test --locked -p volant-tests --features city --test city' 2>&1 | tee -a "$log"
(cd ui && node tests/run.mjs) 2>&1 | tee -a "$log"
cargo build --locked -p volant-app -p volant-cli -p volant-server
# The server against its OpenAPI document, fuzzed by schemathesis with real credentials.
bash tests/contract/schemathesis.sh 2>&1 | tee -a "$log"
# The counter desk and the call display against the real server and real tablets.
(cd ui && timeout 600 node tests/desk.mjs) 2>&1 | tee -a "$log"
timeout 600 xvfb-run -a node tests/app/e2e.mjs 2>&1 | tee -a "$log"
# One closing line for the whole run: cargo's test binaries, the UI and the app.
awk '/^test result:/ { p += $4; f += $6; i += $8 }
     /^[0-9]+ passed, [0-9]+ failed$/ { p += $1; f += $3 }
     END { printf "%d passed, %d failed, %d skipped\n", p, f, i }' "$log"
