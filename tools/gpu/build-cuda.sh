#!/usr/bin/env bash
# CUDA build of LAMMPS 29 Sep 2021 (KOKKOS with CUDA + Serial, ML-SNAP, MANYBODY, PLUGIN) on the embedded
# Kokkos 3.4.01 with REVAL's CUDA-13 patch (cmake/patches/kokkos-3.4.01-cuda13.patch: CUDA 13 API changes,
# and the HOPPER90 architecture, native sm_90 code, which Kokkos 3.4 predates), and
# of revalplugin.so (with the /kk styles compiled for the GPU) and its tests against it.
# Not part of CI: about 25-40 minutes for LAMMPS on the 2-core project machines (nvcc 13.0, 2 jobs). GPU
# machines get its results prebuilt: tools/gpu/build-bundle.sh packs them, tools/gpu/device-run.sh runs them.
#
#   tools/gpu/build-cuda.sh [--work DIR] [--arch HOPPER90] [--jobs N]
#                           [--mpi on|off] [--lammps-only | --plugin-only | --targets "T1 T2 ..."]
#
#   --arch   Kokkos_ARCH_<arch>: HOPPER90 (H100/H200, sm_90; the default), AMPERE80 (A100), ...
#   --mpi    LAMMPS with MPI (default: on when mpicxx exists) or with its MPI stubs (off: no MPI library
#            needed where it runs; tools/gpu/build-bundle.sh builds it so)
#   --work   build folder (default: $REVAL_CACHE/gpu, REVAL_CACHE defaulting to ~/.cache/reval)
#   --plugin-only  configure LAMMPS but build only revalplugin.so (all REVAL sources through nvcc, the
#            /kk styles for the GPU) against its headers and Kokkos configuration: the quick compile
#            check of the CUDA path (about 5 minutes here) without building all of LAMMPS with nvcc
#   --targets  build only these REVAL targets (e.g. revalplugin and the kokkos test executables), with tests
#            configured
# Prints the lmp, plugin and test folders at the end. Run: lmp -k on g 1 -sf kk -pk kokkos newton on neigh half
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
CACHE="${REVAL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/reval}"
WORK="$CACHE/gpu"
ARCH=HOPPER90
JOBS=$(nproc)
MPI=""
LAMMPS_ONLY=0
PLUGIN_ONLY=0
TARGETS=""
while [ $# -gt 0 ]; do
  case "$1" in
    --work) WORK="$2"; shift 2 ;;
    --arch) ARCH="$2"; shift 2 ;;
    --jobs) JOBS="$2"; shift 2 ;;
    --mpi) MPI="$2"; shift 2; case "$MPI" in on|off) ;; *) echo "build-cuda: --mpi takes on or off" >&2; exit 2 ;; esac ;;
    --lammps-only) LAMMPS_ONLY=1; shift ;;
    --plugin-only) PLUGIN_ONLY=1; shift ;;
    --targets) TARGETS="$2"; shift 2 ;;
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
ENV_FILE="$CACHE/lammps/current/reval-lammps.env"
[ -f "$ENV_FILE" ] || { say "ERROR: no bootstrap LAMMPS ($ENV_FILE): run tools/bootstrap.sh first"; exit 1; }
SRC_TREE=$(sed -n 's/^LAMMPS_ROOT=//p' "$ENV_FILE")
EIGEN_DIR=/usr/share/eigen3/cmake
GTEST_SRC=/usr/src/googletest
POTENTIALS=/usr/share/lammps/potentials
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
# files that Kokkos gives no -arch flag (LAMMPS' MPI stubs, REVAL's core and tests) get the same
# architecture through nvcc_wrapper's default (the patch makes it NVCC_WRAPPER_DEFAULT_ARCH): one
# architecture in every CUDA object (tools/gpu/bundle.py check)
export NVCC_WRAPPER_DEFAULT_ARCH="sm_${ARCH//[!0-9]/}"
CXX_WRAPPER="$TREE/lib/kokkos/bin/nvcc_wrapper"

