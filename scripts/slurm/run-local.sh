#!/usr/bin/env bash
# Runs the sharded holder encoding on a real, single-node Slurm cluster on localhost and
# checks that it writes the same set.bin as an unsharded `irs ingest` (docs/SCALE.md,
# section 5).
#
#   scripts/slurm/run-local.sh [RECORDS [SHARDS]]      (default 200000 records, 4 shards)
#
# 1. installs Slurm and MUNGE from the distribution's packages when they are missing
#    (Debian: apt-get install slurm-wlm munge; needs root);
# 2. starts munged, slurmctld and slurmd in the foreground of this script with a throwaway
#    key and configuration under target/slurm-local/ (state, spool, logs and pid files too;
#    no systemd), and waits until sinfo shows the node idle;
# 3. builds irs and synth (release), writes a synthetic population, runs `irs keygen` and
#    copies the state directory, so both encodings use the same OPRF key and epoch;
# 4. submits scripts/slurm/ingest-array.sbatch as an array of SHARDS tasks and
#    scripts/slurm/merge.sbatch with --dependency=afterok:<array job id>, and waits;
# 5. runs an unsharded `irs ingest` of the same file into the copy and compares the two
#    set.bin files with cmp;
# 6. stops the daemons it started (also on failure or interrupt) and prints a last line
#    containing "identical", or what failed (exit status 1).
#
# Environment: SLURM_LOCAL_PORT (slurmctld's port, slurmd's is the next; default 6817:
# change it to run two of these at once), SLURM_LOCAL_TIMEOUT (seconds to wait for the
# jobs, default 900), CARGO_TARGET_DIR.
set -Eeuo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
records=${1:-200000}
shards=${2:-4}
work=$root/target/slurm-local
bin=${CARGO_TARGET_DIR:-$root/target}/release
timeout=${SLURM_LOCAL_TIMEOUT:-900}
export PATH=$PATH:/usr/sbin:/sbin
started=$SECONDS

failure=""
daemons=()
jobs_submitted=""

say() { printf 'run-local: %s (%ss)\n' "$*" "$((SECONDS - started))"; }
fail() {
    failure=$*
    exit 1
}
trap 'failure=${failure:-"line $LINENO: \`$BASH_COMMAND\` failed"}' ERR

case $records$shards in
*[!0-9]*) fail "usage: $0 [RECORDS [SHARDS]] (whole numbers)" ;;
esac
((shards >= 1 && records >= 1)) || fail "RECORDS and SHARDS must be at least 1"

# --- 1. Slurm and MUNGE ----------------------------------------------------------------

install_slurm() {
    local missing=""
    for cmd in munged munge slurmctld slurmd sbatch sinfo squeue scontrol scancel; do
        command -v "$cmd" >/dev/null || missing="$missing $cmd"
    done
    [ -z "$missing" ] && return
    say "missing:$missing; installing slurm-wlm and munge"
    command -v apt-get >/dev/null || fail "missing:$missing, and no apt-get to install them"
    [ "$(id -u)" = 0 ] || fail "missing:$missing; installing them needs root"
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-get install -y -q --no-install-recommends slurm-wlm munge; then
        apt-get update -q
        apt-get install -y -q --no-install-recommends slurm-wlm munge
    fi
}

# --- 2. the cluster --------------------------------------------------------------------

