#!/usr/bin/env bash
# reval-fit's rows (core/snap_fit_rows) against LAMMPS compute snap: see bench_fit.py.
# usage: bash bench/fit/run.sh [--rounds 3] [--reps 5] [--configs 6]
set -euo pipefail
exec /usr/bin/python3 "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/bench_fit.py" "$@"
