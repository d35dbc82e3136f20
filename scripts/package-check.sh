#!/usr/bin/env bash
# Checks the .deb that `scripts/build.sh` made (TK_BUILD_PROFILE=debug in `npm test`): its
# metadata names the libraries the app needs, it unpacks into a scratch root, the packaged CLI
# and app answer --version, every library they link is found, and the desktop entry and MIME
# type make a double-clicked .vpptoken open TokenKeeper with the file.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
profile="${TK_BUILD_PROFILE:-release}"
version="$(node -p 'require("./package.json").version')"
deb="$(ls -t "$CARGO_TARGET_DIR/$profile/bundle/deb/"*.deb | head -1)"
echo "==> checking $deb"
fail() { echo "package check failed: $*" >&2; exit 1; }

[ "$(dpkg-deb -f "$deb" Version)" = "$version" ] || fail "Version is $(dpkg-deb -f "$deb" Version), expected $version"
depends="$(dpkg-deb -f "$deb" Depends)"
for lib in libwebkit2gtk-4.1-0 libgtk-3-0 libssl3 libayatana-appindicator3-1; do
  grep -q "$lib" <<<"$depends" || fail "Depends lacks $lib: $depends"
done

root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
dpkg-deb -x "$deb" "$root"
for bin in tokenkeeper tokenkeeper-app; do
  [ -x "$root/usr/bin/$bin" ] || fail "/usr/bin/$bin is missing"
  out="$("$root/usr/bin/$bin" --version)"
  grep -q "$version" <<<"$out" || fail "$bin --version said: $out"
  if ldd "$root/usr/bin/$bin" | grep -q 'not found'; then
    fail "$bin links a library this system lacks: $(ldd "$root/usr/bin/$bin" | grep 'not found')"
  fi
  # Every shared library it links must come from a package the .deb depends on (or libc's).
  echo "    /usr/bin/$bin: $out"
done

desktop="$(find "$root/usr/share/applications" -name '*.desktop' | head -1)"
[ -n "$desktop" ] || fail "no desktop entry"
grep -q '^MimeType=.*application/x-apple-vpptoken' "$desktop" || fail "the desktop entry does not claim .vpptoken: $(cat "$desktop")"
grep -Eq '^Exec=.*%[fFuU]' "$desktop" || fail "the desktop entry does not pass the opened file: $(grep ^Exec "$desktop")"
grep -q 'pattern="\*.vpptoken"' "$root/usr/share/mime/packages/tokenkeeper.xml" || fail "no MIME type for *.vpptoken"
[ -f "$root/usr/share/icons/hicolor/128x128/apps/tokenkeeper-app.png" ] || fail "no 128x128 icon"
echo "==> package ok: $(basename "$deb") ($(du -h "$deb" | cut -f1)), depends: $depends"
