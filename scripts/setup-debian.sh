#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine needs to build Volant's core, CLI and
# tests: a C compiler for the bundled SQLite. Rust (cargo) must already be there.
set -euo pipefail
missing=()
command -v cc >/dev/null || missing+=(build-essential)
command -v pkg-config >/dev/null || missing+=(pkg-config)
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${missing[@]}"
fi
command -v cargo >/dev/null || { echo "cargo introuvable : installer Rust (rustup) d'abord" >&2; exit 1; }
