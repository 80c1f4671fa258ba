#!/usr/bin/env bash
# Runs the README's "Running the parties by hand" block exactly as written (extracted
# from README.md, so the two cannot drift), in a scratch directory under target/, with
# `set -euo pipefail`: any command that fails fails the run. The block's relative paths
# work because the scratch directory links the workspace's `target/` and `cargo` is
# pointed at the workspace manifest. Prints a last line containing `README flow ok`.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
work="$root/target/readme-flow"
rm -rf "$work"
mkdir -p "$work"
ln -s "$root/target" "$work/target"

block=$(awk '
  /^## Running the parties by hand/ { section = 1; next }
  section && /^## / { exit }
  section && /^```sh$/ { inside = 1; next }
  section && inside && /^```$/ { exit }
  inside { print }
' "$root/README.md")
if [[ -z "$block" ]]; then
  echo "readme-flow: no sh block under '## Running the parties by hand' in README.md" >&2
  exit 1
fi

cargo() { command cargo "$@" --manifest-path "$root/Cargo.toml"; }
export -f cargo
export root

cleanup() {
  # A server the block started and did not stop (it failed before `kill`).
  pkill -f "target/release/irs --dir irs-state serve" 2>/dev/null || true
}
trap cleanup EXIT

cd "$work"
printf '%s\n' "$block" > flow.sh
bash -euo pipefail flow.sh 2>&1 | tee flow.log

# What the block is for: every request row answered, both logs intact.
rows=$(($(wc -l < results.csv) - 1))
want=$(($(wc -l < req.csv) - 1))
if [[ "$rows" -ne "$want" ]]; then
  echo "readme-flow: results.csv has $rows rows for $want requested" >&2
  exit 1
fi
grep -q "precision" flow.log || { echo "readme-flow: no evaluation printed" >&2; exit 1; }
echo "README flow ok: $rows rows answered, audit logs intact"
