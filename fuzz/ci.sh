#!/usr/bin/env bash
# The fuzz crate's CI check (called by .ci/run), on the stable toolchain alone: the
# crate is formatted and clippy-clean, every target builds (plain `cargo build`:
# libFuzzer without sanitizers, see README.md for real fuzzing), the seeds bin still
# writes exactly the committed seeds, and every committed seed and regression input
# runs once through its target (`-runs=0`), so a library change that breaks a target's
# assertions on a known input fails here, not in the next fuzzing campaign.
set -euo pipefail
cd "$(dirname "$0")"
# The root workspace's target directory: same dependency versions (both lock files) and
# the same dev profile, so what the workspace build compiled is reused.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/../target}"
bin="$CARGO_TARGET_DIR/debug"

cargo fmt --all --check
cargo clippy --all-targets -- -D warnings
cargo build --bins

fresh=$(mktemp -d)
trap 'rm -rf "$fresh"' EXIT
"$bin"/seeds "$fresh" >/dev/null
if ! diff -r corpus "$fresh" >/dev/null; then
    diff -rq corpus "$fresh" || true
    echo "fuzz/corpus is stale: run 'cargo run --bin seeds -- corpus' in fuzz/ and commit" >&2
    exit 1
fi

mapfile -t targets < <(sed -n 's/^name = "\(.*\)"$/\1/p' Cargo.toml | grep -vxE 'blindlink-fuzz|blindlink_fuzz|seeds')
for target in "${targets[@]}"; do
    inputs=(corpus/"$target"/*)
    for regression in regressions/"$target"-*; do
        [ -e "$regression" ] && inputs+=("$regression")
    done
    printf '%-18s %3d inputs\n' "$target" "${#inputs[@]}"
    log="$fresh/replay-$target.log"
    RAYON_NUM_THREADS=1 "$bin/$target" -runs=0 "${inputs[@]}" >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
done