# ---------------------------------------------------------------- LAMMPS
if [ -z "$MPI" ]; then MPI=off; command -v mpicxx >/dev/null && MPI=on; fi
LBUILD="$WORK/build-lammps"
OPTIONS="arch=$ARCH mpi=$MPI"
configure_lammps() {
  say "configuring LAMMPS (KOKKOS CUDA $ARCH, MPI $MPI)"
  # another architecture or MPI choice than the cached configuration: start from an empty cache (Kokkos
  # refuses two GPU architectures)
  if [ "$(cat "$LBUILD/.reval-options" 2>/dev/null)" != "$OPTIONS" ]; then rm -rf "$LBUILD"; mkdir -p "$LBUILD"; fi
  cmake -S "$TREE/cmake" -B "$LBUILD" "${GEN[@]}" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_CXX_COMPILER="$CXX_WRAPPER" -DCMAKE_CXX_STANDARD=17 -DKokkos_CXX_STANDARD=17 \
    -DBUILD_SHARED_LIBS=on -DBUILD_MPI=$MPI -DBUILD_OMP=off -DLAMMPS_EXCEPTIONS=on -DLAMMPS_SIZES=smallbig \
    -DPKG_PLUGIN=on -DPKG_ML-SNAP=on -DPKG_MANYBODY=on -DPKG_KOKKOS=on \
    -DKokkos_ENABLE_CUDA=on -DKokkos_ENABLE_SERIAL=on -DKokkos_ENABLE_OPENMP=off -DKokkos_ARCH_${ARCH}=on \
    -DWITH_JPEG=off -DWITH_PNG=off -DWITH_FFMPEG=off -DWITH_GZIP=off >"$WORK/lammps-configure.log" 2>&1 \
    || { tail -30 "$WORK/lammps-configure.log" >&2; say "ERROR: LAMMPS configure failed ($WORK/lammps-configure.log)"; exit 1; }
  echo "$OPTIONS" >"$LBUILD/.reval-options"
}
SAME_OPTIONS=0; [ "$(cat "$LBUILD/.reval-options" 2>/dev/null)" = "$OPTIONS" ] && SAME_OPTIONS=1
if [ "$PLUGIN_ONLY" = 1 ]; then
  [ "$SAME_OPTIONS" = 1 ] && [ -f "$LBUILD/CMakeCache.txt" ] && [ "$LBUILD/CMakeCache.txt" -nt "$STAMP" ] || configure_lammps
elif [ "$SAME_OPTIONS" = 0 ] || [ ! -x "$LBUILD/lmp" ] || [ "$STAMP" -nt "$LBUILD/lmp" ]; then
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
[ -n "$TARGETS" ] && TARGET=(--target $TARGETS)
cmake --build "$RBUILD" -j "$JOBS" "${TARGET[@]}" >"$WORK/reval-build.log" 2>&1 \
  || { grep -m5 -B2 -A8 "error" "$WORK/reval-build.log" >&2; say "ERROR: REVAL build failed ($WORK/reval-build.log)"; exit 1; }
# nvcc only warns when device code calls a host-only function (a point kernel without its __device__
# version cannot run on the GPU; 20013 / 20015: a constexpr host function, e.g. a host lambda): treat that as
# the error it is (templates that plain styles instantiate with host lambdas carry REVAL_HD_TEMPLATE)
if grep -qE "warning #2001[135]" "$WORK/reval-build.log"; then
  grep -m5 -E "warning #2001[135]" "$WORK/reval-build.log" >&2
  say "ERROR: device code calls host-only functions (nvcc warnings 20011/20013/20015; $WORK/reval-build.log)"; exit 1
fi
say "REVAL built in $(( $(date +%s) - t )) s"
say "lmp:    $LBUILD/lmp"
say "plugin: $RBUILD/revalplugin.so"
say "tests:  (cd $RBUILD && ctest -L kokkos)   (-k on g 1 -sf kk -pk kokkos newton on neigh half on this build;"
say "        they skip, naming the reason, where no GPU is usable; REVAL_KOKKOS_ARGS overrides the arguments)"
echo "$RBUILD"
