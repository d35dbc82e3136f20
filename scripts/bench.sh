#!/usr/bin/env bash
# `npm run bench`: the performance figures quoted in the closing notes (release builds).
#   - criterion: inspect of each kind against the RSA-2048 floor; listing + states of 10,000
#     credentials inside the core;
#   - hyperfine: `tokenkeeper status --json` as a whole process on the same 10,000 credentials.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
tk_require_cargo
if [ "$(uname -s)" = "Linux" ]; then tk_install_apt hyperfine; fi

export TOKENKEEPER_BENCH_DB="$CARGO_TARGET_DIR/bench-data/vault-10k.db"
cargo bench -p tokenkeeper-core --bench inspect -- "$@"
cargo bench -p tokenkeeper-core --bench vault -- "$@"
cargo build --release -p tokenkeeper
hyperfine --warmup 3 --runs 30 -N -i \
  "$CARGO_TARGET_DIR/release/tokenkeeper --db $TOKENKEEPER_BENCH_DB status --json"
