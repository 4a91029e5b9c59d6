#!/usr/bin/env bash
# Regenerates the reference data of the SNAP inner switching function (switchinnerflag, sinner,
# dinner; LAMMPS 2022+) with LAMMPS 4Feb2025 (the oracle: LAMMPS 29Sep2021, the default build of the
# project, has no inner switching). Same output format as generate.sh (read by
# tests/unit/snap_test_support.h): per case, a perturbed two-element diamond crystal evaluated once
# (run 0) by pair snap or pair mliap, with compute pe/atom and compute sna/atom (same descriptor,
# inner switching included). The potentials are written first by make_inner_potentials.py.
#
# Usage: LMP=<lmp of LAMMPS 2022 or later, with ML-SNAP and ML-IAP> bash tests/unit/refdata/generate_inner.sh
# (the project machine: LMP=~/.cache/reval/compat/lammps-run-4Feb2025/lmp, the compat build).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
LMP="${LMP:-/root/.cache/reval/compat/lammps-run-4Feb2025/lmp}"
PY="${PY:-/usr/bin/python3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
version="$(cd "$work" && echo "" | "$LMP" -log none -echo none 2>&1 | sed -n "1s/^ *//p" || true)"
today="$(date -u +%Y-%m-%d)"

"$PY" "$here/make_inner_potentials.py" "$here"
cp "$here"/inner_sige* "$work/"

generator=generate_inner.sh
# shellcheck source=run_case.sh
. "$here/run_case.sh"

# 32 atoms, 40 % Ge; displacements of up to 0.25 Å spread the first shell over the inner regions
SIGE='lattice diamond 5.45
region box block 0 2 0 1 0 2
create_box 2 box
create_atoms 1 box
set type 1 type/fraction 2 0.4 8080
mass 1 28.0855
mass 2 72.63
displace_atoms all random 0.25 0.25 0.25 6161 units box'

run_case inner_snap "inner_sige (pair snap, switchinnerflag 1, sinner/dinner per element), 32-atom diamond Si/Ge" \
  "$SIGE" \
  'pair_style snap
pair_coeff * * inner_sige.snapcoeff inner_sige.snapparam Si Ge' \
  '4.4 0.99363 6 0.5 0.55 1.0 0.8 rmin0 0 bzeroflag 1 switchinnerflag 1 sinner 2.45 2.25 dinner 0.25 0.35'

run_case inner_mliap_chem "inner_sige_chem (pair mliap model linear, descriptor sna: chemflag, bnormflag, switchinnerflag 1), 32-atom diamond Si/Ge" \
  "$SIGE" \
  'pair_style mliap model linear inner_sige_chem.mliap.model descriptor sna inner_sige_chem.mliap.descriptor
pair_coeff * * Si Ge' \
  '4.4 0.99363 4 0.5 0.55 1.0 0.8 rmin0 0 bzeroflag 0 chem 2 0 1 bnormflag 1 switchinnerflag 1 sinner 2.45 2.25 dinner 0.25 0.35'
