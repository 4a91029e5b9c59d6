#!/usr/bin/python3
"""Convert the public Si vacancy rare-event DFT test set (Liu, He & Mo, npj Comput. Mater. 9, 174 (2023);
100 snapshots of 63 Si atoms from ab initio MD at 1230 K) to the LAMMPS files that in.dft-force-metrics reads:

    dft-frames.dump   positions and box of every snapshot (timestep = snapshot index 0..99)
    dft-forces.dump   the reference forces, DFT with 4x4x4 k-points (DATA.json Forces.DFT_K4)
    dft-frame0.data   LAMMPS data file of snapshot 0 (defines the atoms and the box for read_data)

with tools/reval_convert.py: each POSCAR cell is put in the LAMMPS triclinic convention (a along x, b in
the xy plane; the cells of this set are orthogonal to 1e-6 A, so they become triclinic boxes with tilts
of a few 1e-6 A) and the forces are rotated with the same rotation.

The data are not part of the repository. They are read from --data DIR (the folder holding
structure_poscars.zip and DATA.json), else from $REVAL_SHARED_DATA/si-re-vacancy, else from
../shared/data/si-re-vacancy next to the repository root. When they are absent the script says so and
exits with status 77 (writes nothing). The converted files are derived from the data: do not commit them
(the example's .gitignore lists them).

    /usr/bin/python3 prepare_dft.py [--data DIR] [--out DIR] [--reference DFT_K4|DFT_K2|DFT_K1]
"""
import argparse
import json
import os
import sys
import tempfile
import zipfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import reval_convert as rc  # noqa: E402

MISSING = 77
NATOMS = 63


def default_data_dir():
    shared = os.environ.get("REVAL_SHARED_DATA") or os.path.join(ROOT, "..", "shared", "data")
    return os.path.normpath(os.path.join(shared, "si-re-vacancy"))


def poscar_members(z):
    """{snapshot index: member name} of structure_poscars.zip (N.POSCAR.vasp, any folder)."""
    out = {}
    for name in z.namelist():
        base = os.path.basename(name)
        if base.endswith(".POSCAR.vasp") and base.split(".")[0].isdigit():
            out[int(base.split(".")[0])] = name
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=None, help="folder with structure_poscars.zip and DATA.json "
                    "(default: $REVAL_SHARED_DATA/si-re-vacancy or ../shared/data/si-re-vacancy)")
    ap.add_argument("--out", default=HERE, help="output folder (default: this example's folder)")
    ap.add_argument("--reference", default="DFT_K4", choices=["DFT_K4", "DFT_K2", "DFT_K1"],
                    help="DATA.json force set written to dft-forces.dump (default DFT_K4)")
    a = ap.parse_args(argv)

    d = os.path.abspath(a.data or default_data_dir())
    need = [os.path.join(d, f) for f in ("structure_poscars.zip", "DATA.json")]
    absent = [p for p in need if not os.path.isfile(p)]
    if absent:
        print("prepare_dft.py: the public DFT data are absent: " + ", ".join(absent) + " not found.\n"
              "  Get the Si vacancy rare-event test set (mogroupumd/Silicon_MLIP_datasets, folder "
              "Vacancy-RE_Testing_Set) and give its folder with --data DIR or $REVAL_SHARED_DATA "
              "(the folder that holds si-re-vacancy/). Nothing was written.", file=sys.stderr)
        return MISSING

    with open(need[1]) as f:
        forces = json.load(f)["Forces"][a.reference]
    os.makedirs(a.out, exist_ok=True)
    paths = {k: os.path.join(a.out, n) for k, n in
             (("frames", "dft-frames.dump"), ("forces", "dft-forces.dump"), ("data", "dft-frame0.data"))}
    for k in ("frames", "forces"):
        open(paths[k], "w").close()

    with zipfile.ZipFile(need[0]) as z, tempfile.TemporaryDirectory(prefix="reval-dft-") as tmp:
        members = poscar_members(z)
        n = len(members)
        if sorted(members) != list(range(n)) or n != len(forces):
            print(f"prepare_dft.py: {need[0]} holds snapshots {sorted(members)[:3]}... ({n}), DATA.json "
                  f"{len(forces)} force sets: expected the same 0..N-1", file=sys.stderr)
            return 1
        poscar = os.path.join(tmp, "snapshot.POSCAR.vasp")
        tilt = 0.0
        for i in range(n):
            with open(poscar, "wb") as f:
                f.write(z.read(members[i]))
            s = rc.read_poscar(poscar)
            F = np.array(forces[i], dtype=float)
            if len(s.species) != NATOMS or F.shape != (NATOMS, 3) or set(s.species) != {"Si"}:
                print(f"prepare_dft.py: snapshot {i}: {len(s.species)} atoms {sorted(set(s.species))}, forces "
                      f"{F.shape}: expected {NATOMS} Si atoms", file=sys.stderr)
                return 1
            H, R = rc.to_lammps_cell(s.cell)      # LAMMPS cell (rows) and rotation, v_lammps = R @ v
            F = F @ R.T
            tilt = max(tilt, abs(H[1, 0]), abs(H[2, 0]), abs(H[2, 1]))
            rc.write_dump(paths["frames"], H, s.frac, {}, timestep=i)
            rc.write_dump(paths["forces"], H, s.frac, {"fx": F[:, 0], "fy": F[:, 1], "fz": F[:, 2]}, timestep=i)
            if i == 0:
                rc.write_data(paths["data"], H, s.frac, s.species,
                              comment=f"Si vacancy RE test set, snapshot 0 (prepare_dft.py, {os.path.basename(d)})")
    print(f"prepare_dft.py: {n} snapshots of {NATOMS} atoms from {d}\n"
          f"  {paths['frames']}\n  {paths['forces']} ({a.reference} forces, rotated to the LAMMPS frame)\n"
          f"  {paths['data']}\n  largest box tilt {tilt:.1e} A")
    return 0


if __name__ == "__main__":
    sys.exit(main())
