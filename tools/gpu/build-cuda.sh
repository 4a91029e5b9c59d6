#!/usr/bin/env bash
# CUDA build of LAMMPS 29 Sep 2021 (KOKKOS with CUDA + Serial, ML-SNAP, MANYBODY, PLUGIN) on the embedded
# Kokkos 3.4.01 with REVAL's CUDA-13 compatibility patch (cmake/patches/kokkos-3.4.01-cuda13.patch), and
# of revalplugin.so (with the /kk styles compiled for the GPU) and its tests against it.
# Not part of CI: about 40 minutes for LAMMPS on the 2-core project machines (measured: 508 targets,
# nvcc 13.0, 2 jobs), a few minutes on a 16-core GPU machine.
#
#   tools/gpu/build-cuda.sh [--from <bundle.tar.xz>] [--work DIR] [--arch AMPERE80] [--jobs N]
#                           [--lammps-only | --plugin-only]
#
#   --from   a bundle made by tools/gpu/pack.sh (GPU machines have no package registry); without it the
#            sources come from this machine: the bootstrap's LAMMPS tree, Debian's Eigen, GoogleTest
#            and lammps-data potentials
#   --arch   Kokkos_ARCH_<arch> (AMPERE80 code runs on Hopper through PTX, which Kokkos 3.4 predates)
#   --work   build folder (default: $REVAL_CACHE/gpu, REVAL_CACHE defaulting to ~/.cache/reval)
#   --plugin-only  configure LAMMPS but build only revalplugin.so (all REVAL sources through nvcc, the
#            /kk styles for the GPU) against its headers and Kokkos configuration: the quick compile
#            check of the CUDA path (about 5 minutes here) without building all of LAMMPS with nvcc
# Prints the lmp, plugin and test folders at the end. Run: lmp -k on g 1 -sf kk -pk kokkos newton on neigh half
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
CACHE="${REVAL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/reval}"
WORK="$CACHE/gpu"
ARCH=AMPERE80
JOBS=$(nproc)
FROM=""
LAMMPS_ONLY=0
PLUGIN_ONLY=0
while [ $# -gt 0 ]; do
  case "$1" in
    --from) FROM=$(cd "$(dirname "$2")" && pwd)/$(basename "$2"); shift 2 ;;
    --work) WORK="$2"; shift 2 ;;
    --arch) ARCH="$2"; shift 2 ;;
    --jobs) JOBS="$2"; shift 2 ;;
    --lammps-only) LAMMPS_ONLY=1; shift ;;
    --plugin-only) PLUGIN_ONLY=1; shift ;;
    *) echo "build-cuda: unknown option $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done
say() { echo "[gpu-build] $*" >&2; }
command -v nvcc >/dev/null || { say "ERROR: nvcc not found (CUDA toolkit needed)"; exit 1; }
command -v cmake >/dev/null || { say "ERROR: cmake not found"; exit 1; }
GEN=(-G Ninja); command -v ninja >/dev/null || GEN=()
mkdir -p "$WORK"
say "CUDA $(nvcc --version | sed -n 's/.*release \([0-9.]*\).*/\1/p'), arch $ARCH, $JOBS jobs, work folder $WORK"

# ---------------------------------------------------------------- sources
if [ -n "$FROM" ]; then
  if [ ! -f "$WORK/.unpacked" ] || [ "$FROM" -nt "$WORK/.unpacked" ]; then
    say "unpacking $FROM"
    rm -rf "$WORK/bundle"; mkdir -p "$WORK/bundle"
    tar -xJf "$FROM" -C "$WORK/bundle"
    touch "$WORK/.unpacked"
  fi
  SRC_TREE="$WORK/bundle/lammps"
  EIGEN_DIR="$WORK/bundle/eigen/share/eigen3/cmake"
  GTEST_SRC="$WORK/bundle/googletest"
  POTENTIALS="$WORK/bundle/potentials"
else
  ENV_FILE="$CACHE/lammps/current/reval-lammps.env"
  [ -f "$ENV_FILE" ] || { say "ERROR: no bootstrap LAMMPS ($ENV_FILE): run tools/bootstrap.sh first"; exit 1; }
  SRC_TREE=$(sed -n 's/^LAMMPS_ROOT=//p' "$ENV_FILE")
  EIGEN_DIR=/usr/share/eigen3/cmake
  GTEST_SRC=/usr/src/googletest
  POTENTIALS=/usr/share/lammps/potentials
fi
[ -f "$SRC_TREE/lib/kokkos/core/src/Kokkos_Core.hpp" ] || { say "ERROR: no Kokkos sources in $SRC_TREE/lib/kokkos"; exit 1; }

# a private copy of the LAMMPS tree whose Kokkos gets the CUDA-13 patch (the CPU build stays untouched)
TREE="$WORK/lammps"
PATCH="$REPO/cmake/patches/kokkos-3.4.01-cuda13.patch"
STAMP="$TREE/.reval-cuda13-patched"
if [ ! -f "$STAMP" ] || [ "$PATCH" -nt "$STAMP" ]; then
  say "copying the LAMMPS tree and applying $(basename "$PATCH")"
  rm -rf "$TREE"; mkdir -p "$TREE/lib"
  cp -r "$SRC_TREE/cmake" "$SRC_TREE/src" "$TREE/"
  cp -r "$SRC_TREE/lib/kokkos" "$TREE/lib/"
  patch -p1 -s -d "$TREE/lib" <"$PATCH"
  touch "$STAMP"
