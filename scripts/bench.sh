#!/usr/bin/env bash
# `npm run bench`: the performance figures quoted in the closing notes (criterion, release build).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
tk_require_cargo
cargo bench -p tokenkeeper-core --bench inspect -- "$@"
