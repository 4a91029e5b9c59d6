#!/usr/bin/env bash
# The si-interstitial example with every REVAL style as its Kokkos twin (OpenMP, 2 threads):
# pair_style snap/model/kk, compute vacancy/sites/kk, compute re/atom/kk, fix re/stats/kk.
#   bash run.sh                 (LMP, PLUGIN, THREADS override the defaults)
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LMP="${LMP:-$HOME/.cache/reval/lammps/current/build/lmp}"
PLUGIN="${PLUGIN:-$HERE/../../build/revalplugin.so}"
THREADS="${THREADS:-2}"
export LAMMPS_POTENTIALS="${LAMMPS_POTENTIALS:-/usr/share/lammps/potentials}" OMP_PROC_BIND=false
"$LMP" -k on t "$THREADS" -sf kk -in "$HERE/../si-interstitial/in.si-interstitial" \
  -var plugin "$PLUGIN" -var pair snap/model -log log.kokkos "$@"
