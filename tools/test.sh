#!/usr/bin/env bash
# The whole REVAL test suite from a fresh machine: bootstrap (Debian packages, pinned LAMMPS + Kokkos
# sources, cached LAMMPS build), build REVAL, run every ctest tier (unit, lammps, mpi, kokkos).
#   tools/test.sh [ctest arguments, e.g. -L unit]
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
T0=$(date +%s)
BUILD=$(bash "$HERE/build.sh" | tail -1)
echo "[test] running ctest in $BUILD" >&2
rc=0
ctest --test-dir "$BUILD" --output-on-failure -j "${REVAL_JOBS:-$(nproc)}" "$@" || rc=$?
echo "[test] finished in $(( $(date +%s) - T0 )) s (rc=$rc)" >&2
exit $rc
