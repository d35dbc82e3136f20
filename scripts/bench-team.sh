#!/usr/bin/env bash
# `npm run bench:team` (also the end of `npm run bench`): issue 18's figures.
#   - hyperfine: `tokenkeeper status --json` as a whole process on the 10,000-credential bench
#     vault, its SQLite file beside the same vault moved into a team database on a local
#     PostgreSQL server (TLS verify-full, like a real one), measured in the same run;
#   - how long a change committed on one desktop takes to be heard on another (LISTEN/NOTIFY).
# Runs inside a private keychain (the team key) and a throwaway server (scripts/with-postgres.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${_TK_TEAM_BENCH_INNER:-}" != 1 ]; then
  source scripts/setup.sh
  tk_require_cargo
  if [ "$(uname -s)" = "Linux" ]; then tk_install_apt hyperfine postgresql; fi
  export _TK_TEAM_BENCH_INNER=1
  exec scripts/with-keychain.sh scripts/with-postgres.sh bash "$0" "$@"
fi
db="$CARGO_TARGET_DIR/bench-data/vault-10k.db"
if [ ! -f "$db" ]; then
  echo "==> seeding the 10,000-credential bench vault (once)"
  TOKENKEEPER_BENCH_DB="$db" cargo bench -p tokenkeeper-core --bench vault -- --test >/dev/null
fi
cargo build --release -q -p tokenkeeper
cargo build --release -q -p tokenkeeper-store-postgres --features test-support --example team_bench
# A copy: status records state changes it notices, the bench file stays as seeded.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
local_db="$work/sqlite-10k.db"
cp "$db" "$local_db"
url="$("$CARGO_TARGET_DIR/release/examples/team_bench" "$TOKENKEEPER_TEST_POSTGRES" "$local_db")"
tk="$CARGO_TARGET_DIR/release/tokenkeeper"
hyperfine --warmup 3 --runs 30 -N -i \
  -n "SQLite file: status --json" "$tk --db $local_db status --json" \
  -n "PostgreSQL team, local copy current: status --json" "$tk --db $url status --json" \
  -n "PostgreSQL team, no local copy: status --json" "env XDG_DATA_HOME=$work/no-copy $tk --db $url status --json"
