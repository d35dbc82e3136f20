#!/usr/bin/env bash
# The UI's checks and tests: svelte-check + tsc, Vitest unit tests, and the browser flows in
# headless Chromium (IPC mocked). Installs what is missing first: Debian's chromium and
# fonts-liberation, and ui/node_modules. Called by scripts/test.sh, or alone: npm run test:ui
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

if [ "$(uname -s)" = "Linux" ] && [ -z "${CHROMIUM_PATH:-}" ]; then
  # Another apt run on the same machine can pull the archives from under this one: try twice.
  tk_install_apt chromium fonts-liberation || { sleep 5; tk_install_apt chromium fonts-liberation; }
fi

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "Node.js 20 or later with npm is needed for the UI: see https://nodejs.org" >&2
  exit 1
fi

if [ ! -d ui/node_modules ] || [ ui/package.json -nt ui/node_modules/.package-lock.json ]; then
  echo "==> npm install (ui)"
  # Not `npm ci`: the registry lacks the non-Linux optional packages a lock made here omits.
  npm --prefix ui install --no-audit --no-fund
fi

echo "==> ui: open-source notices up to date with Cargo.lock and ui/package.json"
tk_require_cargo
node scripts/notices.mjs --check
echo "==> ui: svelte-check and tsc"
npm --prefix ui run --silent check
echo "==> ui: unit tests"
npm --prefix ui test --silent
echo "==> ui: browser flows (headless Chromium, mocked IPC)"
npm --prefix ui run --silent test:e2e
echo "==> ui: all checks and tests passed"
