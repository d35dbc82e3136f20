#!/usr/bin/env bash
# The packaged app and the real app window. Builds the .deb in debug (`scripts/build.sh`: a
# self-contained binary, where plain `cargo build` would load the Vite dev server), checks the
# package (`scripts/package-check.sh`), then drives the real window under Xvfb through
# tauri-driver and WebKitWebDriver (Debian's webkit2gtk-driver), inside a private D-Bus session
# with an unlocked keyring, a notification server and a system tray; then on a team's PostgreSQL
# server that stops and comes back. Screenshots land in artifacts/webdriver/.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
tk_require_cargo

if [ "$(uname -s)" != "Linux" ]; then
  echo "the real-window tests run on Linux (WebKitWebDriver); skipped on $(uname -s)"
  exit 0
fi
tk_install_apt "${TK_APP_APT_PACKAGES[@]}" "${TK_E2E_APT_PACKAGES[@]}"

[ -d node_modules/selenium-webdriver ] || npm install --no-audit --no-fund
[ -d ui/node_modules ] || npm --prefix ui install --no-audit --no-fund

if ! command -v tauri-driver >/dev/null; then
  echo "==> cargo install tauri-driver"
  cargo install tauri-driver --locked --version 2.0.4 --root "$HOME/.cargo" >/dev/null
fi
export PATH="$HOME/.cargo/bin:$PATH"

echo "==> building the .deb (debug) and the fixture minter"
TK_BUILD_PROFILE=debug bash scripts/build.sh >/dev/null
TK_BUILD_PROFILE=debug bash scripts/package-check.sh
cargo build -p tokenkeeper-core --example mint --features test-support --locked
export TOKENKEEPER_APP_BIN="$CARGO_TARGET_DIR/debug/tokenkeeper-app"
export TOKENKEEPER_MINT_BIN="$CARGO_TARGET_DIR/debug/examples/mint"
export TOKENKEEPER_CLI_BIN="$CARGO_TARGET_DIR/debug/tokenkeeper"

echo "==> real window under Xvfb"
# A throwaway PostgreSQL server too: the window on a team's server that stops and comes back
# (tests/webdriver/team.test.mjs).
TOKENKEEPER_REQUIRE_POSTGRES=1 scripts/with-keychain.sh scripts/with-postgres.sh \
  xvfb-run -a -s "-screen 0 1280x900x24" \
  node --test --test-concurrency=1 tests/webdriver/
