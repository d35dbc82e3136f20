#!/usr/bin/env bash
# `npm run bench:idle`: how often the real app wakes up when nothing happens. Starts the packaged
# app (debug .deb build, as scripts/app-e2e.sh) under Xvfb in a private D-Bus session with a
# notification server, lets it settle, then counts each thread's context switches over a quiet
# minute (TK_IDLE_SECONDS), from /proc, in the app and in every process under it (WebKit's web
# and network processes): nothing should wake more than once a minute. TOKENKEEPER_BENCH_DB names
# a vault to show (default: a new, empty one). Threads named like the app are the main thread and
# tao's (Tauri's windowing) X input-device thread; the desktop's theme is followed by a thread of
# the app's own (src-tauri/src/theme.rs) that sleeps until the portal speaks (tao's listener woke
# every 5 s). What still wakes every 5 s is WebKit's: its memory-pressure monitor (the app's
# PressureMonitor thread), which messages the web process as it goes; the bare window has it too.
# WEBKIT_DISABLE_MEMORY_PRESSURE_MONITOR stops it, but the web process then ran the dashboard
# slower (bench:app at 10k: its page 138 -> 221 ms to the first rows, a keystroke 9 -> 12 ms), so
# the app leaves it on. Figures only, nothing asserted; not part of npm test.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = "--measure" ]; then
  # Inside Xvfb and the private session: the app, then its threads counted.
  work=$(mktemp -d)
  export XDG_DATA_HOME="$work/data" XDG_CONFIG_HOME="$work/config"
  db="$work/tokenkeeper.db"
  if [ -n "${TOKENKEEPER_BENCH_DB:-}" ]; then cp "$TOKENKEEPER_BENCH_DB" "$db"; fi
  dunst >/dev/null 2>&1 &
  TOKENKEEPER_DB="$db" "$TK_IDLE_APP" >"$work/app.log" 2>&1 &
  app=$!
  sleep 30
  # The app and every process under it (WebKit's web and network processes, through bwrap).
  processes() {
    local all=("$app") i=0
    while [ "$i" -lt "${#all[@]}" ]; do
      for child in $(pgrep -P "${all[$i]}"); do all+=("$child"); done
      i=$((i + 1))
    done
    echo "${all[@]}"
  }
  snapshot() {
    for p in $(processes); do
      for t in /proc/"$p"/task/*; do
        printf '%s %s:%s %s\n' "${t##*/}" "$(cat "/proc/$p/comm" | tr ' ' _)" "$(cat "$t/comm" | tr ' ' _)" \
          "$(awk '/^voluntary_ctxt_switches/ {v=$2} /^nonvoluntary_ctxt_switches/ {n=$2} END {print v+n}' "$t/status")"
      done
    done | sort
  }
  snapshot >"$work/before"
  sleep "$TK_IDLE_SECONDS"
  snapshot >"$work/after"
  echo "==> wake-ups over ${TK_IDLE_SECONDS} s, by thread (tid process:thread count; threads with none left out)"
  join "$work/before" "$work/after" | awk '{d = $5 - $3; if (d > 0) printf "  %-8s %-36s %6d\n", $1, $2, d}'
  kill "$app"
  exit 0
fi

source scripts/setup.sh
tk_require_cargo
tk_install_apt "${TK_APP_APT_PACKAGES[@]}" "${TK_E2E_APT_PACKAGES[@]}"
[ -d node_modules/@tauri-apps ] || npm install --no-audit --no-fund
[ -d ui/node_modules ] || npm --prefix ui install --no-audit --no-fund

echo "==> building the .deb (debug)"
TK_BUILD_PROFILE=debug bash scripts/build.sh >/dev/null
export TK_IDLE_APP="$CARGO_TARGET_DIR/debug/tokenkeeper-app"
export TK_IDLE_SECONDS="${TK_IDLE_SECONDS:-60}"

scripts/with-keychain.sh xvfb-run -a -s "-screen 0 1280x900x24" bash "$PWD/scripts/app-idle.sh" --measure