# Daemons left by an earlier run of this script that was killed before its trap ran: only
# the pids it recorded, and only if they still run the same program.
stop_leftovers() {
    local file pid name
    for file in "$work"/run/*.pid; do
        [ -f "$file" ] || continue
        name=$(basename "$file" .pid)
        pid=$(cat "$file" 2>/dev/null || true)
        case $pid in '' | *[!0-9]*) continue ;; esac
        if [ "$(cat "/proc/$pid/comm" 2>/dev/null || true)" = "$name" ]; then
            say "stopping $name (pid $pid) left by an earlier run"
            kill "$pid" 2>/dev/null || true
            sleep 1
        fi
    done
}

write_config() {
    local host=$1 cpus mem_mb
    cpus=$(nproc)
    mem_mb=$(awk '/^MemTotal:/ { printf "%d", $2 / 1024 * 0.9 }' /proc/meminfo)
    cat >"$work/etc/slurm.conf" <<EOF
# Throwaway single-node cluster written by scripts/slurm/run-local.sh.
ClusterName=blindlink-local
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=${SLURM_LOCAL_PORT:-6817}
SlurmdPort=$((${SLURM_LOCAL_PORT:-6817} + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$work/munge/munge.socket
StateSaveLocation=$work/ctld
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/run/slurmctld.pid
SlurmdPidFile=$work/run/slurmd.pid
SlurmctldLogFile=$work/log/slurmctld.log
SlurmdLogFile=$work/log/slurmd.log
MailProg=/bin/true
SlurmctldDebug=info
SlurmdDebug=info
MpiDefault=none
SwitchType=switch/none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SlurmdParameters=config_overrides
ReturnToService=2
MinJobAge=3600
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem_mb State=UNKNOWN
PartitionName=local Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
    # No cgroups here (proctrack/linuxproc, task/none); the file keeps slurmd from
    # reading a system-wide one.
    cat >"$work/etc/cgroup.conf" <<EOF
CgroupPlugin=autodetect
IgnoreSystemd=yes
ConstrainCores=no
ConstrainRAMSpace=no
EOF
}

# Starts "$@" in the background, records its pid for stop_cluster and the next run.
start_daemon() {
    local name=$1
    shift
    "$@" >>"$work/log/$name.stdout" 2>&1 &
    daemons+=("$!")
    echo "$!" >"$work/run/$name.pid"
}

wait_for() {
    local what=$1 seconds=$2
    shift 2
    local until=$((SECONDS + seconds))
    until "$@" >/dev/null 2>&1; do
        ((SECONDS < until)) || fail "$what not ready after ${seconds}s"
        sleep 1
    done
}

node_idle() { [ "$(sinfo -h -N -o %t 2>/dev/null)" = idle ]; }

start_cluster() {
    local host
    host=$(hostname -s)
    mkdir -p "$work"/{etc,ctld,spool,log,run,jobs}
    # The key is a secret (0600, its directory 0700); the socket's directory must be
    # searchable by every user.
    mkdir -p "$work/munge"
    (umask 077 && mkdir -p "$work/munge/key" &&
        head -c 1024 /dev/urandom >"$work/munge/key/munge.key")
    write_config "$host"
    export SLURM_CONF=$work/etc/slurm.conf
    start_daemon munged munged --foreground --force \
        --key-file="$work/munge/key/munge.key" --socket="$work/munge/munge.socket" \
        --pid-file="$work/munge/munged.pid" --seed-file="$work/munge/munged.seed" \
        --log-file="$work/log/munged.log"
    wait_for munged 30 sh -c "munge --socket='$work/munge/munge.socket' --no-input |
        unmunge --socket='$work/munge/munge.socket'"
    start_daemon slurmctld slurmctld -D -i -f "$SLURM_CONF"
    start_daemon slurmd slurmd -D -N "$host" -f "$SLURM_CONF"
    wait_for "the Slurm node" 90 node_idle
    say "cluster up: $(sinfo -h -N -o '%N %t %c CPUs')"
}

stop_cluster() {
    if [ -n "$jobs_submitted" ]; then
        scancel ${jobs_submitted//,/ } 2>/dev/null || true
        local until=$((SECONDS + 15)) left
        while ((SECONDS < until)); do
            left=$(squeue -h -j "$jobs_submitted" -o %i 2>/dev/null || true)
            [ -z "$left" ] && break
            sleep 1
        done
    fi
    local pid i
    for ((i = ${#daemons[@]} - 1; i >= 0; i--)); do
        kill "${daemons[i]}" 2>/dev/null || true
    done
    for pid in "${daemons[@]}"; do
        for _ in 1 2 3 4 5 6 7 8 9 10; do
            kill -0 "$pid" 2>/dev/null || break
            sleep 1
        done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    daemons=()
    rm -f "$work"/run/*.pid
}

print_logs() {
    local file
    for file in "$work"/jobs/*.out; do
        [ -f "$file" ] || continue
        printf '\n--- %s\n' "${file#"$root"/}"
        cat "$file"
    done
    # Daemons in the foreground log to their .log file, munged only to its .stdout.
    for file in "$work"/log/*.log "$work"/log/munged.stdout; do
        [ -s "$file" ] || continue
        printf '\n--- %s (last 40 lines)\n' "${file#"$root"/}"
        tail -n 40 "$file"
    done
}

on_exit() {
    local status=$?
    trap - ERR
    if ((status != 0)); then
        print_logs >&2
    fi
    if ((${#daemons[@]} > 0)); then
        say "stopping the cluster" >&2
        stop_cluster
    fi
    if ((status != 0)); then
        echo "run-local: FAILED: ${failure:-exit status $status}" >&2
    fi
}
trap on_exit EXIT
trap 'failure="interrupted"; exit 130' INT TERM

install_slurm
stop_leftovers
rm -rf "$work"
mkdir -p "$work"

# --- 3. binaries, population, keys -----------------------------------------------------

say "building irs and synth (release)"
(cd "$root" && cargo build --release -q -p irs -p blindlink-synth)
irs=$bin/irs
mkdir -p "$work/data"
input=$work/data/population.csv
say "synth population --count $records"
"$bin/synth" population --count "$records" --seed 1 --out "$input"
"$irs" --dir "$work/state" keygen >/dev/null
epoch=$(ls "$work/state/epochs")
[[ $epoch =~ ^[0-9a-f]{32}$ ]] || fail "irs keygen made no single epoch under $work/state/epochs"
# The same Noise key, OPRF key and epoch for the unsharded run.
cp -a "$work/state" "$work/state-unsharded"

start_cluster

# --- 4. the array job and the merge ----------------------------------------------------

export STATE=$work/state EPOCH=$epoch INPUT=$input SHARDS=$work/shards IRS=$irs
mkdir -p "$SHARDS"
# One CPU per task and a small merge: the files' defaults are sized for 160 M records.
array=$(sbatch --parsable --array="0-$((shards - 1))" --cpus-per-task=1 \
    --chdir="$work/jobs" --output="$work/jobs/ingest-%A_%a.out" \
    "$root/scripts/slurm/ingest-array.sbatch")
array=${array%%;*}
jobs_submitted=$array
merge=$(sbatch --parsable --dependency="afterok:$array" --cpus-per-task=1 --mem=1G \
    --chdir="$work/jobs" --output="$work/jobs/merge-%j.out" \
    "$root/scripts/slurm/merge.sbatch")
merge=${merge%%;*}
jobs_submitted=$array,$merge
say "submitted array job $array (shards 0-$((shards - 1))) and merge job $merge (afterok:$array)"

# "4 JobState=COMPLETED", "3 JobState=COMPLETED 1 JobState=FAILED", ...
job_states() { scontrol -o show job "$1" | grep -o 'JobState=[A-Z_]*' | sort | uniq -c | xargs; }
until=$((SECONDS + timeout))
while :; do
    left=$(squeue -h -j "$jobs_submitted" -o %i 2>/dev/null || true)
    [ -z "$left" ] && break
    # A failed shard leaves the merge pending for ever.
    [[ $(scontrol -o show job "$merge" 2>/dev/null) != *Reason=DependencyNeverSatisfied* ]] ||
        fail "array job $array: $(job_states "$array"); merge job $merge will never start"
    ((SECONDS < until)) || fail "jobs $jobs_submitted not finished after ${timeout}s"
    sleep 2
done
array_states=$(job_states "$array")
merge_states=$(job_states "$merge")
[ "$array_states" = "$shards JobState=COMPLETED" ] ||
    fail "array job $array: $array_states (expected $shards COMPLETED tasks)"
[ "$merge_states" = "1 JobState=COMPLETED" ] || fail "merge job $merge: $merge_states"
sharded=$STATE/epochs/$epoch/set.bin
[ -f "$sharded" ] || fail "the merge job completed but wrote no $sharded"
jobs_submitted=""
say "array job and merge completed"

# --- 5. the unsharded encoding ---------------------------------------------------------

say "unsharded irs ingest of the same file under epoch $epoch"
"$irs" --dir "$work/state-unsharded" ingest --epoch "$epoch" --input "$input" >/dev/null
unsharded=$work/state-unsharded/epochs/$epoch/set.bin
cmp "$sharded" "$unsharded" ||
    fail "set.bin of the Slurm jobs ($sharded) differs from the unsharded one ($unsharded)"

# --- 6. stop, report -------------------------------------------------------------------

stop_cluster
bytes=$(wc -c <"$sharded")
digest=$(sha256sum "$sharded" | cut -c1-16)
echo "run-local: $records records, $shards Slurm array tasks + merge: set.bin identical" \
    "to the unsharded ingest ($bytes bytes, sha256 $digest...) in $((SECONDS - started))s"
