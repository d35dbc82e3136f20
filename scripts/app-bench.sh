#!/usr/bin/env bash
# `npm run bench:app`: TokenKeeper's cold start to an interactive window, its idle memory and its memory once used,
# against a bare Tauri window (bench/bare-window) built in this run with the same Tauri and the
# same profile, both under Xvfb through tauri-driver, the bare window drawn as TokenKeeper draws on
# this machine (TK_BENCH_BARE=stock: as WebKit chooses). TK_BENCH_PROFILE=debug for a quick look
# (default release); TK_BENCH_RUNS (default 7); TK_BENCH_SIZE=100k for the 100,000-credential vault;
# TK_BENCH_AGAINST=/path/to/another/tokenkeeper-app runs a second build in the same rounds, to tell
# two builds apart (its figures beside the first). `npm run bench:app -- idle`: wake-ups and CPU
# over ten idle minutes (TK_IDLE_MINUTES) instead.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
tk_require_cargo
if [ "$(uname -s)" != "Linux" ]; then
  echo "the app benchmark runs on Linux (WebKitWebDriver under Xvfb); skipped on $(uname -s)"
  exit 0
fi
tk_install_apt "${TK_APP_APT_PACKAGES[@]}" "${TK_E2E_APT_PACKAGES[@]}"
[ -d node_modules ] || npm install --no-audit --no-fund
[ -d ui/node_modules ] || npm --prefix ui install --no-audit --no-fund
command -v tauri-driver >/dev/null || cargo install tauri-driver --locked --version 2.0.4 --root "$HOME/.cargo"
export PATH="$HOME/.cargo/bin:$PATH"

profile="${TK_BENCH_PROFILE:-release}"
if [ "$profile" = release ]; then flag=(); else flag=(--debug); fi
cargo_flag=(); [ "$profile" = release ] && cargo_flag=(--release)

echo "==> building TokenKeeper and the bare window ($profile)"
npx tauri build "${flag[@]}" --no-bundle >/dev/null
cargo build "${cargo_flag[@]}" -p tokenkeeper-bare-window --features tauri/custom-protocol --locked
export TOKENKEEPER_APP_BIN="$CARGO_TARGET_DIR/$profile/tokenkeeper-app"
export TOKENKEEPER_BARE_BIN="$CARGO_TARGET_DIR/$profile/tokenkeeper-bare-window"

# TK_BENCH_SIZE=100k: the 100,000-credential vault of the scale bench (seeded by
# `cargo bench -p tokenkeeper-core --bench scale`, about ten minutes once).
size="${TK_BENCH_SIZE:-10k}"
export TOKENKEEPER_BENCH_DB="$CARGO_TARGET_DIR/bench-data/vault-$size.db"
if [ "$size" != 10k ] && [ ! -f "$TOKENKEEPER_BENCH_DB" ]; then
  echo "==> seeding the $size vault (the scale bench's fixture, once)"
  cargo bench -p tokenkeeper-core --bench scale -- --test >/dev/null
fi
if [ ! -f "$TOKENKEEPER_BENCH_DB" ]; then
  echo "==> seeding 10,000 credentials (criterion's vault bench, one pass)"
  cargo bench -p tokenkeeper-core --bench vault -- --test >/dev/null
fi

if [ "${1:-}" = idle ]; then
  scripts/with-keychain.sh xvfb-run -a -s "-screen 0 1280x900x24" node bench/app/idle.mjs
else
  scripts/with-keychain.sh xvfb-run -a -s "-screen 0 1280x900x24" node bench/app/startup.mjs
fi
