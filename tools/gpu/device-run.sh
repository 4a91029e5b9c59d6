#!/usr/bin/env bash
# What runs on the GPU machine: one command, every result in one folder (at most 8 files), each stage under
# its own time limit, results written as they are measured (a cut-off still returns them).
#
#   tools/gpu/device-run.sh [--cpu] [--out DIR] [--work DIR] [--budget SECONDS] ARCHIVE
#
#   ARCHIVE   the bundle of tools/gpu/build-bundle.sh (reval-gpu-bundle.tar.xz)
#   --out     results folder (default: $OUT when set, as on the device tool's machines, else ./gpu-results)
#   --work    where the bundle is unpacked (default: a fresh folder under /tmp)
#   --budget  total seconds (default 460: the stages' limits below are scaled to it)
#   --cpu     dry run on a machine without a GPU: the CUDA stages are skipped, saying so (nvidia-smi, the GPU
#             benchmarks), or run to show that they start and skip (the kokkos test executables: no GPU);
#             the /kk benchmarks run on the bundle's CPU LAMMPS with -k on t 2 (OpenMP) at 512 atoms, and the
#             MPI stage with np up to the cores here
#
# Stages (seconds at the default budget): unpack (check of the manifest), system (nvidia-smi, CPU), tests
# (the kokkos tier on the GPU, -k on g 1: 130), snap (32k and 1M atoms: 130), sites (heavy damage and
# crystal, 32k and 1M: 110), mpi (16 CPU cores, np 1..16, 4096-atom SNAP and
# 64,000-atom damage: 60). Files in the results folder:
#   summary.md  stages.tsv  results.tsv  tests.log  bench.log  system.txt  manifest.txt
# The repository this script lives in must be the one the bundle was built from (its benchmark inputs and
# the tests' reference files are read from it).
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
CPU_ONLY=0
RES="${OUT:-$PWD/gpu-results}"
WORK=""
BUDGET=460
ARCHIVE=""
while [ $# -gt 0 ]; do
  case "$1" in
    --cpu) CPU_ONLY=1; shift ;;
    --out) RES="$2"; shift 2 ;;
    --work) WORK="$2"; shift 2 ;;
    --budget) BUDGET="$2"; shift 2 ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    -*) echo "device-run: unknown option $1" >&2; exit 2 ;;
    *) ARCHIVE="$1"; shift ;;
  esac
done
[ -n "$ARCHIVE" ] && [ -f "$ARCHIVE" ] || { echo "device-run: no bundle archive '$ARCHIVE' (tools/gpu/build-bundle.sh makes one)" >&2; exit 2; }
ARCHIVE=$(cd "$(dirname "$ARCHIVE")" && pwd)/$(basename "$ARCHIVE")
mkdir -p "$RES"
RES=$(cd "$RES" && pwd)
[ -n "$WORK" ] || { WORK=$(mktemp -d /tmp/reval-gpu-run.XXXXXX); trap 'rm -rf "$WORK"' EXIT; }
mkdir -p "$WORK"
PY=$(command -v python3)
START=$(date +%s)
scale() { echo $(( $1 * BUDGET / 460 )); }
printf 'stage\tstatus\tseconds\tnote\n' >"$RES/stages.tsv"
say() { echo "[device-run $(( $(date +%s) - START ))s] $*"; }
stage_done() {  # name status seconds note
  printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$RES/stages.tsv"
  say "stage $1: $2 ($3 s) $4"
  "$PY" "$HERE/device_bench.py" summary --out "$RES" >/dev/null 2>&1 || true
}
left() { echo $(( START + BUDGET - $(date +%s) )); }
limit() { local want; want=$(scale "$1"); local l; l=$(( $(left) - 5 )); [ "$l" -lt "$want" ] && want=$l; [ "$want" -lt 1 ] && want=1; echo "$want"; }

# ---------------------------------------------------------------- unpack
t=$(date +%s)
if ! tar -xJf "$ARCHIVE" -C "$WORK"; then stage_done unpack failed $(( $(date +%s) - t )) "tar failed"; exit 1; fi
cp "$WORK/MANIFEST.txt" "$RES/manifest.txt"
CHECK=$("$PY" "$HERE/bundle.py" check "$ARCHIVE" 2>&1); crc=$?
stage_done unpack "$([ $crc = 0 ] && echo ok || echo "ok, check failed")" $(( $(date +%s) - t )) "$(echo "$CHECK" | tail -5 | tr '\n' ' ')"
B="$WORK"
# the bundle's libraries for its programs only (device_bench.py passes REVAL_LD_LIBRARY_PATH to lmp); the
# GPU and CPU builds of LAMMPS have libraries of the same names, so each gets its own path
GPU_LD="$B/gpu/lib:$B/runtime/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
CPU_LD="$B/cpu/lib:$B/runtime/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export LAMMPS_POTENTIALS="$B/potentials" REVAL_SOURCE_DIR="$REPO"
# (sandboxed machines, e.g. gVisor, may refuse cross-memory attach: OpenMPI's shared memory copies through a buffer)
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1 OMP_PROC_BIND=false
export OMPI_MCA_btl_vader_single_copy_mechanism=none