fi
export NVCC_WRAPPER_DEFAULT_COMPILER="${NVCC_WRAPPER_DEFAULT_COMPILER:-g++}"
CXX_WRAPPER="$TREE/lib/kokkos/bin/nvcc_wrapper"

# ---------------------------------------------------------------- LAMMPS
MPI=off; command -v mpicxx >/dev/null && MPI=on
LBUILD="$WORK/build-lammps"
configure_lammps() {
  say "configuring LAMMPS (KOKKOS CUDA $ARCH, MPI $MPI)"
  cmake -S "$TREE/cmake" -B "$LBUILD" "${GEN[@]}" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_CXX_COMPILER="$CXX_WRAPPER" -DCMAKE_CXX_STANDARD=17 -DKokkos_CXX_STANDARD=17 \
    -DBUILD_SHARED_LIBS=on -DBUILD_MPI=$MPI -DBUILD_OMP=off -DLAMMPS_EXCEPTIONS=on -DLAMMPS_SIZES=smallbig \
    -DPKG_PLUGIN=on -DPKG_ML-SNAP=on -DPKG_MANYBODY=on -DPKG_KOKKOS=on \
    -DKokkos_ENABLE_CUDA=on -DKokkos_ENABLE_SERIAL=on -DKokkos_ENABLE_OPENMP=off -DKokkos_ARCH_${ARCH}=on \
    -DWITH_JPEG=off -DWITH_PNG=off -DWITH_FFMPEG=off -DWITH_GZIP=off >"$WORK/lammps-configure.log" 2>&1 \
    || { tail -30 "$WORK/lammps-configure.log" >&2; say "ERROR: LAMMPS configure failed ($WORK/lammps-configure.log)"; exit 1; }
}
if [ "$PLUGIN_ONLY" = 1 ]; then
  [ -f "$LBUILD/CMakeCache.txt" ] && [ "$LBUILD/CMakeCache.txt" -nt "$STAMP" ] || configure_lammps
elif [ ! -x "$LBUILD/lmp" ] || [ "$STAMP" -nt "$LBUILD/lmp" ]; then
  configure_lammps
  say "building LAMMPS ($JOBS jobs; log $WORK/lammps-build.log)"
  t=$(date +%s)
  cmake --build "$LBUILD" -j "$JOBS" >"$WORK/lammps-build.log" 2>&1 \
    || { grep -m5 -B2 -A8 "error" "$WORK/lammps-build.log" >&2; say "ERROR: LAMMPS build failed ($WORK/lammps-build.log)"; exit 1; }
  say "LAMMPS built in $(( $(date +%s) - t )) s"
fi
[ "$LAMMPS_ONLY" = 1 ] && { echo "$LBUILD/lmp"; exit 0; }

# ---------------------------------------------------------------- REVAL
RBUILD="$WORK/build-reval"
say "configuring REVAL against it"
cmake -S "$REPO" -B "$RBUILD" "${GEN[@]}" -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER="$CXX_WRAPPER" \
  -DLAMMPS_SOURCE_DIR="$TREE/src" -DLAMMPS_BUILD_DIR="$LBUILD" -DEigen3_DIR="$EIGEN_DIR" \
  -DREVAL_GTEST_SOURCE_DIR="$GTEST_SRC" -DREVAL_POTENTIALS_DIR="$POTENTIALS" \
  -DREVAL_ENABLE_TESTS=$([ "$PLUGIN_ONLY" = 1 ] && echo OFF || echo ON) >"$WORK/reval-configure.log" 2>&1 \
  || { tail -30 "$WORK/reval-configure.log" >&2; say "ERROR: REVAL configure failed ($WORK/reval-configure.log)"; exit 1; }
t=$(date +%s)
TARGET=(); [ "$PLUGIN_ONLY" = 1 ] && TARGET=(--target revalplugin)
cmake --build "$RBUILD" -j "$JOBS" "${TARGET[@]}" >"$WORK/reval-build.log" 2>&1 \
  || { grep -m5 -B2 -A8 "error" "$WORK/reval-build.log" >&2; say "ERROR: REVAL build failed ($WORK/reval-build.log)"; exit 1; }
# nvcc only warns when device code calls a host-only function (a point kernel without its __device__
# version cannot run on the GPU): treat that as the error it is
if grep -q "warning #20011" "$WORK/reval-build.log"; then
  grep -m5 "warning #20011" "$WORK/reval-build.log" >&2
  say "ERROR: device code calls host-only functions (nvcc warning 20011; $WORK/reval-build.log)"; exit 1
fi
say "REVAL built in $(( $(date +%s) - t )) s"
say "lmp:    $LBUILD/lmp"
say "plugin: $RBUILD/revalplugin.so"
say "tests:  (cd $RBUILD && ctest -L kokkos)   (-k on g 1 -sf kk -pk kokkos newton on neigh half on this build;"
say "        they skip, naming the reason, where no GPU is usable; REVAL_KOKKOS_ARGS overrides the arguments)"
echo "$RBUILD"
