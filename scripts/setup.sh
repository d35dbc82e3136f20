#!/usr/bin/env bash
# Installs what TokenKeeper needs to build and test on Debian/Ubuntu, only when it is missing.
# Sourced by the other scripts; safe to run again (a warm machine skips apt entirely).
set -euo pipefail

# libdbus-1-dev: the keyring crate talks to the Secret Service through libdbus. dbus, gnome-keyring
# and libsecret-tools: scripts/with-keychain.sh runs the tests against a private, unlocked keyring.
# python3-aiosmtpd: the real SMTP server of the channel delivery tests (crates/channels);
# prometheus: its promtool checks `status --format prometheus` (crates/cli/tests);
# postgresql: the throwaway server of scripts/with-postgres.sh (crates/store-postgres's tests).
# dbus-x11 is the light provider of the session bus gnome-keyring depends on (apt would otherwise
# pick dbus-user-session, which brings systemd).
TK_APT_PACKAGES=(build-essential pkg-config libssl-dev openssl ca-certificates
  libdbus-1-dev dbus dbus-x11 gnome-keyring libsecret-tools
  python3-aiosmtpd prometheus postgresql)
# The desktop app (Tauri v2 on WebKitGTK): needed to build src-tauri, so also by `cargo test`.
# Debian 12 has no libappindicator3-dev; Tauri picks up the Ayatana one.
TK_APP_APT_PACKAGES=(file libwebkit2gtk-4.1-dev libgtk-3-dev libayatana-appindicator3-dev
  librsvg2-dev libxdo-dev libdbus-1-dev)
# The real-window tests: Xvfb, WebKit's WebDriver, xdotool to answer the native file picker,
# imagemagick for whole-screen screenshots; python3-gi for a fake desktop settings portal.
TK_E2E_APT_PACKAGES=(xvfb xauth x11-utils xdotool imagemagick webkit2gtk-driver dunst trayer python3-gi)

tk_sudo() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

tk_install_apt() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    if ! command -v apt-get >/dev/null; then
      echo "missing system packages: ${missing[*]} (install them with your package manager)" >&2
      return 1
    fi
    echo "==> installing ${missing[*]}"
    tk_sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    tk_sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

tk_require_cargo() {
  if ! command -v cargo >/dev/null; then
    if [ -x "$HOME/.cargo/bin/cargo" ]; then
      export PATH="$HOME/.cargo/bin:$PATH"
    else
      echo "Rust is not installed: see https://rustup.rs (then run this again)" >&2
      return 1
    fi
  fi
}

# Build output outside the clone keeps re-runs fast; a fresh machine simply starts empty.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/tokenkeeper/target}"
