#!/usr/bin/env bash
# pair_style snap/model vs LAMMPS' pair snap / pair mliap nn, and a 4-member committee vs one model:
# see the header of bench_snap_model.py. Options are passed on, e.g.
#   bash bench/snap_model/run.sh [--rounds 3] [--steps 40] [--quick] [--cases linear,nn-cu] [--no-large]
set -euo pipefail
export OMP_NUM_THREADS=1
exec /usr/bin/python3 "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/bench_snap_model.py" "$@"
