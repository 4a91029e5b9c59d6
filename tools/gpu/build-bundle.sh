#!/usr/bin/env bash
# The GPU kit's bundle, built here (2-core CPU machine, installed nvcc), run there by tools/gpu/device-run.sh:
#   gpu/     LAMMPS 29 Sep 2021 (KOKKOS CUDA + Serial, ML-SNAP, MANYBODY, PLUGIN; MPI stubs) with Kokkos 3.4.01
#            + REVAL's patch, native sm_90 code (Kokkos_ARCH_HOPPER90, -arch=sm_90: no PTX compiled at start-up),
#            revalplugin.so and the kokkos-tier test executables built against it (tools/gpu/build-cuda.sh)
#   cpu/     the project's CPU build (LAMMPS with MPI, KOKKOS OpenMP, VORONOI, ML-IAP; tools/bootstrap.sh) and its
#            revalplugin.so (tools/build.sh): the MPI strong-scaling stage and the --cpu dry run
#   runtime/ the shared libraries those need beyond the C/C++ runtime (OpenMPI, hwloc, voro++, ...) and a
#            relocatable OpenMPI launcher (mpirun, orted, components; OPAL_PREFIX)
#   potentials/  the LAMMPS potential files of the tests and benchmarks
#   MANIFEST.txt versions, flags, and every file with its size and the CUDA code it holds (tools/gpu/bundle.py)
# Everything is stripped and packed into one .tar.xz, checked (<= 60 MiB, sm_90 code only in every CUDA
# object) and cached by a key of its inputs in $REVAL_CACHE/gpu-bundle; the result is copied to
# <repo>/.gpu-carry/reval-gpu-bundle.tar.xz (git-ignored: carry `.gpu-carry` with the device tool).
#
#   tools/gpu/build-bundle.sh [--jobs N] [--force]
#
# Time on the 2-core project machine: about 35 minutes for LAMMPS with nvcc the first time, 10 for REVAL's
# CUDA plugin and tests; a cached key returns at once.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
CACHE="${REVAL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/reval}"
JOBS=$(nproc)
FORCE=0
while [ $# -gt 0 ]; do
  case "$1" in
    --jobs) JOBS="$2"; shift 2 ;;
    --force) FORCE=1; shift ;;
    *) echo "build-bundle: unknown option $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done
say() { echo "[gpu-bundle] $*" >&2; }
ENV_FILE="$CACHE/lammps/current/reval-lammps.env"
[ -f "$ENV_FILE" ] || { say "ERROR: no CPU LAMMPS build ($ENV_FILE): run tools/bootstrap.sh first"; exit 1; }
# shellcheck disable=SC1090
. "$ENV_FILE"
command -v nvcc >/dev/null || { say "ERROR: nvcc not found (CUDA toolkit needed)"; exit 1; }
WORK="$CACHE/gpu-bundle"
mkdir -p "$WORK" "$REPO/.gpu-carry"
grep -qx '/.gpu-carry/' "$REPO/.git/info/exclude" 2>/dev/null || echo '/.gpu-carry/' >>"$REPO/.git/info/exclude"

# ---------------------------------------------------------------- cache key: every input of the bundle
CUDA_VERSION=$(nvcc --version | sed -n 's/.*release \([0-9.]*\).*/\1/p')
KEY=$( {
  echo "$REVAL_LAMMPS_KEY cuda $CUDA_VERSION $(g++ -dumpfullversion)"
  cd "$REPO" && git ls-files -z -- src tests cmake CMakeLists.txt tools/gpu bench/benchlib.py | xargs -0 sha256sum
} | sha256sum | cut -c1-16)
ARCHIVE="$WORK/reval-gpu-$KEY.tar.xz"
CARRY="$REPO/.gpu-carry/reval-gpu-bundle.tar.xz"
if [ "$FORCE" = 0 ] && [ -f "$ARCHIVE" ]; then
  say "cached: $ARCHIVE (key $KEY)"
  cp "$ARCHIVE" "$CARRY"; cp "$WORK/reval-gpu-$KEY.manifest.txt" "$REPO/.gpu-carry/MANIFEST.txt" 2>/dev/null || true
  echo "$CARRY"; exit 0
fi
T0=$(date +%s)

