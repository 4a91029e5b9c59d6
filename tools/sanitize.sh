#!/usr/bin/env bash
# The test suite under AddressSanitizer + UndefinedBehaviorSanitizer (float-cast-overflow included,
# every finding fatal): builds REVAL with -DREVAL_SANITIZE=ON into build-asan (RelWithDebInfo, so that
# reports name file and line), runs ctest there, and lists every sanitizer report afterwards, marking
# those with a frame in REVAL's src/ (the findings that count).
#   tools/sanitize.sh [ctest arguments, e.g. -L unit or -R Fuzz]     (default: the whole suite)
# Environment: REVAL_ASAN_BUILD_DIR (default <repo>/build-asan), REVAL_JOBS, and those of build.sh.
# Exit status: 0 only if every test passed and no sanitizer report was written.
#
# How the reports are collected (doc/developer.md, "Sanitizers"): ASAN_OPTIONS / UBSAN_OPTIONS set
# log_path=<build>/sanitizer-logs/{asan,ubsan}, so every instrumented process (test binaries, the fuzz
# children and drivers, lmp subprocesses under mpirun) writes its report to a file of its own. A report
# therefore counts even in a test that expects the process to fail (the crash tests expect a non-zero
# exit with an ERROR line). The uninstrumented lmp of the cached LAMMPS runs through
# <build>/lmp-sanitized, which preloads libasan/libubsan so that it can load the instrumented plugin.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
BUILD="${REVAL_ASAN_BUILD_DIR:-$REPO/build-asan}"
JOBS="${REVAL_JOBS:-$(nproc)}"
T0=$(date +%s)

REVAL_BUILD_DIR="$BUILD" REVAL_JOBS="$JOBS" bash "$HERE/build.sh" -DREVAL_SANITIZE=ON \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
[ -x "$BUILD/lmp-sanitized" ] || echo "[sanitize] note: no lmp wrapper (no LAMMPS build): unit tier only" >&2

LOGS="$BUILD/sanitizer-logs"
rm -rf "$LOGS"
mkdir -p "$LOGS"
# detect_leaks stays on for the unit tier; processes that run LAMMPS turn it off themselves
# (cmake/sanitize/lammps_process_defaults.cpp, the lmp wrapper): OpenMPI and LAMMPS leak by design.
export ASAN_OPTIONS="log_path=$LOGS/asan:strict_string_checks=1:check_initialization_order=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="print_stacktrace=1:log_path=$LOGS/ubsan${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"

echo "[sanitize] running ctest in $BUILD (reports go to $LOGS)" >&2
set +e
ctest --test-dir "$BUILD" --output-on-failure -j "$JOBS" "$@" 2>&1 | tee "$BUILD/sanitize-ctest.log"
rc=${PIPESTATUS[0]}
set -e

# the reports: every file in $LOGS is one process' report
reports=$(find "$LOGS" -type f | sort)
n=0
in_src=0
for f in $reports; do
  n=$((n + 1))
  kind=$(grep -m1 -oE "(AddressSanitizer|LeakSanitizer|runtime error).{0,120}" "$f" || true)
  if grep -q "$REPO/src/" "$f"; then
    in_src=$((in_src + 1))
    echo "[sanitize] FINDING IN src/: $f: $kind" >&2
  else
    echo "[sanitize] report (no frame in src/): $f: $kind" >&2
  fi
  sed -n '1,40p' "$f" >&2
done
echo "[sanitize] $n sanitizer report(s), $in_src with a frame in $REPO/src/; ctest exit $rc;" \
     "$(grep -E "tests passed|tests failed" "$BUILD/sanitize-ctest.log" | tail -1); $(( $(date +%s) - T0 )) s" >&2
[ "$n" = 0 ] || rc=1
exit $rc
