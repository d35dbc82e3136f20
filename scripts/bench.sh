#!/usr/bin/env bash
# `npm run bench`: the performance figures quoted in the closing notes (release builds).
#   - criterion: inspect of each kind against the RSA-2048 floor; listing + states of 10,000
#     credentials inside the core;
#   - criterion: one channel pass queuing 10,000 due alerts for five channels, and the steady
#     pass that finds nothing new;
#   - hyperfine: `tokenkeeper status --json` as a whole process on the same 10,000 credentials,
#     beside `status --format prometheus` and `export --format csv`;
#   - criterion (issue 21's scale, benches/scale.rs): listing, scheduler pass (without and with a
#     channel to alert), one renewal, dashboard index and keystroke at 100,000 credentials; the
#     listing at 1 vs 10 revisions
#     (seeding 100,000 through the core takes about ten minutes once; kept in bench-data);
#   - hyperfine: the same three commands on the 100,000-credential vault, and their peak memory;
#   - the MDM sync of 500 connections against local TLS fakes, 5% of them hanging until their
#     3 s time limit, 32 at a time;
#   - when Chromium is here: the dashboard at 100,000 credentials in headless Chromium
#     (scripts/ui-bench.sh, also `npm run bench:ui` alone).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
tk_require_cargo
if [ "$(uname -s)" = "Linux" ]; then tk_install_apt hyperfine time; fi

export TOKENKEEPER_BENCH_DB="$CARGO_TARGET_DIR/bench-data/vault-10k.db"
cargo bench -p tokenkeeper-core --bench inspect -- "$@"
cargo bench -p tokenkeeper-core --bench vault -- "$@"
cargo bench -p tokenkeeper-core --bench alerts -- "$@"
cargo build --release -p tokenkeeper
tk="$CARGO_TARGET_DIR/release/tokenkeeper --db $TOKENKEEPER_BENCH_DB"
hyperfine --warmup 3 --runs 30 -N -i \
  "$tk status --json" \
  "$tk status --format prometheus" \
  "$tk export --format csv"
cargo bench -p tokenkeeper-core --bench scale -- "$@"
big="$CARGO_TARGET_DIR/release/tokenkeeper --db $CARGO_TARGET_DIR/bench-data/vault-100k.db"
hyperfine --warmup 2 --runs 15 -N -i \
  "$big status --json" \
  "$big status --format prometheus" \
  "$big export --format csv"
# Their peak memory as the kernel counts it (issue 21: status --json under 40 MB, the others
# within 1.5x of it).
for command in "status --json" "status --format prometheus" "export --format csv"; do
  # shellcheck disable=SC2086
  /usr/bin/time -f "peak resident memory %M KB: tokenkeeper $command" $big $command >/dev/null || true
done
cargo run --release -q -p tokenkeeper-mdm --features test-support --example bench -- 500 5 3 32
# The team database: status --json on PostgreSQL beside SQLite, and a change heard elsewhere.
bash scripts/bench-team.sh
# The dashboard at 100,000 credentials in headless Chromium (npm run bench:ui), when Chromium and
# Node are here; skipped otherwise, as it needs neither Rust nor the release build.
if command -v "${CHROMIUM_PATH:-chromium}" >/dev/null && command -v node >/dev/null; then
  bash scripts/ui-bench.sh
else
  echo "==> no Chromium or Node: the UI benchmark is skipped (npm run bench:ui installs Chromium)"
fi