# ---------------------------------------------------------------- builds
KK_TESTS=$(sed -n 's/^reval_add_lammps_test(\(reval_test_kokkos_[a-z_]*\) .*/\1/p' "$REPO/tests/kokkos/CMakeLists.txt" | tr '\n' ' ')
say "CUDA build of LAMMPS and REVAL (revalplugin $KK_TESTS)"
RBUILD=$(bash "$HERE/build-cuda.sh" --work "$WORK" --arch HOPPER90 --mpi off --jobs "$JOBS" --targets "revalplugin $KK_TESTS" | tail -1)
LBUILD="$WORK/build-lammps"
T_CUDA=$(( $(date +%s) - T0 ))
say "CPU build of REVAL (tools/build.sh)"
REVAL_JOBS="$JOBS" bash "$REPO/tools/build.sh" >"$WORK/cpu-build.log" 2>&1 || { tail -20 "$WORK/cpu-build.log" >&2; say "ERROR: CPU build failed"; exit 1; }
CPU_PLUGIN="${REVAL_BUILD_DIR:-$REPO/build}/revalplugin.so"

# ---------------------------------------------------------------- stage
STAGE="$WORK/stage"
rm -rf "$STAGE"; mkdir -p "$STAGE"/{gpu/bin,gpu/lib,gpu/tests,cpu/bin,cpu/lib,runtime/lib,potentials}
cp "$LBUILD/lmp" "$STAGE/gpu/bin/"
cp -L "$LBUILD"/liblammps.so.0 "$STAGE/gpu/lib/"
for f in $(find "$LBUILD/lib/kokkos" -name 'libkokkos*.so.*' -type f); do cp "$f" "$STAGE/gpu/lib/$(basename "$f" | sed 's/\(\.so\.[0-9]*\.[0-9]*\).*/\1/')"; done
cp "$RBUILD/revalplugin.so" "$STAGE/gpu/"
for t in $KK_TESTS; do
  exe=$(find "$RBUILD/tests" -name "$t" -type f -perm -u+x | head -1)
  [ -n "$exe" ] || { say "ERROR: test executable $t not built in $RBUILD"; exit 1; }
  cp "$exe" "$STAGE/gpu/tests/"
done
cp "$LMP" "$STAGE/cpu/bin/"
cp -L "$LAMMPS_BUILD_DIR"/liblammps.so.0 "$STAGE/cpu/lib/"
for f in $(find "$LAMMPS_BUILD_DIR/lib/kokkos" -name 'libkokkos*.so.*' -type f); do cp "$f" "$STAGE/cpu/lib/$(basename "$f" | sed 's/\(\.so\.[0-9]*\.[0-9]*\).*/\1/')"; done
cp "$CPU_PLUGIN" "$STAGE/cpu/"

