#!/usr/bin/env bash
# `npm run app`: starts the desktop app in development (Vite dev server + `tauri dev`), after
# installing whatever is missing: system packages, the Tauri CLI, the UI's packages.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

if [ "$(uname -s)" = "Linux" ]; then
  tk_install_apt "${TK_APT_PACKAGES[@]}" "${TK_APP_APT_PACKAGES[@]}"
fi
tk_require_cargo

# `npm install`, not `npm ci`: the lock made on Linux lacks other platforms' optional packages.
if [ ! -d node_modules ]; then
  echo "==> npm install (Tauri CLI)"
  npm install --no-audit --no-fund
fi
if [ -f ui/package.json ] && [ ! -d ui/node_modules ]; then
  echo "==> npm install (ui)"
  npm --prefix ui install --no-audit --no-fund
fi

# tauri dev runs `npm --prefix ui run dev` (beforeDevCommand), waits for http://localhost:5173,
# then builds and starts src-tauri; extra arguments go to `tauri dev` (e.g. -- -- --flag).
exec npx tauri dev "$@"
