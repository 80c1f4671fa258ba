#!/usr/bin/env bash
# Measures the sharded holder encoding (docs/SCALE.md, section 4): the same commands the
# Slurm array and merge jobs run (scripts/slurm/{ingest-array,merge}.sbatch), each under
# GNU time, so every task's peak RSS, user and system CPU time and wall time are recorded.
# No Slurm daemons and no unsharded comparison (scripts/slurm/run-local.sh checks the
# byte identity); PARALLEL shard tasks run at once, each with one thread.
#
#   nice scripts/slurm/measure-local.sh RECORDS SHARDS [PARALLEL]     (PARALLEL default 2)
#
# Prints one line per task: task, peak RSS (kB), user s, sys s, wall s; then set.bin's size.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
records=${1:?usage: $0 RECORDS SHARDS [PARALLEL]}
shards=${2:?usage: $0 RECORDS SHARDS [PARALLEL]}
parallel=${3:-2}
case $records$shards$parallel in
*[!0-9]*)
    echo "usage: $0 RECORDS SHARDS [PARALLEL] (whole numbers)" >&2
    exit 2
    ;;
esac
command -v /usr/bin/time >/dev/null || {
    echo "needs GNU time at /usr/bin/time" >&2
    exit 1
}
bin=${CARGO_TARGET_DIR:-$root/target}/release
work=$root/target/measure-local/$records-$shards
rm -rf "$work"
mkdir -p "$work/shards" "$work/times"
(cd "$root" && cargo build --release -q -p irs -p blindlink-synth)

measure() { # name, command...
    local name=$1
    shift
    /usr/bin/time -f '%M %U %S %e' -o "$work/times/$name" "$@" >/dev/null
}

measure synth "$bin/synth" population --count "$records" --seed 1 --out "$work/population.csv"
"$bin/irs" --dir "$work/state" keygen >/dev/null
epoch=$(ls "$work/state/epochs")

pids=()
for ((i = 0; i < shards; i++)); do
    measure "shard-$i" "$bin/irs" --dir "$work/state" ingest --epoch "$epoch" \
        --input "$work/population.csv" --shard "$i/$shards" \
        --shard-out "$work/shards/shard-$i.bin" --threads 1 &
    pids+=($!)
    if ((${#pids[@]} >= parallel)); then
        wait "${pids[0]}"
        pids=("${pids[@]:1}")
    fi
done
for pid in "${pids[@]}"; do wait "$pid"; done
measure merge "$bin/irs" --dir "$work/state" merge --threads 1 "$work/shards"/shard-*.bin

printf '%-10s %12s %9s %8s %8s\n' task peak_rss_kB user_s sys_s wall_s
for f in synth $(seq -f 'shard-%g' 0 $((shards - 1))) merge; do
    read -r rss user sys wall <"$work/times/$f"
    printf '%-10s %12s %9s %8s %8s\n' "$f" "$rss" "$user" "$sys" "$wall"
done
set_bin=$(find "$work/state/epochs" -name set.bin | head -n 1)
echo "set.bin: $(stat -c %s "$set_bin") bytes; input: $(stat -c %s "$work/population.csv") bytes"
