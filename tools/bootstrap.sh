#!/usr/bin/env bash
# REVAL toolchain bootstrap: Debian packages, pinned LAMMPS + Kokkos sources, and a cached LAMMPS build.
#
# Idempotent: every step checks whether its result is already there and skips itself if so.
#
#   tools/bootstrap.sh              install deps, fetch sources, build LAMMPS (cached), print its env
#   tools/bootstrap.sh --deps-only  only the Debian packages (enough for the LAMMPS-free core + unit tests)
#   tools/bootstrap.sh --print-env  print the environment file of the cached build (build it if needed)
#
# Environment:
#   REVAL_CACHE   cache root (default: $XDG_CACHE_HOME/reval or $HOME/.cache/reval)
#   REVAL_JOBS    parallel build jobs (default: nproc)
#
# Result: $REVAL_CACHE/lammps/<key>/ with lammps/ (source tree, lib/kokkos filled in), build/ (lmp,
# liblammps.so, Kokkos shared libs) and reval-lammps.env (LAMMPS_SOURCE_DIR, LAMMPS_BUILD_DIR, LMP, ...).
# The key hashes the pinned versions, the CMake options and the compiler/MPI versions, so any change
# gives a new build next to the old one instead of silently reusing a stale one.
set -euo pipefail

# ---------------------------------------------------------------- pinned versions and options
LAMMPS_DEB_VERSION="20220106.git7586adbb6a+ds1-2"        # LAMMPS 29 Sep 2021 - Update 2
LAMMPS_ORIG="lammps_20220106.git7586adbb6a+ds1.orig.tar.xz"
TRILINOS_DEB_VERSION="13.2.0-4"                            # packages/kokkos = Kokkos 3.4.01
TRILINOS_ORIG="trilinos_13.2.0.orig.tar.gz"
KOKKOS_VERSION="3.4.01"
SOURCE_SUITE="bookworm"

DEB_PACKAGES=(g++ make cmake ninja-build ccache pkg-config xz-utils libopenmpi-dev openmpi-bin libeigen3-dev
  libgtest-dev libgmock-dev libyaml-dev voro++-dev lammps-data
  python3-numpy python3-scipy python3-matplotlib)

LAMMPS_CMAKE_OPTIONS=(
  -DCMAKE_BUILD_TYPE=Release
  -DCMAKE_CXX_STANDARD=17
  -DKokkos_CXX_STANDARD=17
  -DBUILD_SHARED_LIBS=on
  -DBUILD_MPI=on
  -DBUILD_OMP=on
  -DLAMMPS_EXCEPTIONS=on
  -DLAMMPS_SIZES=smallbig
  -DPKG_PLUGIN=on
  -DPKG_ML-SNAP=on
  -DPKG_ML-IAP=on
  -DPKG_MANYBODY=on
  -DPKG_EXTRA-COMPUTE=on
  -DPKG_EXTRA-FIX=on
  -DPKG_VORONOI=on
  -DDOWNLOAD_VORO=off
  -DPKG_KOKKOS=on
  -DKokkos_ENABLE_OPENMP=on
  -DKokkos_ENABLE_SERIAL=on
  -DKokkos_ENABLE_CUDA=off
  -DWITH_JPEG=off
  -DWITH_PNG=off
  -DWITH_FFMPEG=off
  -DWITH_GZIP=on
)

# ---------------------------------------------------------------- helpers
MODE=build
case "${1:-}" in
  --deps-only) MODE=deps ;;
  --print-env) MODE=env ;;
  "") ;;
  -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
  *) echo "bootstrap: unknown option '$1' (see --help)" >&2; exit 2 ;;
esac

T0=$(date +%s)
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
say()  { printf '[bootstrap %4ss] %s\n' "$(( $(date +%s) - T0 ))" "$*" >&2; }
die()  { printf '\nbootstrap: ERROR: %s\n' "$1" >&2; shift; for l in "$@"; do printf '  fix: %s\n' "$l" >&2; done; exit 1; }

CACHE="${REVAL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/reval}"
JOBS="${REVAL_JOBS:-$(nproc)}"
mkdir -p "$CACHE" || die "cannot create the cache folder $CACHE" "set REVAL_CACHE to a writable folder"

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else die "'$*' needs root" "run tools/bootstrap.sh as root, or install the packages it lists yourself"
  fi
}

# ---------------------------------------------------------------- 1. Debian packages
APT_UPDATED=0
apt_update() {
  [ "$APT_UPDATED" = 1 ] && return 0
  say "apt-get update"
  as_root apt-get update -qq >&2 || die "apt-get update failed" \
    "check that the machine's apt sources (/etc/apt/sources.list.d/) are reachable"
  APT_UPDATED=1
}

