#!/bin/bash
# The harvest example end to end: make the 4 committee members, run in.harvest, convert the harvested
# frames for a look with LAMMPS tools. Run from anywhere:
#   bash run.sh
#   LMP=/path/to/lmp PLUGIN=/path/to/revalplugin.so FIT=/path/to/reval-fit bash run.sh
# The committee: a bootstrap committee fitted by reval-fit on the mlearn-Si training set (the data of
# Si_Zuo_JPCA2020; ../../../shared/data, or REVAL_SHARED_DATA) when reval-fit and the data are there,
# else the toy committee of tools/make_committee.py (Si_Zuo_JPCA2020 perturbed by 5%). Each gets its own
# sigma threshold (the 90th percentile of the cell's largest sigma_F, measured with that committee).
set -euo pipefail
cd "$(dirname "$0")"
LMP=${LMP:-lmp}
PLUGIN=${PLUGIN:-$(pwd)/../../build/revalplugin.so}
FIT=${FIT:-$(dirname "$PLUGIN")/reval-fit}
PYTHON=${PYTHON:-/usr/bin/python3}
SHARED=${REVAL_SHARED_DATA:-$(pwd)/../../../shared/data}
export LAMMPS_POTENTIALS=${LAMMPS_POTENTIALS:-/usr/share/lammps/potentials}

if [ -x "$FIT" ] && [ -d "$SHARED/si-training" ] && [ -d "$SHARED/si-re-vacancy" ]; then
  echo "[harvest] bootstrap committee: reval-fit on mlearn-Si (committee = 4)"
  "$PYTHON" ../re-fit/prepare.py --shared "$SHARED" --out fit-data > /dev/null
  # the input of examples/re-fit (Zuo's settings, linear) with a 4-member bootstrap committee, no test groups
  sed -e 's/mlearn-linear/si-committee/g' -e 's|^dataPath = data|dataPath = fit-data|' -e '/^test-/d' \
      -e 's/^seed = 2023/seed = 2023\ncommittee = 4\ncommittee_method = bootstrap/' ../re-fit/mlearn-linear.in > committee.in
  "$FIT" --quiet committee.in
  for k in 1 2 3 4; do cp "si-committee_$k.snapcoeff" "member$k.snapcoeff"; done
  args=(-var p si-committee.snapparam -var sigma 0.055)
else
  echo "[harvest] toy committee: tools/make_committee.py (no reval-fit or no shared data)"
  "$PYTHON" ../../tools/make_committee.py "$LAMMPS_POTENTIALS/Si_Zuo_JPCA2020.snapcoeff" -M 4 --rel 0.05 --seed 1 --center
  args=(-var p Si_Zuo_JPCA2020.snapparam -var sigma 0.21)
fi
rm -f harvested.xyz
"$LMP" -in in.harvest -var plugin "$PLUGIN" "${args[@]}" -log log.lammps
"$PYTHON" ../../tools/reval_convert.py extxyz harvested.xyz harvested-first.data harvested.dump
