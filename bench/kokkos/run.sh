#!/usr/bin/env bash
# REVAL Kokkos styles (pair_style snap/model/kk, compute vacancy/sites/kk + re/atom/kk) vs LAMMPS' snap/kk,
# the plain computes and compute voronoi/atom under -k on t N -sf kk: see the header of bench_kokkos.py.
# Options are passed on, e.g.
#   bash bench/kokkos/run.sh [--rounds 3] [--steps 40] [--threads 1,2] [--quick] [--cases linear,nn,sites]
set -euo pipefail
export OMP_PROC_BIND=false
exec /usr/bin/python3 "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/bench_kokkos.py" "$@"
