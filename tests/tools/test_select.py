"""tools/reval_select.py: ranks models on validation sets with LAMMPS rerun + compute force/error.

A reference set is made with LAMMPS itself (Stillinger-Weber forces and energies of displaced 64-atom Si
frames, a few atoms flagged as rare-event atoms): the reference potential must come out exact (P = 1,
zero RMSE) and ranked first, another potential worse. With ../shared/data present, the shipped
Si_Zuo_JPCA2020 on the vacancy RE test set must give the reference figures of the data's README
(P on RE atoms 0.708, force RMSE 0.202 eV/A, measured with LAMMPS pair_style snap)."""
import os
import re
import subprocess
import sys
import tempfile
import unittest

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.join(HERE, "..", "..")
sys.path.insert(0, os.path.join(REPO, "tools"))
import reval_convert as rc  # noqa: E402

TOOL = os.path.join(REPO, "tools", "reval_select.py")
LMP = sys.argv[1] if len(sys.argv) > 2 else None
PLUGIN = sys.argv[2] if len(sys.argv) > 2 else None
del sys.argv[1:]
POTS = os.environ.get("LAMMPS_POTENTIALS", "/usr/share/lammps/potentials")
SW = "pair_style sw; pair_coeff * * Si.sw Si"
TERSOFF = "pair_style tersoff; pair_coeff * * Si.tersoff Si"
DIAMOND = np.array([[0, 0, 0], [0, .5, .5], [.5, 0, .5], [.5, .5, 0],
                    [.25, .25, .25], [.25, .75, .75], [.75, .25, .75], [.75, .75, .25]])


def select(*args):
    return subprocess.run([sys.executable, TOOL, "--lmp", LMP, "--plugin", PLUGIN, "--potentials-dir", POTS, *args],
                          capture_output=True, text=True)


def reference_frames(workdir, n=3, seed=5):
    """n frames of 2x2x2 diamond Si (a = 5.431) displaced by up to 0.3 A, sw forces and energies; rows:
    (cell, positions, forces, energy, re flags)."""
    rng = np.random.default_rng(seed)
    cells = np.array([[i, j, k] for k in range(2) for j in range(2) for i in range(2)])
    frac0 = np.array([(c + b) / 2.0 for c in cells for b in DIAMOND])
    out = []
    for k in range(n):
        H = np.diag([10.862, 10.862, 10.862]) + np.array([[0, 0, 0], [0.2 * k, 0, 0], [0, 0, 0]])
        frac = frac0 + rng.uniform(-0.3, 0.3, frac0.shape) / 10.862
        rc.write_data(os.path.join(workdir, "f.data"), H, frac, ["Si"] * 64)
        with open(os.path.join(workdir, "in.ref"), "w") as f:
            f.write("units metal\natom_style atomic\natom_modify map array\nread_data f.data\n"
                    + SW.replace("; ", "\n") + "\nthermo_modify format float %.17g\n"
                    "dump d all custom 1 f.dump id x y z fx fy fz\ndump_modify d format float %.17g sort id\n"
                    'run 0\nprint "@@pe $(pe:%.17g)"\n')
        env = dict(os.environ, LAMMPS_POTENTIALS=POTS)
        p = subprocess.run([LMP, "-in", "in.ref", "-log", "none"], cwd=workdir, capture_output=True, text=True, env=env)
        assert p.returncode == 0, p.stdout[-2000:]
        pe = float(re.search(r"@@pe (\S+)", p.stdout).group(1))
        rows = np.loadtxt(os.path.join(workdir, "f.dump"), skiprows=9)
        flags = np.zeros(64, dtype=int)
        flags[[3, 17, 40 + k]] = 1
        out.append((H, rows[:, 1:4], rows[:, 4:7], pe, flags))
    return out


def write_set(path, frames, species=None):
    with open(path, "w") as f:
        for H, x, F, e, flags in frames:
            rc.write_extxyz(f, H, x, species or ["Si"] * len(x), F, e, None, {"re": flags})


