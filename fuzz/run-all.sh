#!/usr/bin/env bash
# Runs every fuzz target (or the ones named) for SECONDS each, one after the other.
#
#   fuzz/run-all.sh [SECONDS] [TARGET...]      SECONDS defaults to 600
#
# Builds once with `cargo fuzz build` (release, debug assertions: integer overflow
# panics), then runs each target with its committed seeds (corpus/<target>, read only)
# and a working corpus (target/fuzz-corpus/<target>, where libFuzzer adds new inputs).
# Logs go to target/fuzz-logs/<target>.log, crashing inputs to
# target/fuzz-artifacts/<target>/. Prints per target: executions (libFuzzer's final
# "Done N runs" line, or the last status line after a crash), exec/s, coverage, crashes;
# the same table is written to target/fuzz-logs/summary-$RUN_NAME.txt (RUN_NAME defaults
# to "all"; give two parallel runs different names).
#
# Only a stable toolchain is needed: RUSTC_BOOTSTRAP=1 lets it accept the nightly-only
# flags cargo-fuzz passes (-Zsanitizer=address, -Cpasses=sancov-module, ...).
set -euo pipefail
cd "$(dirname "$0")"

seconds="${1:-600}"
shift || true
export RUSTC_BOOTSTRAP=1
# The taxpayer reader normalizes rows on rayon's pool; one thread is plenty here.
export RAYON_NUM_THREADS=1

if [ "$#" -gt 0 ]; then
    targets=("$@")
else
    mapfile -t targets < <(cargo fuzz list | grep -v '^seeds$')
fi

logs=target/fuzz-logs
mkdir -p "$logs"
nice -n 10 cargo fuzz build >"$logs/build.log" 2>&1 || {
    echo "build failed, see fuzz/$logs/build.log" >&2
    exit 1
}

summary="$logs/summary-${RUN_NAME:-all}.txt"
printf '%-14s %12s %8s %8s %8s %8s %8s\n' target executions exec/s cov ft corpus crashes | tee "$summary"
for target in "${targets[@]}"; do
    corpus="target/fuzz-corpus/$target"
    artifacts="target/fuzz-artifacts/$target"
    log="$logs/$target.log"
    mkdir -p "$corpus" "$artifacts" "corpus/$target"
    nice -n 10 cargo fuzz run "$target" "$corpus" "corpus/$target" -- \
        -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$artifacts/" >"$log" 2>&1 || true

    runs=$(grep -oE 'Done [0-9]+ runs' "$log" | tail -1 | grep -oE '[0-9]+' || true)
    if [ -z "$runs" ]; then
        runs="$(grep -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#' || true)*"
    fi
    rate=$(grep -oE 'stat::average_exec_per_sec: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo '?')
    status=$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -1 || true)
    cov=$(grep -oE 'cov: [0-9]+' <<<"$status" | grep -oE '[0-9]+' || echo '?')
    ft=$(grep -oE 'ft: [0-9]+' <<<"$status" | grep -oE '[0-9]+' || echo '?')
    units=$(grep -oE 'corp: [0-9]+' <<<"$status" | grep -oE '[0-9]+' || echo '?')
    crashes=$(find "$artifacts" -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
    printf '%-14s %12s %8s %8s %8s %8s %8s\n' "$target" "$runs" "$rate" "$cov" "$ft" "$units" "$crashes" | tee -a "$summary"
done
echo "(* = stopped early on a crash: last status line's count)" | tee -a "$summary"
