#!/usr/bin/env bash
# Measure OpenMined PSI (openmined.psi) step by step; see README.md beside this file.
#
#   scripts/peers/openmined/run.sh [--install] [--sizes 65536,1048576] [--client-size M]
#                                  [--fpr F[,F2...]] [--out FILE.json] [other bench.py flags]
#
# --install creates (or refreshes) the virtual environment target/peers/openmined-venv and
# installs the pinned wheels from requirements.txt. Without it, a missing environment is
# reported with the command to create it. Every other flag goes to bench.py.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
venv="$repo/target/peers/openmined-venv"
python="${PYTHON:-python3}"

install=0
args=()
for a in "$@"; do
    case "$a" in
        --install) install=1 ;;
        -h|--help)
            sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
            echo
            if [[ -x "$venv/bin/python" ]]; then "$venv/bin/python" "$here/bench.py" --help; fi
            exit 0
            ;;
        *) args+=("$a") ;;
    esac
done

if [[ $install -eq 1 ]]; then
    if [[ ! -x "$venv/bin/python" ]]; then
        mkdir -p "$(dirname "$venv")"
        "$python" -m venv "$venv"
    fi
    # Wheels only: the package's source build needs Bazel, which we do not want here.
    "$venv/bin/python" -m pip install --only-binary=:all: -r "$here/requirements.txt"
elif [[ ! -x "$venv/bin/python" ]]; then
    echo "no virtual environment at $venv" >&2
    echo "create it and install the pinned package with:" >&2
    echo "  $0 --install ${args[*]:-}" >&2
    exit 2
fi

if ! "$venv/bin/python" -c 'import private_set_intersection.python' 2>/dev/null; then
    echo "openmined.psi is not importable in $venv; rerun with --install" >&2
    exit 2
fi

exec "$venv/bin/python" "$here/bench.py" "${args[@]}"