# ---------------------------------------------------------------- system
t=$(date +%s)
{
  echo "date: $(date -u)"; echo "host cores: $(nproc)"; uname -a
  grep -m1 "model name" /proc/cpuinfo || true
  free -g 2>/dev/null | head -2 || true
  if [ "$CPU_ONLY" = 0 ] && command -v nvidia-smi >/dev/null; then
    timeout 30 nvidia-smi; timeout 30 nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm,compute_cap --format=csv
  else
    echo "nvidia-smi: skipped (dry run without a GPU, or no nvidia-smi)"
  fi
  echo "--- the bundle's programs start (lmp -h):"
  for w in gpu cpu; do
    LD_LIBRARY_PATH="$B/$w/lib:$B/runtime/lib" "$B/$w/bin/lmp" -h </dev/null 2>&1 | sed -n 's/^Large-scale Atomic\/Molecular Massively Parallel Simulator - /  '"$w"': LAMMPS /p;/KOKKOS package API/p' | head -2
  done
  echo "--- bundle"; sed -n '1,20p' "$B/MANIFEST.txt"
} >"$RES/system.txt" 2>&1
if [ "$CPU_ONLY" = 1 ]; then stage_done system skipped 0 "no GPU in a dry run (--cpu): nvidia-smi skipped; CPU facts in system.txt"
else stage_done system ok $(( $(date +%s) - t )) "$(timeout 30 nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null | head -1)"; fi

# the MPI launcher: the OpenMPI the bundle carries (relocated with OPAL_PREFIX), which matches the MPI
# library the CPU lmp is linked with; the machine's own only where the bundle has none, or with
# REVAL_GPU_MPI=system (on the H200 machine of 4 Dec 2026 the machine's mpirun, loaded next to the bundle's
# libraries, stopped at a PMIx symbol lookup error)
MPIRUN=""
if [ "${REVAL_GPU_MPI:-}" != system ] && [ -x "$B/runtime/openmpi/bin/mpirun" ]; then
  export OPAL_PREFIX="$B/runtime/openmpi" PATH="$B/runtime/openmpi/bin:$PATH" OMPI_MCA_plm_rsh_agent=false
  MPIRUN="$B/runtime/openmpi/bin/mpirun --bind-to none"
elif command -v mpirun >/dev/null && mpirun --version 2>/dev/null | grep -qi "open mpi\|openrte"; then
  MPIRUN="mpirun --bind-to none"
fi

# ---------------------------------------------------------------- tests (kokkos tier on the GPU)
# In a dry run they run too, without a GPU: each must start with the bundle's libraries and skip, naming
# the reason (the CUDA build of LAMMPS finds no usable GPU).
t=$(date +%s)
L=$(limit 130); pass=0; fail=0; notes=""
: >"$RES/tests.log"
# SNAP and the site analysis first (the benchmarks' styles), then the others; one executable at most 60 s
ORDER="snap_model sites plugin force_error re_stats vacancy_clusters re_harvest"
EXES=""
for n in $ORDER; do [ -x "$B/gpu/tests/reval_test_kokkos_$n" ] && EXES="$EXES $B/gpu/tests/reval_test_kokkos_$n"; done
for exe in "$B"/gpu/tests/reval_test_kokkos_*; do case " $EXES " in *" $exe "*) ;; *) EXES="$EXES $exe" ;; esac; done
for exe in $EXES; do
  rem=$(( t + L - $(date +%s) )); [ "$rem" -gt 60 ] && rem=60
  [ "$rem" -lt 3 ] && { notes="$notes $(basename "$exe"):not-run(time)"; continue; }
  echo "===== $(basename "$exe")" >>"$RES/tests.log"
  LD_LIBRARY_PATH="$GPU_LD" REVAL_PLUGIN="$B/gpu/revalplugin.so" REVAL_LMP="$B/gpu/bin/lmp" OMP_NUM_THREADS=1 \
    timeout -k 5 "$rem" "$exe" >>"$RES/tests.log" 2>&1
  rc=$?
  case $rc in
    0) pass=$((pass + 1)) ;;
    124|137) fail=$((fail + 1)); notes="$notes $(basename "$exe"):timeout" ;;
    *) fail=$((fail + 1)); notes="$notes $(basename "$exe"):exit$rc" ;;
  esac
