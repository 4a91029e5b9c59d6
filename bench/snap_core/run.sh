#!/usr/bin/env bash
# SNAP engine of REVAL's core (core/snap_engine, the future pair_style snap/model) against LAMMPS'
# built-ins on the same configuration and machine, alternating: 512-atom diamond Si (4x4x4 cells,
# random displacements 0.05 Å), one thread.
#   linear     Si_Zuo_JPCA2020 (twojmax 8)            vs pair snap
#   quadratic  Si_Zuo_JPCA2020.quadratic              vs pair snap (quadraticflag 1)
#   nn         tests/unit/refdata si_synthetic 55-64-32-1 tanh  vs pair mliap model nn
# LAMMPS is timed over an NVE run (Pair time of the timing breakdown) twice: with thermo output only
# at the ends (energy on 2 steps, what a production MD run costs) and with thermo every step (energy
# every step). REVAL computes E_i, B_i and all dE_i/dr_j every step (short list from a neighbour
# list with 2 Å skin, force accumulation included). Prints µs per atom-step and ratios.
#
# usage: bash bench/snap_core/run.sh [rounds=3] [steps=20]    (BUILD=<build dir>, LMP=<lmp>)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${BUILD:-$root/build}"
LMP="${LMP:-/root/.cache/reval/lammps/current/build/lmp}"
export LAMMPS_POTENTIALS="${LAMMPS_POTENTIALS:-/usr/share/lammps/potentials}"
export OMP_NUM_THREADS=1
rounds="${1:-3}"
steps="${2:-20}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

lib="$build/src/libreval_core.a"
[ -f "$lib" ] || { echo "no $lib: build REVAL first (tools/build.sh or cmake --build build)" >&2; exit 1; }
c++ -O3 -DNDEBUG -std=c++17 -I"$root/src" -I"$root/tests/unit" -isystem /usr/include/eigen3 \
    -DREVAL_SOURCE_DIR="\"$root\"" "$root/bench/snap_core/bench_snap_core.cpp" "$lib" -o "$work/bench"
cp "$root/tests/unit/refdata/si_synthetic.nn.mliap.model" "$root/tests/unit/refdata/si_synthetic.mliap.descriptor" "$work/"

STRUCT='units metal
atom_modify map array sort 0 0.0
boundary p p p
lattice diamond 5.431
region box block 0 4 0 4 0 4
create_box 1 box
create_atoms 1 box
mass 1 28.0855
displace_atoms all random 0.05 0.05 0.05 12345'

declare -A PAIR ARGS
PAIR[linear]='pair_style snap
pair_coeff * * Si_Zuo_JPCA2020.snapcoeff Si_Zuo_JPCA2020.snapparam Si'
ARGS[linear]="snap $LAMMPS_POTENTIALS/Si_Zuo_JPCA2020.snapcoeff $LAMMPS_POTENTIALS/Si_Zuo_JPCA2020.snapparam Si"
PAIR[quadratic]='pair_style snap
pair_coeff * * Si_Zuo_JPCA2020.quadratic.snapcoeff Si_Zuo_JPCA2020.quadratic.snapparam Si'
ARGS[quadratic]="snap $LAMMPS_POTENTIALS/Si_Zuo_JPCA2020.quadratic.snapcoeff $LAMMPS_POTENTIALS/Si_Zuo_JPCA2020.quadratic.snapparam Si"
PAIR[nn]='pair_style mliap model nn si_synthetic.nn.mliap.model descriptor sna si_synthetic.mliap.descriptor
pair_coeff * * Si'
ARGS[nn]="mliap-nn $work/si_synthetic.nn.mliap.model $work/si_synthetic.mliap.descriptor Si"

lammps_time() {    # case thermo_every -> µs per atom-step of the Pair section
  local c="$1" every="$2"
  cat > "$work/in.time" <<IN
$STRUCT
${PAIR[$c]}
velocity all create 300 4928459
fix 1 all nve
thermo $every
run $steps
IN
  (cd "$work" && "$LMP" -in in.time -log log.time -screen none)
  awk -v n=512 -v s="$steps" '$1 == "Pair" && $2 == "|" {printf "%.2f", 1e6 * $3 / (n * s)}' "$work/log.time"
}

echo "SNAP engine benchmark: 512-atom Si, $steps steps per measurement, $rounds rounds; $(cd "$work" && echo "" | "$LMP" -log none -echo none 2>&1 | head -1 | sed "s/^ *//")"
for c in linear quadratic nn; do
  cat > "$work/in.ref" <<IN
$STRUCT
${PAIR[$c]}
compute pe all pe/atom
dump d all custom 1 $c.dump id type x y z fx fy fz c_pe
dump_modify d format float %.17g sort id
run 0
print "energy \$(pe:%.17g)" file $c.energy
IN
  (cd "$work" && "$LMP" -in in.ref -log none -screen none)
  cat "$work/$c.energy" "$work/$c.dump" > "$work/$c.ref"
  for r in $(seq 1 "$rounds"); do
    l_end="$(lammps_time "$c" "$steps")"
    # shellcheck disable=SC2086
    out="$("$work/bench" "$work/$c.ref" ${ARGS[$c]} "$steps")"
    l_all="$(lammps_time "$c" 1)"
    us="$(echo "$out" | sed -n 's/.*steps: \([0-9.]*\) us\/atom-step.*/\1/p')"
    check="$(echo "$out" | sed -n 's/.*(\(E = .*\))/\1/p')"
    printf "%-9s round %d: REVAL %7.2f us/atom-step | LAMMPS %7.2f (energy at ends), %7.2f (energy every step) | LAMMPS/REVAL %.2f, %.2f | %s\n" \
      "$c" "$r" "$us" "$l_end" "$l_all" "$(echo "$l_end / $us" | bc -l)" "$(echo "$l_all / $us" | bc -l)" "$check"
  done
done
