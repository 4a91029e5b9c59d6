"""Shared helpers for the tests on the public Si rare-event vacancy data set (../shared/data/si-re-vacancy):
unpack the snapshots, convert them to LAMMPS data files (triclinic convention), ideal diamond sites of
each snapshot's cell, and the authors' labels. Skips (exit 77) when the data are absent."""
import json
import os
import sys
import zipfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools"))
import reval_convert as rc  # noqa: E402

SKIP = 77
DIAMOND = np.array([[0, 0, 0], [0, .5, .5], [.5, 0, .5], [.5, .5, 0],
                    [.25, .25, .25], [.25, .75, .75], [.75, .25, .75], [.75, .75, .25]])


def data_dir():
    d = os.environ.get("REVAL_SHARED_DATA", os.path.join(HERE, "..", "..", "..", "shared", "data"))
    d = os.path.join(d, "si-re-vacancy")
    if not os.path.isfile(os.path.join(d, "DATA.json")):
        print(f"SKIP: {d} is absent")
        sys.exit(SKIP)
    return d


class Snapshots:
    """Snapshot N: LAMMPS cell H (rows), rotation R, fractional positions, authors' labels."""

    def __init__(self, workdir):
        d = data_dir()
        self.json = json.load(open(os.path.join(d, "DATA.json")))
        self.n = len(self.json["r"])
        self.work = workdir
        with zipfile.ZipFile(os.path.join(d, "structure_poscars.zip")) as z:
            z.extractall(os.path.join(workdir, "poscar"))
        with zipfile.ZipFile(os.path.join(d, "vacancy_poscars.zip")) as z:
            z.extractall(os.path.join(workdir, "vacancy"))
        self.snap = []
        for i in range(self.n):
            s = rc.read_poscar(self._find("poscar", f"{i}.POSCAR.vasp"))
            H, R = rc.to_lammps_cell(s.cell)
            v = rc.read_poscar(self._find("vacancy", f"{i}_vacancies.POSCAR.vasp"))
            self.snap.append({"s": s, "H": H, "R": R, "vac_frac": v.frac})

    def _find(self, sub, name):
        for root, _, files in os.walk(os.path.join(self.work, sub)):
            if name in files:
                return os.path.join(root, name)
        raise FileNotFoundError(name)

    def ideal_sites_frac(self):
        """The 64 ideal diamond sites of the 2x2x2 conventional supercell, fractional."""
        cells = np.array([[i, j, k] for k in range(2) for j in range(2) for i in range(2)])
        return np.array([(c + b) / 2.0 for c in cells for b in DIAMOND])

    def write_lammps(self, i, prefix):
        sn = self.snap[i]
        rc.write_data(prefix + ".data", sn["H"], sn["s"].frac, sn["s"].species)
        sites = rc.frac_to_cart(sn["H"], self.ideal_sites_frac())
        np.savetxt(prefix + ".sites", sites, fmt="%.12f", header=f"ideal diamond sites of snapshot {i}")

    def migrating(self, i):
        return np.array(self.json["r"][i]) == 0.0

    def forces(self, key, i, lammps_frame=True):
        F = np.array(self.json["Forces"][key][i])
        return F @ self.snap[i]["R"].T if lammps_frame else F
