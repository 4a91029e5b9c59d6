#!/usr/bin/env bash
# Regenerates the SNAP reference data of tests/unit/test_snap_*.cpp with LAMMPS (the oracle):
# per case, one small periodic crystal with random displacements, evaluated once (run 0) by a
# LAMMPS built-in pair style (pair snap or pair mliap), with compute pe/atom for atom energies and
# compute sna/atom for the bispectrum components with the same descriptor settings.
#
# Output file format (read by tests/unit/snap_refdata.h): '#' header lines (provenance and the
# LAMMPS input), one line "energy <total potential energy>", then the LAMMPS text dump (dump custom,
# %.17g) with columns id type x y z fx fy fz c_pe c_sna[1..K].
#
# Usage: bash tests/unit/refdata/generate.sh       (LMP=<lmp binary>, LAMMPS_POTENTIALS=<dir> optional)
# The inner switching cases (inner_*.ref, LAMMPS 2022+ only) are written by generate_inner.sh.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
LMP="${LMP:-/root/.cache/reval/lammps/current/build/lmp}"
export LAMMPS_POTENTIALS="${LAMMPS_POTENTIALS:-/usr/share/lammps/potentials}"
PY="${PY:-/usr/bin/python3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
version="$(cd "$work" && echo "" | "$LMP" -log none -echo none 2>&1 | head -1 | sed 's/^ *//')"
today="$(date -u +%Y-%m-%d)"

generator=generate.sh
# shellcheck source=run_case.sh
. "$here/run_case.sh"

SI8='lattice diamond 5.431
region box block 0 1 0 1 0 2
create_box 1 box
create_atoms 1 box
mass 1 28.0855
displace_atoms all random 0.08 0.08 0.08 4711'

SI64='lattice diamond 5.431
region box block 0 2 0 2 0 2
create_box 1 box
create_atoms 1 box
mass 1 28.0855
displace_atoms all random 0.08 0.08 0.08 1234'

TA='lattice bcc 3.316
region box block 0 3 0 3 0 3
create_box 1 box
create_atoms 1 box
mass 1 180.88
displace_atoms all random 0.1 0.1 0.1 777'

W='lattice bcc 3.1652
region box block 0 3 0 3 0 3
create_box 1 box
create_atoms 1 box
mass 1 183.84
displace_atoms all random 0.1 0.1 0.1 31337'

CU='lattice fcc 3.615
region box block 0 2 0 2 0 2
create_box 1 box
create_atoms 1 box
mass 1 63.546
displace_atoms all random 0.1 0.1 0.1 2718'

INP='lattice diamond 5.869
region box block 0 1 0 1 0 1
create_box 2 box
create_atoms 1 box basis 5 2 basis 6 2 basis 7 2 basis 8 2
mass 1 114.76
mass 2 30.98
displace_atoms all random 0.1 0.1 0.1 999'

WBE='lattice bcc 3.1652
region box block 0 2 0 2 0 2
create_box 2 box
create_atoms 1 box
set type 1 type/fraction 2 0.25 4242
mass 1 183.84
mass 2 9.012
displace_atoms all random 0.1 0.1 0.1 5150'

run_case si_zuo_linear "Si_Zuo_JPCA2020 linear SNAP (pair snap), 64-atom diamond Si" "$SI64" \
  'pair_style snap
pair_coeff * * Si_Zuo_JPCA2020.snapcoeff Si_Zuo_JPCA2020.snapparam Si' \
  '4.9 0.99363 8 0.5 1.0 rmin0 0 bzeroflag 0'

run_case si_zuo_quadratic "Si_Zuo_JPCA2020 quadratic SNAP (pair snap, quadraticflag 1), 16-atom diamond Si" "$SI8" \
  'pair_style snap
pair_coeff * * Si_Zuo_JPCA2020.quadratic.snapcoeff Si_Zuo_JPCA2020.quadratic.snapparam Si' \
  '4.8 0.99363 8 0.5 1.0 rmin0 0 bzeroflag 0'

run_case ta06a_linear "Ta06A linear SNAP without ZBL (pair snap), 54-atom bcc Ta" "$TA" \
  'pair_style snap
pair_coeff * * Ta06A.snapcoeff Ta06A.snapparam Ta' \
  '4.67637 0.99363 6 0.5 1 rmin0 0 bzeroflag 0'

run_case ta06a_nn "Ta06A NN without ZBL (pair mliap model nn, descriptor sna), 54-atom bcc Ta" "$TA" \
  'pair_style mliap model nn Ta06A.nn.mliap.model descriptor sna Ta06A.mliap.descriptor
pair_coeff * * Ta' \
  '4.67637 0.99363 6 0.5 1 rmin0 0 bzeroflag 0'

run_case w_linear "W_2940_2017_2 linear SNAP (pair snap), 54-atom bcc W" "$W" \
  'pair_style snap
pair_coeff * * W_2940_2017_2.snapcoeff W_2940_2017_2.snapparam W' \
  '4.73442 0.99363 8 0.5 1 rmin0 0 bzeroflag 0'

run_case w_quadratic "W.quadratic (pair mliap model quadratic, descriptor sna, bzeroflag 1), 54-atom bcc W" "$W" \
  'pair_style mliap model quadratic W.quadratic.mliap.model descriptor sna W.quadratic.mliap.descriptor
pair_coeff * * W' \
  '4.73442 0.99363 6 0.5 1 rmin0 0 bzeroflag 1'

run_case cu_nn "Cu NN (pair mliap model nn Cu.nn.mliap.model, descriptor sna Cu.snap.mliap.descriptor), 32-atom fcc Cu" "$CU" \
  'pair_style mliap model nn Cu.nn.mliap.model descriptor sna Cu.snap.mliap.descriptor
pair_coeff * * Cu' \
  '5.0 0.99363 6 0.5 1.0 rmin0 0 bzeroflag 0 switchflag 1'

run_case inp_chem "InP_JCPA2020 explicit multi-element SNAP (pair snap; chemflag bnormflag wselfallflag bzeroflag), 8-atom zincblende InP, elements In P" "$INP" \
  'pair_style snap
pair_coeff * * InP_JCPA2020.snapcoeff InP_JCPA2020.snapparam In P' \
  '1.0 0.99363 6 3.81205 3.82945 1 0.929316 rmin0 0.0 bzeroflag 1 wselfallflag 1 chem 2 0 1 bnormflag 1'

run_case wbe_linear "WBe_Wood_PRB2019 two-element linear SNAP (pair snap, bzeroflag 1), 16-atom bcc W with Be" "$WBE" \
  'pair_style snap
pair_coeff * * WBe_Wood_PRB2019.snapcoeff WBe_Wood_PRB2019.snapparam W Be' \
  '4.8123 0.99363 8 0.5 0.417932 1 0.959049 rmin0 0 bzeroflag 1'

# synthetic larger NN (55 -> 64 -> 32 -> 1, tanh): input scaling from the B of the Si linear case
"$PY" "$here/make_synthetic_nn.py" "$here/si_zuo_linear.ref" "$here"
cp "$here/si_synthetic.nn.mliap.model" "$here/si_synthetic.mliap.descriptor" "$work/"
run_case si_synthetic_nn "synthetic Si NN 55-64-32-1 tanh (make_synthetic_nn.py; pair mliap model nn, descriptor sna), 16-atom diamond Si" "$SI8" \
  "pair_style mliap model nn si_synthetic.nn.mliap.model descriptor sna si_synthetic.mliap.descriptor
pair_coeff * * Si" \
  '4.9 0.99363 8 0.5 1.0 rmin0 0 bzeroflag 0'
