#!/usr/bin/env bash
# Compile-check the plugin against another LAMMPS version (not part of CI).
#
#   tools/check-lammps-compat.sh [--kokkos <kokkos sources>] [--test] [<lammps tree>]
#     without a tree: LAMMPS 4 Feb 2025 (Debian trixie source package)
#     --kokkos: also the /kk styles: LAMMPS is configured (not built) with KOKKOS (OpenMP + Serial) on
#       those Kokkos sources (copied to the tree's lib/kokkos when it has none: Debian's tarball removes
#       it), e.g. a Kokkos 4.6.01 checkout (`git archive 4.6.01` of kokkos/kokkos), and REVAL is built
#       against that configuration (LAMMPS_BUILD_DIR).
#     --test: build that LAMMPS (the packages of the embedded build, + KOKKOS with --kokkos), build REVAL
#       with its tests against it and run them all; exit status = ctest's.
#
# The Debian tarball is fetched with an apt configuration private to the cache (the machine's apt
# setup is not touched), its URI derived from this machine's own bookworm entry. REVAL is then
# configured with -DLAMMPS_SOURCE_DIR=<tree>/src (no LAMMPS build: plain, non-Kokkos plugin) and
# built. Exit status 0 means revalplugin.so compiled and linked against those headers.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
CACHE="${REVAL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/reval}"
PKG_VERSION="20250204+dfsg.1-2"
ORIG="lammps_20250204+dfsg.1.orig.tar.xz"
say() { echo "[compat] $*" >&2; }

KOKKOS_SRC=""
RUN_TESTS=0
while [ $# -gt 0 ]; do
  case "$1" in
    --kokkos)
      KOKKOS_SRC=$(cd "${2:?--kokkos needs the Kokkos source folder}" && pwd)
      [ -f "$KOKKOS_SRC/core/src/Kokkos_Core.hpp" ] || { say "ERROR: $KOKKOS_SRC has no core/src/Kokkos_Core.hpp"; exit 1; }
      shift 2 ;;
    --test) RUN_TESTS=1; shift ;;
    -*) say "ERROR: unknown option $1 (see the header of $0)"; exit 2 ;;
    *) break ;;
  esac
