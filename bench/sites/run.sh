#!/usr/bin/env bash
# compute vacancy/sites + re/atom vs compute voronoi/atom occupation, per atom-step, static and in MD, the
# MPI np 2 speedup, heavy damage (plain and -k on t 1|2 -sf kk) and 1M atoms: see the header of
# bench_sites.py. Options are passed on, e.g.
#   bash bench/sites/run.sh [--n 20] [--steps 50] [--repeats 3] [--cases crystal,damage,large]
set -euo pipefail
export OMP_NUM_THREADS=1
exec /usr/bin/python3 "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/bench_sites.py" "$@"
