#!/usr/bin/env bash
# `npm run build`: the installable packages Tauri makes for this machine, with the `tokenkeeper`
# command line inside: .deb on Linux (installs /usr/bin/tokenkeeper-app and /usr/bin/tokenkeeper),
# .app and .dmg on macOS (the CLI in TokenKeeper.app/Contents/MacOS), .msi and NSIS setup on
# Windows (the CLI beside the app). Release builds; TK_BUILD_PROFILE=debug for a quick package
# (what `npm test` checks). Extra arguments go to `tauri build`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
if [ "$(uname -s)" = "Linux" ]; then tk_install_apt "${TK_APT_PACKAGES[@]}" "${TK_APP_APT_PACKAGES[@]}"; fi
tk_require_cargo
[ -d node_modules ] || npm install --no-audit --no-fund
[ -d ui/node_modules ] || npm --prefix ui install --no-audit --no-fund

profile="${TK_BUILD_PROFILE:-release}"
cargo_flags=(--locked); tauri_flags=()
if [ "$profile" = release ]; then cargo_flags+=(--release); else tauri_flags+=(--debug); fi
case "$(uname -s)" in
  Linux) bundles=deb; exe="" ;;
  Darwin) bundles=app,dmg; exe="" ;;
  MINGW* | MSYS* | CYGWIN*) bundles=msi,nsis; exe=".exe" ;;
  *) echo "no installer for $(uname -s)" >&2; exit 64 ;;
esac

# The CLI ships inside the package as a Tauri "external binary", named for the target triple.
triple="$(rustc -vV | sed -n 's/^host: //p')"
echo "==> building the tokenkeeper command line ($profile, $triple)"
cargo build "${cargo_flags[@]}" -p tokenkeeper
mkdir -p src-tauri/binaries
cp "$CARGO_TARGET_DIR/$profile/tokenkeeper$exe" "src-tauri/binaries/tokenkeeper-$triple$exe"

echo "==> building the app and its $bundles package"
# tauri.bundle.json adds what only a package needs (the CLI, Debian dependencies, MIME type).
npx tauri build "${tauri_flags[@]}" --bundles "$bundles" --config src-tauri/tauri.bundle.json "$@"
echo "==> packages in $CARGO_TARGET_DIR/$profile/bundle/"
find "$CARGO_TARGET_DIR/$profile/bundle" -maxdepth 2 -type f \( -name '*.deb' -o -name '*.dmg' -o -name '*.msi' -o -name '*.exe' \) -print
