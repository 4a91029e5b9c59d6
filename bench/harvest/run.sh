#!/usr/bin/env bash
# fix re/harvest's cost when no criterion holds vs a SNAP step: see the header of bench_harvest.py.
#   bash bench/harvest/run.sh [--n 4] [--steps 200] [--rounds 5] [--every 1,10]
set -euo pipefail
export OMP_NUM_THREADS=1
exec /usr/bin/python3 "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/bench_harvest.py" "$@"
