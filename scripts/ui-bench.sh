#!/usr/bin/env bash
# `npm run bench:ui`: the dashboard at 100,000 credentials (25,000 clients) in headless Chromium,
# over the fake shell that serves rows a window at a time as the real one does
# (ui/e2e/bench-dashboard.mjs): first rows painted, search keystrokes to the next frame, scrolling
# frame by frame; medians and 90th percentiles printed, nothing asserted (not part of npm test).
# Arguments go to the benchmark: --credentials N, --loads N, --rounds N, --seconds N, and --trace
# (a Chromium trace, summed up by event) or --cpu (V8's profile, functions by self time), both
# saved in artifacts/ui/.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

if [ "$(uname -s)" = "Linux" ] && [ -z "${CHROMIUM_PATH:-}" ]; then
  tk_install_apt chromium fonts-liberation
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "Node.js 20 or later with npm is needed for the UI: see https://nodejs.org" >&2
  exit 1
fi
if [ ! -d ui/node_modules ] || [ ui/package.json -nt ui/node_modules/.package-lock.json ]; then
  echo "==> npm install (ui)"
  npm --prefix ui install --no-audit --no-fund
fi

echo "==> ui: build"
npm --prefix ui run --silent build -- --logLevel warn
echo "==> ui: the dashboard at 100,000 credentials (headless Chromium, fake shell)"
cd ui
node e2e/bench-dashboard.mjs "$@"
