#!/usr/bin/env bash
# Debian packages the tests need, installed only when missing: Chromium for the e2e tests (Playwright
# drives /usr/bin/chromium; it cannot download its own browser here), Redis for shared sessions, and a
# C++ toolchain for better-sqlite3's addon (`npm ci` compiles it when no prebuilt one can be fetched, and
# scripts/lib/node24.mjs compiles it for Node 24).
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium fonts-liberation)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || missing+=(python3-venv)
{ command -v make && command -v g++; } >/dev/null 2>&1 || missing+=(make g++)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing Debian packages: ${missing[*]}. Install them with: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
echo "System packages present: chromium $(chromium --version 2>/dev/null | awk '{print $2}'), $(redis-server --version | awk '{print $3}')"