@unittest.skipUnless(LMP and PLUGIN, "needs lmp and the plugin")
class Select(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.frames = reference_frames(self.dir)
        write_set(os.path.join(self.dir, "ref.xyz"), self.frames)

    def test_reference_potential_is_exact_and_first(self):
        out = os.path.join(self.dir, "sel.md")
        p = select("--model", "tersoff", TERSOFF, "--model", "sw", SW, "--set", "ref", os.path.join(self.dir, "ref.xyz"),
                   "--out", out, "--plot", os.path.join(self.dir, "sel.png"))
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("selected: sw", p.stdout)
        rows = {l.split("|")[1].strip(): [c.strip() for c in l.split("|")[2:-1]]
                for l in p.stdout.splitlines() if l.startswith("| sw") or l.startswith("| tersoff")}
        # columns: mean rank, E RMSE, F RMSE, NAC(dF) RE, NAC(dtheta) RE, P RE, P all
        self.assertEqual(rows["sw"][0], "1.00")
        self.assertLess(float(rows["sw"][1].split()[0]), 1e-9)    # energies of the same potential
        self.assertLess(float(rows["sw"][2].split()[0]), 1e-9)    # forces of the same potential
        self.assertEqual(float(rows["sw"][5]), 1.0)
        self.assertEqual(float(rows["sw"][6]), 1.0)
        self.assertEqual(rows["tersoff"][0], "2.00")
        self.assertLess(float(rows["tersoff"][6]), 1.0)
        self.assertTrue(os.path.getsize(os.path.join(self.dir, "sel.png")) > 1000)
        with open(out) as f:
            self.assertIn("selected: sw", f.read())

    def test_bad_input(self):
        mixed = self.frames[:1] + [(self.frames[1][0], self.frames[1][1][:63], self.frames[1][2][:63],
                                    self.frames[1][3], self.frames[1][4][:63])]
        write_set(os.path.join(self.dir, "mixed.xyz"), mixed)
        for args, text in (
                (("--model", "sw", SW, "--set", "m", os.path.join(self.dir, "mixed.xyz")), "frame 1 holds other atoms"),
                (("--model", "sw", "pair_style sw", "--set", "r", os.path.join(self.dir, "ref.xyz")), "pair_coeff"),
                (("--model", "x", "pair_style sw; pair_coeff * * nofile.sw Si", "--set", "r",
                  os.path.join(self.dir, "ref.xyz")), "LAMMPS failed"),
                (("--model", "sw", SW, "--model", "sw", SW, "--set", "r", os.path.join(self.dir, "ref.xyz")), "unique")):
            p = select(*args)
            self.assertEqual(p.returncode, 2, args)
            self.assertIn(text, p.stderr)
            self.assertNotIn("Traceback", p.stderr)

    @unittest.skipUnless(os.path.isdir(os.path.join(REPO, "..", "shared", "data", "si-re-vacancy")),
                         "../shared/data/si-re-vacancy absent")
    def test_vacancy_re_set_reference_figures(self):
        d = os.path.join(REPO, "..", "shared", "data", "si-re-vacancy")
        xyz = os.path.join(self.dir, "vac.xyz")
        c = subprocess.run([sys.executable, os.path.join(REPO, "tools", "reval_convert.py"), "poscars",
                            os.path.join(d, "structure_poscars.zip"), os.path.join(d, "DATA.json"), xyz, "--re-labels"],
                           capture_output=True, text=True)
        self.assertEqual(c.returncode, 0, c.stderr)
        p = select("--model", "zuo", "pair_style snap; pair_coeff * * Si_Zuo_JPCA2020.snapcoeff "
                   "Si_Zuo_JPCA2020.snapparam Si", "--set", "vac", xyz)
        self.assertEqual(p.returncode, 0, p.stderr)
        row = [c.strip() for c in next(l for l in p.stdout.splitlines() if l.startswith("| zuo")).split("|")[2:-1]]
        self.assertAlmostEqual(float(row[5]), 0.708, delta=0.0006)              # P on the 146 RE atoms
        self.assertAlmostEqual(float(row[2].split()[0]), 0.202, delta=0.0006)   # force RMSE, all atoms


if __name__ == "__main__":
    unittest.main()
