#!/usr/bin/env bash
# `npm test`: installs whatever is missing, then runs every check and every test.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

if [ "$(uname -s)" = "Linux" ]; then tk_install_apt "${TK_APT_PACKAGES[@]}" "${TK_APP_APT_PACKAGES[@]}"; fi
tk_require_cargo

echo "==> cargo fmt"
cargo fmt --all -- --check
echo "==> cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings
# Includes the desktop app: its unit tests, the bindings drift check, and the IPC tests on
# Tauri's mock runtime (tests/). A debug build needs no ui/dist (assets come from the dev server).
echo "==> cargo test"
cargo test --workspace --locked --no-fail-fast
echo "==> all tests passed"
