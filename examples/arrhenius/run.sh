#!/bin/bash
# The arrhenius example end to end: MD at each temperature (one LAMMPS run, a loop in in.arrhenius),
# then tools/arrhenius.py on the fix re/stats files. Run from anywhere:
#   bash run.sh                                   # defaults below
#   LMP=/path/to/lmp PLUGIN=/path/to/revalplugin.so TEMPS="1450 1550 1650" NSTEPS=20000 bash run.sh
set -euo pipefail
cd "$(dirname "$0")"
LMP=${LMP:-lmp}
PLUGIN=${PLUGIN:-$(pwd)/../../build/revalplugin.so}
PYTHON=${PYTHON:-/usr/bin/python3}
TEMPS=${TEMPS:-"1400 1500 1600"}
NSTEPS=${NSTEPS:-10000}
export LAMMPS_POTENTIALS=${LAMMPS_POTENTIALS:-/usr/share/lammps/potentials}

# shellcheck disable=SC2086  # TEMPS is a list: -var temp 1400 1500 1600
"$LMP" -in in.arrhenius -var plugin "$PLUGIN" -var nsteps "$NSTEPS" -var temp $TEMPS -log log.lammps
args=()
for T in $TEMPS; do args+=("$T:stats-$T.txt"); done
"$PYTHON" ../../tools/arrhenius.py "${args[@]}" --extrapolate 1230 --plot arrhenius.png | tee arrhenius.txt
itypes=(); for T in $TEMPS; do itypes+=("stats-$T.txt:$T K"); done
"$PYTHON" ../../tools/reval_plots.py itypes "${itypes[@]}" -o itypes.png
