#!/usr/bin/env bash
# `npm run fuzz`: coverage-guided fuzzing (cargo-fuzz, libFuzzer) of every parser and decoder of
# the core, FUZZ_SECONDS each (default 60), targets from the arguments or all of them.
#   FUZZ_SECONDS=600 npm run fuzz -- pem ber      # ten minutes on two targets
#   FUZZ_JOBS=2 npm run fuzz                      # two targets at once
# Inputs that crash, run out of memory (2 GiB) or take over 10 s land in fuzz/artifacts/<target>/;
# each becomes a regression test in crates/core/tests/core/never_panics.rs and a fix. New corpus
# entries stay in fuzz/target/corpus/ (not committed); the seeds in fuzz/corpus/ are regenerated
# with `cargo run -p tokenkeeper-core --features test-support --example fuzz_seeds -- fuzz`.
# Prints per target: runs, executions, coverage (cov) and features (ft) from libFuzzer's last lines.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
tk_require_cargo

# Sanitizer builds share nothing with the normal ones: their own target folder (not setup.sh's).
export CARGO_TARGET_DIR="${FUZZ_TARGET_DIR:-$PWD/fuzz/target}"
SECONDS_EACH="${FUZZ_SECONDS:-60}"
JOBS="${FUZZ_JOBS:-1}"
if ! rustup toolchain list | grep -q '^nightly'; then
  echo "==> installing the nightly toolchain (libFuzzer needs its sanitizer flags)"
  rustup toolchain install nightly --profile minimal
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "==> installing cargo-fuzz"
  cargo install cargo-fuzz --locked
fi

cd fuzz
ALL=$(cargo +nightly fuzz list)
TARGETS=("$@")
if [ ${#TARGETS[@]} -eq 0 ]; then mapfile -t TARGETS <<<"$ALL"; fi
nice -n 19 cargo +nightly fuzz build

# The public samples of ../shared/fixtures/external are read by path, never copied into the
# repository: they join the seeds from a scratch folder under target/ when they are there.
external=../../shared/fixtures/external
seed_external() {
  local target=$1 dir="target/external-seeds/$1"
  mkdir -p "$dir"
  [ -d "$external" ] || return 0
  case "$target" in
    pem | push_certificate | read) cp "$external"/micromdm/mock_push_cert*.pem "$dir"/ 2>/dev/null || true ;;
  esac
  case "$target" in
    content_token | read) cp "$external"/petarov-apple-mdm-clients/*.stoken "$dir"/ 2>/dev/null || true ;;
  esac
  # Apple's answers: two bytes of HTTP status (200), then the body.
  if [ "$target" = apple ] && [ -f "$external/micromdm/account_response.json" ]; then
    { printf '\000\310'; cat "$external/micromdm/account_response.json"; } >"$dir/account.bin"
  fi
}

mkdir -p target/fuzz-logs
run_one() {
  local target=$1 log="target/fuzz-logs/$1.log" work="target/corpus/$1"
  mkdir -p "$work" "artifacts/$target"
  seed_external "$target"
  # The committed seeds are read, never written: new inputs go to the working corpus.
  nice -n 19 cargo +nightly fuzz run "$target" "$work" "corpus/$target" "target/external-seeds/$target" -- \
    -max_total_time="$SECONDS_EACH" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
    >"$log" 2>&1 || true
}

running=0
for target in "${TARGETS[@]}"; do
  run_one "$target" &
  running=$((running + 1))
  if [ "$running" -ge "$JOBS" ]; then wait -n || true; running=$((running - 1)); fi
done
wait || true

status=0
printf '%-18s %10s %12s %8s %8s %s\n' target seconds executions cov ft findings
for target in "${TARGETS[@]}"; do
  log="target/fuzz-logs/$target.log"
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  line=$(grep -E '#[0-9]+.*cov: [0-9]+' "$log" | tail -1)
  cov=$(sed -n 's/.*cov: \([0-9]*\).*/\1/p' <<<"$line")
  ft=$(sed -n 's/.*ft: \([0-9]*\).*/\1/p' <<<"$line")
  findings=$(find "artifacts/$target" -type f | wc -l)
  printf '%-18s %10s %12s %8s %8s %s\n' "$target" "$SECONDS_EACH" "${runs:-?}" "${cov:-?}" "${ft:-?}" "$findings"
  if [ "$findings" -gt 0 ] || grep -qE '^==[0-9]+==ERROR|deadly signal|panicked' "$log"; then
    status=1
    echo "   findings in fuzz/artifacts/$target/ (log: fuzz/$log)"
  fi
done
exit "$status"