# OpenMPI launcher, relocatable with OPAL_PREFIX (Debian's layout below the prefix /usr kept)
OMPI_LIBDIR=$(ompi_info --path libdir --parsable 2>/dev/null | sed -n 's/^path:libdir://p')
OMPI_PKGLIB=$(ompi_info --path pkglibdir --parsable 2>/dev/null | sed -n 's/^path:pkglibdir://p')
OMPI_DATA=$(ompi_info --path pkgdatadir --parsable 2>/dev/null | sed -n 's/^path:pkgdatadir://p')
if [ -n "$OMPI_PKGLIB" ] && [ -d "$OMPI_PKGLIB" ]; then
  O="$STAGE/runtime/openmpi"
  mkdir -p "$O/bin" "$O${OMPI_PKGLIB#/usr}" "$O${OMPI_DATA#/usr}"
  cp -L "$(command -v orterun || readlink -f "$(command -v mpirun)")" "$O/bin/mpirun"
  cp -L "$(command -v orted)" "$O/bin/"
  cp "$OMPI_PKGLIB"/*.so "$O${OMPI_PKGLIB#/usr}/"
  cp -r "$OMPI_DATA"/. "$O${OMPI_DATA#/usr}/"
  [ -n "$OMPI_LIBDIR" ] && mkdir -p "$O${OMPI_LIBDIR#/usr}"
else
  say "no OpenMPI here: the bundle has no MPI launcher (device-run.sh uses the GPU machine's, if any)"
fi

# shared libraries beyond the C/C++ runtime and the CUDA driver, for every program and library staged
SYSTEM_LIBS='^(linux-vdso|ld-linux|libc\.|libm\.|libdl\.|libpthread\.|librt\.|libutil\.|libresolv\.|libstdc\+\+\.|libgcc_s\.|libcuda\.|libnvidia)'
find "$STAGE" -type f \( -name '*.so*' -o -perm -u+x \) | while read -r f; do
  LD_LIBRARY_PATH="$STAGE/gpu/lib:$STAGE/cpu/lib" ldd "$f" 2>/dev/null | awk '/=> \//{print $1, $3}'
done | sort -u | while read -r name path; do
  echo "$name" | grep -Eq "$SYSTEM_LIBS" && continue
  case "$path" in "$STAGE"/*) continue ;; esac
  [ -f "$STAGE/runtime/lib/$name" ] || cp -L "$path" "$STAGE/runtime/lib/$name"
done

P=${LAMMPS_POTENTIALS:-/usr/share/lammps/potentials}
for f in Si_Zuo_JPCA2020.snapcoeff Si_Zuo_JPCA2020.snapparam Si_Zuo_JPCA2020.quadratic.snapcoeff \
         Si_Zuo_JPCA2020.quadratic.snapparam Si.sw Si.tersoff Ta06A.snapcoeff Ta06A.snapparam W_2940_2017_2.snapcoeff \
         W_2940_2017_2.snapparam W_2940_2017_2.snap WBe_Wood_PRB2019.snapcoeff WBe_Wood_PRB2019.snapparam \
         InP_JCPA2020.snapcoeff InP_JCPA2020.snapparam Cu.snapcoeff Cu.snapparam; do
  [ -f "$P/$f" ] && cp "$P/$f" "$STAGE/potentials/"
done
# and whatever else the kokkos tests name
for f in $(grep -oh '[A-Za-z0-9_.]*\.\(snapcoeff\|snapparam\|sw\|tersoff\|mliap\.[a-z]*\)' "$REPO"/tests/kokkos/*.cpp "$REPO"/tests/support/*.h 2>/dev/null | sort -u); do
  [ -f "$P/$f" ] && [ ! -f "$STAGE/potentials/$f" ] && cp "$P/$f" "$STAGE/potentials/"
done

# strip (the CUDA code lives in allocated sections that strip keeps)
find "$STAGE/gpu" "$STAGE/cpu" "$STAGE/runtime" -type f \( -name '*.so*' -o -perm -u+x \) -exec strip --strip-unneeded {} + 2>/dev/null || true

# ---------------------------------------------------------------- manifest, archive, check
LAMMPS_VERSION=$(cd /tmp && "$LMP" -h </dev/null 2>/dev/null | sed -n 's/^Large-scale Atomic\/Molecular Massively Parallel Simulator - //p' | head -1)
COMMIT=$(cd "$REPO" && git rev-parse --short=12 HEAD)$(cd "$REPO" && git diff --quiet HEAD -- src tests cmake CMakeLists.txt tools/gpu || echo "+local-changes")
python3 "$HERE/bundle.py" manifest "$STAGE" \
  "key=$KEY" "reval_commit=$COMMIT" "built=$(date -u +%Y-%m-%dT%H:%M:%SZ) on $(uname -m), $(nproc) cores" \
  "lammps=$LAMMPS_VERSION" "kokkos=3.4.01 + cmake/patches/kokkos-3.4.01-cuda13.patch (CUDA 13, HOPPER90)" \
  "cuda=$CUDA_VERSION" "cuda_arch=sm_90" "host_compiler=g++ $(g++ -dumpfullversion)" \
  "gpu_build=KOKKOS (CUDA + Serial, Kokkos_ARCH_HOPPER90, -arch=sm_90), ML-SNAP, MANYBODY, PLUGIN; MPI stubs; Release" \
  "cpu_build=the project's CPU LAMMPS ($REVAL_LAMMPS_KEY: MPI, KOKKOS OpenMP, ML-SNAP, ML-IAP, MANYBODY, VORONOI, EXTRA-*)" \
  "tests=$KK_TESTS" "mpi_launcher=$([ -d "$STAGE/runtime/openmpi" ] && echo "OpenMPI $(ompi_info --version 2>/dev/null | sed -n 's/.*v\([0-9.]*\).*/\1/p' | head -1), relocatable (OPAL_PREFIX)" || echo none)" \
  "cuda_build_seconds_this_run=$T_CUDA (LAMMPS is built once and cached)"
tar -cf - -C "$STAGE" . | xz -T"$JOBS" -6 >"$ARCHIVE.tmp"
mv "$ARCHIVE.tmp" "$ARCHIVE"
cp "$STAGE/MANIFEST.txt" "$WORK/reval-gpu-$KEY.manifest.txt"
if ! python3 "$HERE/bundle.py" check "$ARCHIVE" >&2; then
  say "ERROR: the bundle fails its check (above); $ARCHIVE kept for inspection"; rm -f "$CARRY"; exit 1
fi
cp "$ARCHIVE" "$CARRY"; cp "$STAGE/MANIFEST.txt" "$REPO/.gpu-carry/MANIFEST.txt"
say "bundle $(du -h "$ARCHIVE" | cut -f1) in $(( $(date +%s) - T0 )) s (CUDA builds $T_CUDA s): $CARRY"
echo "$CARRY"