install_packages() {
  local missing=()
  for p in "${DEB_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then say "Debian packages: all ${#DEB_PACKAGES[@]} present"; return; fi
  say "installing Debian packages: ${missing[*]}"
  apt_update
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" \
    >"$CACHE/apt-install.log" 2>&1 \
    || { tail -20 "$CACHE/apt-install.log" >&2; die "apt-get install ${missing[*]} failed (log: $CACHE/apt-install.log)" \
         "check the apt sources and free disk space, then re-run"; }
}

# ---------------------------------------------------------------- 2. deb-src entry derived from the machine's own
# Copies the URIs of the existing 'deb' entries for the bookworm suites (deb822 *.sources files or one-line
# sources.list entries) into a 'deb-src' entry. No host name is written into the repository.
DEBSRC_FILE=/etc/apt/sources.list.d/reval-deb-src.sources

have_source() { # $1=package $2=version
  # grep reads everything (no -q): under pipefail, an early exit would SIGPIPE apt-cache and fail the test
  apt-cache showsrc "$1" 2>/dev/null | grep "^Version: $2\$" >/dev/null
}

add_deb_src() {
  local tmp; tmp=$(mktemp)
  /usr/bin/python3 "$HERE/derive_deb_src.py" --suite "$SOURCE_SUITE" >"$tmp" || true
  if ! grep -q '^Types: deb-src' "$tmp"; then
    rm -f "$tmp"
    die "no apt 'deb' entry for Debian $SOURCE_SUITE found to derive a deb-src entry from" \
      "add a deb-src line for $SOURCE_SUITE to /etc/apt/sources.list.d/ yourself, or place $LAMMPS_ORIG and $TRILINOS_ORIG in $CACHE/src/"
  fi
  say "adding deb-src entry $DEBSRC_FILE (URIs copied from this machine's apt sources)"
  as_root install -m 644 "$tmp" "$DEBSRC_FILE"; rm -f "$tmp"
  APT_UPDATED=0
  apt_update
}

# ---------------------------------------------------------------- 3. pinned source tarballs
fetch_sources() {
  local src="$CACHE/src"; mkdir -p "$src"
  local need=()
  [ -f "$src/$LAMMPS_ORIG" ] || need+=("lammps=$LAMMPS_DEB_VERSION")
  [ -d "$src/kokkos-$KOKKOS_VERSION" ] || [ -f "$src/$TRILINOS_ORIG" ] || need+=("trilinos=$TRILINOS_DEB_VERSION")
  if [ ${#need[@]} -eq 0 ]; then
    say "sources: cached in $src"
  else
    local pv
    for pv in "${need[@]}"; do
      if ! have_source "${pv%%=*}" "${pv#*=}"; then
        [ -f "$DEBSRC_FILE" ] || add_deb_src
        have_source "${pv%%=*}" "${pv#*=}" || { APT_UPDATED=0; apt_update; }
        have_source "${pv%%=*}" "${pv#*=}" || die \
          "apt has no source package $pv (is the deb-src entry for $SOURCE_SUITE in $DEBSRC_FILE reachable?)" \
          "check 'apt-get update' and $DEBSRC_FILE, or place $LAMMPS_ORIG and $TRILINOS_ORIG into $src/ by hand"
      fi
    done
    # apt drops privileges to _apt for downloads; it falls back to root (with a warning) where _apt cannot write
    for pv in "${need[@]}"; do
      say "apt-get source --download-only $pv"
      (cd "$src" && apt-get source -qq --download-only "$pv" 2>&1 | grep -v "unsandboxed as root" >&2 || true)
    done
    [ -f "$src/$LAMMPS_ORIG" ] || die "download of lammps=$LAMMPS_DEB_VERSION failed ($LAMMPS_ORIG is not in $src)" \
      "check network access to the apt source mirror (apt-get update), then re-run"
  fi
  if [ ! -d "$src/kokkos-$KOKKOS_VERSION" ]; then
    [ -f "$src/$TRILINOS_ORIG" ] || die "download of trilinos=$TRILINOS_DEB_VERSION failed ($TRILINOS_ORIG is not in $src)" \
      "check network access to the apt source mirror (apt-get update), then re-run"
    say "extracting packages/kokkos (Kokkos $KOKKOS_VERSION) from $TRILINOS_ORIG"
    rm -rf "$src/kokkos.tmp" && mkdir "$src/kokkos.tmp"
    tar -xzf "$src/$TRILINOS_ORIG" -C "$src/kokkos.tmp" --wildcards '*/packages/kokkos/*'
    local kdir; kdir=$(find "$src/kokkos.tmp" -maxdepth 3 -type d -path '*/packages/kokkos' | head -1)
    [ -n "$kdir" ] || die "packages/kokkos not found in $TRILINOS_ORIG" "delete $src/$TRILINOS_ORIG and re-run"
    grep -q "Kokkos_VERSION_MAJOR 3" "$kdir/CMakeLists.txt" && grep -q "Kokkos_VERSION_MINOR 4" "$kdir/CMakeLists.txt" \
      || die "the Kokkos in $TRILINOS_ORIG is not $KOKKOS_VERSION" "check the trilinos version pin in tools/bootstrap.sh"
    mv "$kdir" "$src/kokkos-$KOKKOS_VERSION"; rm -rf "$src/kokkos.tmp"
    rm -f "$src/$TRILINOS_ORIG" "$src"/trilinos_*.debian.tar.* "$src"/trilinos_*.dsc   # 166 MB no longer needed
  fi
}

# ---------------------------------------------------------------- 4. LAMMPS build (cached, keyed)
build_key() {
  {
    echo "$LAMMPS_DEB_VERSION $TRILINOS_DEB_VERSION $KOKKOS_VERSION"
    printf '%s\n' "${LAMMPS_CMAKE_OPTIONS[@]}"
    g++ --version | head -1
    mpicxx --showme:version 2>/dev/null || true
    cmake --version | head -1
  } | sha256sum | cut -c1-12
}

build_lammps() {
  local key; key=$(build_key)
  local root="$CACHE/lammps/20210929u2-$key"
  ENV_FILE="$root/reval-lammps.env"
  if [ -f "$root/.complete" ] && [ -x "$root/build/lmp" ] && [ -f "$ENV_FILE" ]; then
    say "LAMMPS: cached build $root"
    return
  fi
  mkdir -p "$root"
  exec 9>"$root/.lock"
  flock 9
  if [ -f "$root/.complete" ]; then say "LAMMPS: built by a concurrent bootstrap: $root"; return; fi
  local tree="$root/lammps"
  if [ ! -f "$tree/src/version.h" ]; then
    say "unpacking $LAMMPS_ORIG"
    rm -rf "$tree" "$root/unpack" && mkdir -p "$root/unpack"
    tar -xJf "$CACHE/src/$LAMMPS_ORIG" -C "$root/unpack"
    mv "$root"/unpack/* "$tree" && rm -rf "$root/unpack"
  fi
  if [ ! -f "$tree/lib/kokkos/CMakeLists.txt" ]; then
    say "adding Kokkos $KOKKOS_VERSION as lib/kokkos"
    rm -rf "$tree/lib/kokkos"; cp -a "$CACHE/src/kokkos-$KOKKOS_VERSION" "$tree/lib/kokkos"
  fi
  grep -q 'LAMMPS_VERSION "29 Sep 2021"' "$tree/src/version.h" || die "unexpected LAMMPS version in $tree" "delete $root and re-run"
  say "configuring LAMMPS (log: $root/configure.log)"
  cmake -S "$tree/cmake" -B "$root/build" -G Ninja "${LAMMPS_CMAKE_OPTIONS[@]}" >"$root/configure.log" 2>&1 \
    || { tail -30 "$root/configure.log" >&2; die "LAMMPS configure failed (see $root/configure.log)" "fix the reported problem and re-run"; }
  say "building LAMMPS with $JOBS jobs (about 9 min on 2 cores; log: $root/build.log)"
  local t=$(date +%s)
  # ninja's progress lines, thinned to one line per ~5% so logs stay readable
  set +e
  ninja -C "$root/build" -j "$JOBS" 2>&1 | tee "$root/build.log" | awk '
    /^\[[0-9]+\/[0-9]+\]/ { split(substr($1,2), a, "/"); p = int(100*a[1]/a[2]);
                            if (p >= last + 5) { last = p; printf "[bootstrap] LAMMPS build %3d%% (%s)\n", p, $1 > "/dev/stderr" } }'
  local rc=${PIPESTATUS[0]}
  set -e
  if [ "$rc" != 0 ]; then
    grep -m 20 -E "error|Error" "$root/build.log" >&2 || tail -20 "$root/build.log" >&2
    die "LAMMPS build failed (see $root/build.log)" "fix the reported problem and re-run"
  fi
  say "LAMMPS built in $(( $(date +%s) - t )) s"
  "$root/build/lmp" -h >"$root/lmp-help.txt" 2>&1 || true
  for need in "PLUGIN" "ML-SNAP" "ML-IAP" "KOKKOS" "VORONOI" "EXTRA-FIX" "EXTRA-COMPUTE" "MANYBODY"; do
    grep -qw -- "$need" "$root/lmp-help.txt" || die "the LAMMPS build lacks package $need" "delete $root and re-run"
  done
  cat >"$ENV_FILE" <<EOF
# REVAL: the cached LAMMPS build (written by tools/bootstrap.sh)
LAMMPS_ROOT=$tree
LAMMPS_SOURCE_DIR=$tree/src
LAMMPS_BUILD_DIR=$root/build
LMP=$root/build/lmp
LAMMPS_POTENTIALS=/usr/share/lammps/potentials
REVAL_LAMMPS_KEY=20210929u2-$key
EOF
  touch "$root/.complete"
  ln -sfn "$root" "$CACHE/lammps/current"
}

# ---------------------------------------------------------------- main
install_packages
[ "$MODE" = deps ] && exit 0
fetch_sources
build_lammps
ln -sfn "$(dirname "$ENV_FILE")" "$CACHE/lammps/current"
[ "$MODE" = env ] && { cat "$ENV_FILE"; exit 0; }
say "ready: $(dirname "$ENV_FILE")"
echo "$ENV_FILE"
