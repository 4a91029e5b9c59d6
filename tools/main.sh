#!/usr/bin/env bash
# The README's main job: bootstrap + build, then run the main example end to end and print its answer.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
BUILD=$(bash "$HERE/build.sh" | tail -1)
ENV_FILE=$(bash "$HERE/bootstrap.sh" 2>/dev/null | tail -1)
# shellcheck disable=SC1090
source "$ENV_FILE"
export LAMMPS_POTENTIALS OMP_NUM_THREADS=1
NP="${REVAL_NP:-2}"
mpi=()
if [ "$NP" -gt 1 ]; then
  mpi=(mpirun -np "$NP" --oversubscribe)
  [ "$(id -u)" = 0 ] && mpi+=(--allow-run-as-root)
fi
EX="$REPO/examples/si-interstitial"
RUN="$BUILD/main-run"; rm -rf "$RUN"; mkdir -p "$RUN"; cd "$RUN"
echo "[main] ${mpi[*]} lmp -in $EX/in.si-interstitial (output in $RUN)" >&2
"${mpi[@]}" "$LMP" -in "$EX/in.si-interstitial" -var plugin "$BUILD/revalplugin.so" -echo none -nocite "$@" > screen.txt 2>&1 \
  || { tail -30 screen.txt >&2; echo "[main] LAMMPS failed" >&2; exit 1; }
grep -E "^REVAL |^  styles:" screen.txt
sed -n '/^Si self-interstitial/,/^  interstitial type/p' screen.txt
