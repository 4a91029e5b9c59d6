#!/usr/bin/env bash
# Packs what tools/gpu/build-cuda.sh needs on a GPU machine that has CUDA, CMake and a compiler but no
# package registry: trimmed LAMMPS sources (src top level, KOKKOS, ML-SNAP, MANYBODY, PLUGIN, cmake, the
# embedded Kokkos without tests/examples/docs), Eigen and GoogleTest sources, and the potential files the
# tests use. Writes <repo>/.gpu-carry/reval-gpu-bundle.tar.xz (the folder is git-ignored through
# .git/info/exclude) and prints its size: carry `.gpu-carry` with the device tool, then run there
#   bash tools/gpu/build-cuda.sh --from .gpu-carry/reval-gpu-bundle.tar.xz --jobs 16
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
CACHE="${REVAL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/reval}"
ENV_FILE="$CACHE/lammps/current/reval-lammps.env"
[ -f "$ENV_FILE" ] || { echo "pack: no bootstrap LAMMPS ($ENV_FILE): run tools/bootstrap.sh first" >&2; exit 1; }
TREE=$(sed -n 's/^LAMMPS_ROOT=//p' "$ENV_FILE")
OUT="$REPO/.gpu-carry"
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT

mkdir -p "$STAGE/lammps/src" "$STAGE/lammps/lib" "$STAGE/eigen/include" "$STAGE/eigen/share" "$STAGE/potentials"
cp -r "$TREE/cmake" "$STAGE/lammps/"
find "$TREE/src" -maxdepth 1 -type f -exec cp {} "$STAGE/lammps/src/" \;
for pkg in KOKKOS ML-SNAP MANYBODY PLUGIN STUBS; do cp -r "$TREE/src/$pkg" "$STAGE/lammps/src/"; done
cp -r "$TREE/lib/kokkos" "$STAGE/lammps/lib/"
rm -rf "$STAGE/lammps/lib/kokkos/"{example,doc,benchmarks,core/unit_test,core/perf_test,containers/unit_tests,containers/performance_tests,algorithms/unit_tests}
cp -r /usr/include/eigen3 "$STAGE/eigen/include/"
cp -r /usr/share/eigen3 "$STAGE/eigen/share/"
cp -r /usr/src/googletest/googletest "$STAGE/googletest"
# potential files referenced by the tests and benchmarks
P=/usr/share/lammps/potentials
for f in Si_Zuo_JPCA2020 Ta06A W_2940_2017_2 WBe_Wood_PRB2019 InP_JCPA2020 Cu.nn Cu.snap W.quadratic Si.sw Si.tersoff; do
  cp "$P"/"$f"* "$STAGE/potentials/" 2>/dev/null || true
done
mkdir -p "$OUT"
grep -qx '/.gpu-carry/' "$REPO/.git/info/exclude" 2>/dev/null || echo '/.gpu-carry/' >>"$REPO/.git/info/exclude"
tar -cJf "$OUT/reval-gpu-bundle.tar.xz" -C "$STAGE" .
du -h "$OUT/reval-gpu-bundle.tar.xz" | awk '{print "[gpu-pack] " $2 ": " $1}' >&2
echo "$OUT/reval-gpu-bundle.tar.xz"
