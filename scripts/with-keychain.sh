#!/usr/bin/env bash
# Runs a command against a real but private OS keychain on Linux: its own D-Bus session bus and
# gnome-keyring, unlocked with a throwaway password, in a fresh temporary HOME that is deleted on
# exit. The user's own keyring is never touched. Usage: scripts/with-keychain.sh CMD [ARG...]
#
# Exports TOKENKEEPER_KEYCHAIN_SERVICE (a service name of its own) and TOKENKEEPER_REAL_KEYCHAIN=1,
# which the keychain integration tests require on Linux.
set -euo pipefail

if [ $# -eq 0 ]; then
  echo "usage: $0 CMD [ARG...]" >&2
  exit 2
fi

self="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"

if [ "${_TK_KEYCHAIN_INNER:-}" != 1 ]; then
  for tool in dbus-run-session gnome-keyring-daemon dbus-send secret-tool; do
    if ! command -v "$tool" >/dev/null; then
      echo "$tool is missing: run scripts/test.sh (or npm test) once, it installs what is needed" >&2
      exit 1
    fi
  done

  # Rust and the build cache stay where they are even though HOME moves.
  export CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}"
  export RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}"
  if [ -d "$CARGO_HOME/bin" ]; then
    case ":$PATH:" in *":$CARGO_HOME/bin:"*) ;; *) export PATH="$CARGO_HOME/bin:$PATH" ;; esac
  fi
  export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/tokenkeeper/target}"

  tk_home="$(mktemp -d "${TMPDIR:-/tmp}/tokenkeeper-keychain.XXXXXX")"
  trap 'rm -rf "$tk_home"' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  chmod 700 "$tk_home"
  mkdir -m 700 "$tk_home/data" "$tk_home/run" "$tk_home/config" "$tk_home/cache"

  # The bus must never start a second gnome-keyring behind our back: one it activates has no
  # password, stays locked and takes over the name (seen as "Cannot create an item in a locked
  # collection" or "The session wrapping the secret does not exist" mid-run). Service files in
  # XDG_DATA_HOME take precedence over the system's, so these make any activation of the keyring's
  # names fail at once and leave a line in a log this script reports.
  mkdir -p "$tk_home/data/dbus-1/services"
  cat >"$tk_home/activation-refused" <<EOS
#!/bin/sh
echo "\$(date +%T) the bus tried to start a second keyring daemon" >>"$tk_home/keyring.log"
exit 1
EOS
  chmod 700 "$tk_home/activation-refused"
  for name in org.freedesktop.secrets org.gnome.keyring org.freedesktop.impl.portal.Secret \
    org.gnome.keyring.SystemPrompter org.gnome.keyring.PrivatePrompter; do
    printf '[D-BUS Service]\nName=%s\nExec=%s\n' "$name" "$tk_home/activation-refused" \
      >"$tk_home/data/dbus-1/services/$name.service"
  done

  # Set before the bus starts: services the bus activates inherit its environment, and a
  # gnome-keyring activated with the real HOME would open the user's own keyring.
  export HOME="$tk_home"
  export XDG_DATA_HOME="$tk_home/data"
  export XDG_RUNTIME_DIR="$tk_home/run"
  export XDG_CONFIG_HOME="$tk_home/config"
  export XDG_CACHE_HOME="$tk_home/cache"
  unset DBUS_SESSION_BUS_ADDRESS GNOME_KEYRING_CONTROL
  export TOKENKEEPER_KEYCHAIN_SERVICE="TokenKeeper-test-$$"
  export TOKENKEEPER_REAL_KEYCHAIN=1

  # As root, dbus-daemon prints "Failed to set fd limit" on start: harmless.
  status=0
  _TK_KEYCHAIN_INNER=1 dbus-run-session -- bash "$self" "$@" || status=$?
  exit "$status"
fi

# Inside the private session bus from here on.
unset _TK_KEYCHAIN_INNER

secrets_owner_pid() {
  dbus-send --session --print-reply=literal --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.GetConnectionUnixProcessID string:org.freedesktop.secrets 2>/dev/null |
    awk '{print $NF}'
}

secrets_has_owner() {
  dbus-send --session --print-reply=literal --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q true
}

# --unlock reads the password on stdin and, in an empty XDG_DATA_HOME, creates the `login` keyring
# with it and makes it the default collection (without it there is no default collection:
# NoStorageAccess). The daemon runs in the foreground as this script's child, so its exit is seen
# and reported with its own messages rather than guessed at from a test's error. Wait until it owns
# org.freedesktop.secrets before anything calls the name.
keyring_log="$HOME/keyring.log"
printf 'tokenkeeper-test' |
  gnome-keyring-daemon --foreground --unlock --components=secrets >>"$keyring_log" 2>&1 &
keyring_pid=$!
report_keyring() {
  if ! kill -0 "$keyring_pid" 2>/dev/null; then
    wait "$keyring_pid" 2>/dev/null
    echo "with-keychain: gnome-keyring-daemon (pid $keyring_pid) exited during the run with status $?" >&2
  fi
  if [ -s "$keyring_log" ] && grep -q . "$keyring_log"; then
    echo "with-keychain: keyring daemon log:" >&2
    sed 's/^/  /' "$keyring_log" >&2
  fi
}
trap 'kill "$keyring_pid" 2>/dev/null || true' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
for _ in $(seq 200); do
  secrets_has_owner && break
  if ! kill -0 "$keyring_pid" 2>/dev/null; then
    report_keyring
    exit 1
  fi
  sleep 0.05
done
if [ "$(secrets_owner_pid || true)" != "$keyring_pid" ]; then
  echo "with-keychain: org.freedesktop.secrets is not owned by the keyring this script started" >&2
  report_keyring
  exit 1
fi

default_collection="$(dbus-send --session --print-reply=literal --dest=org.freedesktop.secrets \
  /org/freedesktop/secrets org.freedesktop.Secret.Service.ReadAlias string:default 2>&1 || true)"
if [ "$(echo "$default_collection" | tr -d '[:space:]')" != /org/freedesktop/secrets/collection/login ]; then
  echo "with-keychain: gnome-keyring has no unlocked default collection (got: $default_collection)" >&2
  exit 1
fi
probe="probe-$$"
if ! printf '%s' "$probe" | secret-tool store --label="TokenKeeper probe" tokenkeeper-probe "$probe" ||
  [ "$(secret-tool lookup tokenkeeper-probe "$probe")" != "$probe" ]; then
  echo "with-keychain: gnome-keyring does not store secrets; the tests cannot run" >&2
  exit 1
fi
secret-tool clear tokenkeeper-probe "$probe"

status=0
"$@" || status=$?
owner="$(secrets_owner_pid || true)"
if [ "$status" -ne 0 ] || [ "$owner" != "$keyring_pid" ] || grep -q "second keyring" "$keyring_log"; then
  [ "$owner" = "$keyring_pid" ] ||
    echo "with-keychain: at the end, org.freedesktop.secrets was owned by pid '${owner:-nobody}', not by the keyring started here ($keyring_pid)" >&2
  report_keyring
fi
exit "$status"
