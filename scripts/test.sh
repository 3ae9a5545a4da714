#!/usr/bin/env bash
# Sets up a fresh Debian machine, then runs every check: formatting, clippy
# (warnings are errors) and all tests. CI runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-debian.sh
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo test --workspace --locked
