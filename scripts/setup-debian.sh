#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine needs to build and test Volant: a C
# compiler for the bundled SQLite, and, for the UI tests, Debian's Chromium and
# fonts for every visitor language. Rust (cargo) and Node.js 20 with npm must
# already be there.
set -euo pipefail
missing=()
command -v cc >/dev/null || missing+=(build-essential)
command -v pkg-config >/dev/null || missing+=(pkg-config)
command -v chromium >/dev/null || missing+=(chromium)
[ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || missing+=(fonts-wqy-microhei)
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${missing[@]}"
fi
command -v cargo >/dev/null || { echo "cargo introuvable : installer Rust (rustup) d'abord" >&2; exit 1; }
command -v npm >/dev/null || { echo "npm introuvable : installer Node.js 20 d'abord" >&2; exit 1; }
