#!/bin/bash
# The committee example end to end: make the 8 members, run the three parts of in.committee, plot the
# calibration. Run from anywhere:
#   bash run.sh
#   LMP=/path/to/lmp PLUGIN=/path/to/revalplugin.so REL=0.05 bash run.sh
set -euo pipefail
cd "$(dirname "$0")"
LMP=${LMP:-lmp}
PLUGIN=${PLUGIN:-$(pwd)/../../build/revalplugin.so}
PYTHON=${PYTHON:-/usr/bin/python3}
REL=${REL:-0.05}
export LAMMPS_POTENTIALS=${LAMMPS_POTENTIALS:-/usr/share/lammps/potentials}

"$PYTHON" ../../tools/make_committee.py "$LAMMPS_POTENTIALS/Si_Zuo_JPCA2020.snapcoeff" -M 8 --rel "$REL" --seed 1 --center
"$LMP" -in in.committee -var plugin "$PLUGIN" -var rel "$REL" -log log.lammps
"$PYTHON" ../../tools/reval_plots.py calibration calibration.dump --sigma 'c_unc[2]' --error 'c_fe[3]' --mask 'c_re[1]' -o calibration.png