done
nok=$(grep -c "^\[       OK \]" "$RES/tests.log" || true)
nskip=$(grep -c "^\[  SKIPPED \]" "$RES/tests.log" || true)
nfail=$(grep -c "^\[  FAILED  \]" "$RES/tests.log" || true)
status=ok; [ "$fail" -gt 0 ] && status=failed
if [ "$CPU_ONLY" = 1 ]; then
  [ "$nok" -gt 0 ] && status="failed (a GPU test ran without a GPU)"
  why=$(grep -m1 -o "none is usable here: .*" "$RES/tests.log" | cut -c1-120)
  stage_done tests "$status" $(( $(date +%s) - t )) "CUDA stage, dry run: $pass executables started and ended cleanly, $fail did not; $nskip tests skipped ($why)$notes"
else
  stage_done tests "$status" $(( $(date +%s) - t )) "$pass executables passed, $fail failed; tests: $nok OK, $nfail FAILED, $nskip SKIPPED$notes"
fi

# ---------------------------------------------------------------- SNAP and site analysis on the GPU
if [ "$CPU_ONLY" = 1 ]; then
  KK=2; LMP="$B/cpu/bin/lmp"; PLUGIN="$B/cpu/revalplugin.so"; LD="$CPU_LD"
  SNAP_CELLS=4; SNAP_STEPS=4; SITES_CELLS=4; SITES_STEPS=4; TAG="(dry run: OpenMP, -k on t 2, CPU LAMMPS)"
else
  KK=g1; LMP="$B/gpu/bin/lmp"; PLUGIN="$B/gpu/revalplugin.so"; LD="$GPU_LD"
  SNAP_CELLS=16,50; SNAP_STEPS=50,10; SITES_CELLS=16,50; SITES_STEPS=20,5; TAG="(GPU, -k on g 1)"
fi
for st in snap sites; do
  t=$(date +%s)
  if [ "$st" = snap ]; then L=$(limit 130); C=$SNAP_CELLS; S=$SNAP_STEPS; else L=$(limit 110); C=$SITES_CELLS; S=$SITES_STEPS; fi
  REVAL_LD_LIBRARY_PATH="$LD" timeout -k 5 $(( L + 10 )) "$PY" "$HERE/device_bench.py" "$st" --out "$RES" --lmp "$LMP" --plugin "$PLUGIN" \
    --kokkos "$KK" --cells "$C" --steps "$S" --deadline $(( t + L )) >>"$RES/bench.log" 2>&1
  rc=$?
  nf=$(awk -F'\t' -v s="$st" '$1==s && $6=="failed"' "$RES/results.tsv" 2>/dev/null | wc -l)
  status=ok; [ "$rc" != 0 ] && status="failed(exit $rc)"; [ "$nf" -gt 0 ] && status="ok, $nf runs failed"
  stage_done "$st" "$status" $(( $(date +%s) - t )) "$TAG"
done

# ---------------------------------------------------------------- MPI strong scaling on the CPU cores
t=$(date +%s)
if [ -z "$MPIRUN" ]; then
  stage_done mpi skipped 0 "no mpirun on this machine and none in the bundle"
else
  NCORES=$(nproc); NP=""
  for n in 1 2 4 8 16; do [ "$n" -le "$NCORES" ] && NP="$NP${NP:+,}$n"; done
  if [ "$CPU_ONLY" = 1 ]; then MC=4,8; MS=4,2; SC=8; SS=4; else MC=8; MS=10; SC=20; SS=10; fi
  L=$(limit 60)
  REVAL_LD_LIBRARY_PATH="$CPU_LD" OMP_NUM_THREADS=1 timeout -k 5 $(( L + 10 )) "$PY" "$HERE/device_bench.py" mpi --out "$RES" --lmp "$B/cpu/bin/lmp" \
    --plugin "$B/cpu/revalplugin.so" --mpirun "$MPIRUN" --np "$NP" --cells "$MC" --steps "$MS" \
    --sites-cells "$SC" --sites-steps "$SS" --deadline $(( t + L )) >>"$RES/bench.log" 2>&1
  rc=$?
  nf=$(awk -F'\t' '$1=="mpi" && $6=="failed"' "$RES/results.tsv" 2>/dev/null | wc -l)
  status=ok; [ "$rc" != 0 ] && status="failed(exit $rc)"; [ "$nf" -gt 0 ] && status="ok, $nf runs failed"
  stage_done mpi "$status" $(( $(date +%s) - t )) "np $NP on $NCORES cores ($MPIRUN)"
fi
"$PY" "$HERE/device_bench.py" summary --out "$RES"
say "done in $(( $(date +%s) - START )) s; results in $RES: $(ls "$RES" | tr '\n' ' ')"
