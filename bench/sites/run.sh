#!/usr/bin/env bash
# compute vacancy/sites + re/atom vs compute voronoi/atom occupation, per atom-step, static and in MD, and
# the MPI np 2 speedup: see the header of bench_sites.py. Options are passed on, e.g.
#   bash bench/sites/run.sh [--n 20] [--steps 50] [--repeats 3]
set -euo pipefail
export OMP_NUM_THREADS=1
exec /usr/bin/python3 "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/bench_sites.py" "$@"
