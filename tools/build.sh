#!/usr/bin/env bash
# Configure and build REVAL (plugin + tests) against the bootstrap's cached LAMMPS.
#   tools/build.sh [extra cmake -D options]
# Environment: REVAL_BUILD_DIR (default <repo>/build), REVAL_JOBS, REVAL_CACHE (see bootstrap.sh).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
BUILD="${REVAL_BUILD_DIR:-$REPO/build}"
JOBS="${REVAL_JOBS:-$(nproc)}"

ENV_FILE=$(bash "$HERE/bootstrap.sh" | tail -1)
[ -f "$ENV_FILE" ] || { echo "build: bootstrap did not report its environment file" >&2; exit 1; }

launcher=()
if command -v ccache >/dev/null 2>&1; then
  CACHE="${REVAL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/reval}"
  export CCACHE_DIR="${CCACHE_DIR:-$CACHE/ccache}" CCACHE_BASEDIR="$REPO" CCACHE_NOHASHDIR=1
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi

echo "[build] configuring $BUILD" >&2
cmake -S "$REPO" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DREVAL_LAMMPS_ENV="$ENV_FILE" \
  "${launcher[@]}" "$@" >"$BUILD.configure.log" 2>&1 || {
    # show REVAL's own message (problem + fix) rather than CMake's call stack, when there is one
    if grep -q "^ *REVAL: " "$BUILD.configure.log"; then
      sed -n '/^ *REVAL: /,/Call Stack/p' "$BUILD.configure.log" | grep -v "Call Stack" >&2
    else
      cat "$BUILD.configure.log" >&2
    fi
    echo "[build] configure failed (full log: $BUILD.configure.log)" >&2; exit 1; }
grep -E "^-- REVAL" "$BUILD.configure.log" >&2 || true
echo "[build] building with $JOBS jobs" >&2
t=$(date +%s)
cmake --build "$BUILD" -j "$JOBS" >&2
echo "[build] done in $(( $(date +%s) - t )) s: $BUILD/revalplugin.so" >&2
echo "$BUILD"
