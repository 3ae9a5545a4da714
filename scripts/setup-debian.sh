#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine needs to build and test Volant: a C
# compiler for the bundled SQLite; WebKitGTK and GTK for the Tauri app; Xvfb,
# WebKitWebDriver, tauri-driver and ImageMagick (screenshots) for its end-to-end
# test; Debian's Chromium and fonts for every visitor language for the UI tests. Rust (cargo) and
# Node.js 20 with npm must already be there. python3-venv holds schemathesis
# (from PyPI, in target/schemathesis), which fuzzes the server against its OpenAPI document.
# PostgreSQL 15 (with postgresql-common's pg_virtualenv) runs the server's suite on the
# city's database; HAProxy stands in front of two server instances in its end-to-end test.
set -euo pipefail
packages=(build-essential pkg-config python3 python3-venv chromium fonts-wqy-microhei xvfb webkit2gtk-driver imagemagick
  libwebkit2gtk-4.1-dev libgtk-3-dev librsvg2-dev libayatana-appindicator3-dev libsoup-3.0-dev
  libjavascriptcoregtk-4.1-dev postgresql-15 postgresql-common haproxy)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${missing[@]}"
fi
command -v cargo >/dev/null || { echo "cargo introuvable : installer Rust (rustup) d'abord" >&2; exit 1; }
command -v npm >/dev/null || { echo "npm introuvable : installer Node.js 20 d'abord" >&2; exit 1; }
if ! command -v tauri-driver >/dev/null && [ ! -x "$HOME/.cargo/bin/tauri-driver" ]; then
  cargo install tauri-driver --locked
fi
