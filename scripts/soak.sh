#!/usr/bin/env bash
# `npm run soak`: the race and kill -9 tests of crates/cli/tests/crashes.rs for many more rounds
# than `npm test` runs, against a private real keychain. Reports rounds, failures and the
# keychain items left by killed processes that the sweep found (and removed).
#   SOAK_ROUNDS   rounds per test per run (default 100)
#   SOAK_RUNS     how many times the whole set runs (default 3)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
tk_require_cargo
rounds="${SOAK_ROUNDS:-100}"
runs="${SOAK_RUNS:-3}"
log="$(mktemp "${TMPDIR:-/tmp}/tokenkeeper-soak.XXXXXX")"
cargo build -p tokenkeeper --tests --locked -q
failures=0
for run in $(seq 1 "$runs"); do
  echo "==> soak run $run/$runs: $rounds rounds per test"
  if ! TOKENKEEPER_SOAK_ROUNDS="$rounds" scripts/with-keychain.sh \
      cargo test -p tokenkeeper --locked -q --test crashes -- --nocapture --test-threads=1 >>"$log" 2>&1; then
    failures=$((failures + 1))
    echo "    run $run FAILED (log: $log)"
    grep -E "panicked|seed" "$log" | tail -5 || true
  fi
done
swept="$(grep -oE 'orphans swept [0-9]+' "$log" | awk '{s += $3} END {print s + 0}')"
tests="$(grep -oE 'test result: ok\. [0-9]+ passed' "$log" | awk '{s += $4} END {print s + 0}')"
conflicts="$(grep -oE '[0-9]+ conflict\(s\) told' "$log" | awk '{s += $1} END {print s + 0}')"
echo "soak: $runs run(s) x 3 tests x $rounds rounds; $tests test(s) passed, $failures run(s) failed;"
echo "      $conflicts parallel renewal(s) told 'conflict' (none lost a secret, none doubled a revision)"
echo "      $swept orphaned keychain item(s) found by the final sweeps and removed, 0 left behind"
echo "      log: $log"
[ "$failures" -eq 0 ]