done
tree="${1:-}"
if [ -z "$tree" ]; then
  dir="$CACHE/compat/lammps-20250204"
  mkdir -p "$dir/apt/lists/partial" "$dir/src"
  if [ ! -f "$dir/src/$ORIG" ]; then
    /usr/bin/python3 "$HERE/derive_deb_src.py" --suite bookworm --as-suite trixie >"$dir/apt/sources.sources"
    apt_opts=(-o "Dir::Etc::SourceList=/dev/null" -o "Dir::Etc::SourceParts=$dir/apt/parts"
              -o "Dir::State::Lists=$dir/apt/lists" -o "APT::Get::AllowUnauthenticated=false")
    mkdir -p "$dir/apt/parts"; cp "$dir/apt/sources.sources" "$dir/apt/parts/trixie-src.sources"
    say "apt-get update (private state in $dir/apt)"
    apt-get "${apt_opts[@]}" update -qq >&2 || { say "ERROR: apt-get update for trixie sources failed"; exit 1; }
    say "apt-get source --download-only lammps=$PKG_VERSION"
    # the .dsc may be gone from the mirror (404) while the .orig tarball, all we need, still arrives
    (cd "$dir/src" && apt-get "${apt_opts[@]}" source -qq --download-only "lammps=$PKG_VERSION" 2>&1 \
      | grep -v -e "unsandboxed as root" -e "dsc  404" -e "Failed to fetch some" >&2) || true
    [ -f "$dir/src/$ORIG" ] || { say "ERROR: $ORIG did not arrive (fix: place it in $dir/src by hand)"; exit 1; }
  fi
  if [ ! -f "$dir/tree/src/version.h" ]; then
    say "unpacking $ORIG"
    rm -rf "$dir/tree" "$dir/unpack"; mkdir -p "$dir/unpack"
    tar -xJf "$dir/src/$ORIG" -C "$dir/unpack"; mv "$dir"/unpack/* "$dir/tree"; rm -rf "$dir/unpack"
  fi
  tree="$dir/tree"
fi
[ -f "$tree/src/version.h" ] || { say "ERROR: $tree is not a LAMMPS source tree (no src/version.h)"; exit 1; }
ver=$(sed -n 's/^#define LAMMPS_VERSION "\(.*\)"/\1/p' "$tree/src/version.h")
tag=$(echo "$ver" | tr -d ' ')
build="$CACHE/compat/build-$tag"
lammps_build=()
kokkos_opts=()
if [ -n "$KOKKOS_SRC" ]; then
  kv=$(sed -n 's/^set(Kokkos_VERSION_\(MAJOR\|MINOR\|PATCH\) \([0-9]*\))/\2/p' "$KOKKOS_SRC/CMakeLists.txt" | paste -sd.)
  if [ ! -f "$tree/lib/kokkos/core/src/Kokkos_Core.hpp" ]; then
    say "copying Kokkos $kv into $tree/lib/kokkos"
    rm -rf "$tree/lib/kokkos"; cp -r "$KOKKOS_SRC" "$tree/lib/kokkos"
  fi
  build="$build-kokkos"
  kokkos_opts=(-DPKG_KOKKOS=on -DKokkos_ENABLE_OPENMP=on -DKokkos_ENABLE_SERIAL=on)
fi
common=(-G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_STANDARD=17 -DBUILD_SHARED_LIBS=on -DBUILD_MPI=on
        -DBUILD_OMP=on -DPKG_PLUGIN=on -DPKG_ML-SNAP=on -DPKG_MANYBODY=on -DWITH_JPEG=off -DWITH_PNG=off
        -DWITH_FFMPEG=off -DWITH_GZIP=off "${kokkos_opts[@]}")
if [ "$RUN_TESTS" = 1 ]; then
  # the packages of the embedded build (the tests' oracles and baselines), built, then REVAL's tests
  suffix=""; [ -n "$KOKKOS_SRC" ] || suffix="-plain"
  lbuild="$CACHE/compat/lammps-run-$tag$suffix"
  build="$CACHE/compat/reval-run-$tag$suffix"
  say "configuring and building LAMMPS $ver in $lbuild (log $lbuild.log; ~25 min on 2 cores)"
  { cmake -S "$tree/cmake" -B "$lbuild" "${common[@]}" -DPKG_ML-IAP=on -DMLIAP_ENABLE_PYTHON=off \
      -DPKG_EXTRA-COMPUTE=on -DPKG_EXTRA-FIX=on -DPKG_VORONOI=on -DDOWNLOAD_VORO=off \
    && cmake --build "$lbuild" -j "${REVAL_JOBS:-$(nproc)}"; } >"$lbuild.log" 2>&1 \
    || { tail -30 "$lbuild.log" >&2; say "ERROR: LAMMPS $ver build failed ($lbuild.log)"; exit 1; }
  say "configuring and building REVAL with its tests in $build"
  { cmake -S "$REPO" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DLAMMPS_SOURCE_DIR="$tree/src" \
      -DLAMMPS_BUILD_DIR="$lbuild" && cmake --build "$build" -j "${REVAL_JOBS:-$(nproc)}"; } >"$build.log" 2>&1 \
    || { tail -30 "$build.log" >&2; say "ERROR: REVAL build against LAMMPS $ver failed ($build.log)"; exit 1; }
  say "running the tests against LAMMPS $ver"
  (cd "$build" && OMP_PROC_BIND=false ctest -j "${REVAL_JOBS:-$(nproc)}" --output-on-failure) >&2
  exit $?
fi
if [ -n "$KOKKOS_SRC" ]; then
  lbuild="$CACHE/compat/lammps-build-$tag-kokkos"
  say "configuring LAMMPS $ver with KOKKOS (OpenMP + Serial, Kokkos $kv) in $lbuild (configure only)"
  cmake -S "$tree/cmake" -B "$lbuild" "${common[@]}" >"$lbuild.log" 2>&1 || { tail -30 "$lbuild.log" >&2; exit 1; }
  lammps_build=(-DLAMMPS_BUILD_DIR="$lbuild" -DREVAL_ENABLE_KOKKOS=ON)
fi
say "configuring REVAL against LAMMPS $ver ($tree) in $build"
cmake -S "$REPO" -B "$build" -G Ninja -DLAMMPS_SOURCE_DIR="$tree/src" -DREVAL_ENABLE_TESTS=OFF \
  "${lammps_build[@]}" -DCMAKE_BUILD_TYPE=Release >"$build.log" 2>&1 || { tail -30 "$build.log" >&2; exit 1; }
grep "^-- REVAL" "$build.log" >&2 || true
say "building revalplugin against LAMMPS $ver"
cmake --build "$build" -j "${REVAL_JOBS:-$(nproc)}" >&2
nm -D --undefined-only "$build/revalplugin.so" | grep -c LAMMPS_NS | xargs -I{} echo "[compat] OK: $build/revalplugin.so built; {} LAMMPS symbols resolved at load time" >&2
