"""tools/reval_convert.py: VASP POSCAR (+ forces) and extended XYZ -> LAMMPS data file + dump.

Structures are made in the LAMMPS frame (cell H with a along x, b in the xy plane), rotated by a random
proper rotation into an arbitrary frame and written as POSCAR / extended XYZ; converting them back must
give H, the same positions (inside the box) and the forces rotated back, to the printed precision. With
an lmp executable as argument, the pair is also used the way the examples use it: LAMMPS forces of a
rotated cell, converted, reread with `read_data` + `rerun` and checked with `compute force/error`
(zero error, P = 1)."""
import os
import subprocess
import sys
import tempfile
import unittest

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.join(HERE, "..", "..")
TOOL = os.path.join(REPO, "tools", "reval_convert.py")
LMP = sys.argv[1] if len(sys.argv) > 2 else None
PLUGIN = sys.argv[2] if len(sys.argv) > 2 else None
del sys.argv[1:]


def run(*args):
    return subprocess.run([sys.executable, TOOL, *args], capture_output=True, text=True)


def rotation(seed):
    q, r = np.linalg.qr(np.random.default_rng(seed).normal(size=(3, 3)))
    q = q @ np.diag(np.sign(np.diag(r)))
    return q if np.linalg.det(q) > 0 else -q


def lammps_cell():
    return np.array([[10.2, 0.0, 0.0], [1.3, 9.7, 0.0], [-0.8, 0.6, 11.1]])


def read_data(path):
    """Box (lx, ly, lz, xy, xz, yz), type of each atom, positions (by id)."""
    with open(path) as f:
        lines = f.read().splitlines()
    box = {}
    for line in lines:
        w = line.split()
        if line.endswith("xlo xhi"):
            box["lx"] = float(w[1]) - float(w[0])
        elif line.endswith("ylo yhi"):
            box["ly"] = float(w[1]) - float(w[0])
        elif line.endswith("zlo zhi"):
            box["lz"] = float(w[1]) - float(w[0])
        elif line.endswith("xy xz yz"):
            box["xy"], box["xz"], box["yz"] = map(float, w[:3])
    start = next(i for i, l in enumerate(lines) if l.startswith("Atoms")) + 2
    rows = [l.split() for l in lines[start:] if l.strip()]
    rows.sort(key=lambda r: int(r[0]))
    return box, [int(r[1]) for r in rows], np.array([[float(v) for v in r[2:5]] for r in rows])


def read_dump(path):
    """Frames of a text dump: (timestep, box line values, {column: array by id})."""
    with open(path) as f:
        lines = f.read().splitlines()
    frames, i = [], 0
    while i < len(lines):
        step = int(lines[i + 1])
        n = int(lines[i + 3])
        box = [[float(v) for v in lines[i + 5 + k].split()] for k in range(3)]
        cols = lines[i + 8].split()[2:]
        rows = np.array([[float(v) for v in l.split()] for l in lines[i + 9:i + 9 + n]])
        rows = rows[np.argsort(rows[:, 0])]
        frames.append((step, box, {c: rows[:, k] for k, c in enumerate(cols)}))
        i += 9 + n
    return frames


def same_in_box(test, H, frac, x):
    """x (Cartesian, LAMMPS frame) are the points frac @ H, wrapped into the box."""
    test.assertEqual(x.shape, frac.shape)
    f = np.linalg.solve(H.T, x.T).T
    test.assertTrue(np.all(f > -1e-9) and np.all(f < 1 + 1e-9), "positions must be inside the box")
    d = f - frac
    np.testing.assert_allclose(d - np.round(d), 0.0, atol=1e-10)


class Convert(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        rng = np.random.default_rng(7)
        self.H = lammps_cell()
        self.frac = rng.uniform(-0.2, 1.2, size=(12, 3))        # some outside the cell: wrapped
        self.F = rng.normal(size=(12, 3))
        self.species = ["Si"] * 7 + ["Ge"] * 5
        self.Q = rotation(3)                                      # v_original = v_lammps @ Q

    def path(self, name):
        return os.path.join(self.dir, name)

    def write_poscar(self, name, direct):
        cell = self.H @ self.Q
        with open(self.path(name), "w") as f:
            f.write("test\n1.0\n")
            for v in cell:
                f.write(f"{v[0]:.15f} {v[1]:.15f} {v[2]:.15f}\n")
            f.write("Si Ge\n7 5\n" + ("Direct\n" if direct else "Cartesian\n"))
            for p in (self.frac if direct else self.frac @ cell):
                f.write(f"{p[0]:.15f} {p[1]:.15f} {p[2]:.15f}\n")
        np.savetxt(self.path("forces.txt"), self.F @ self.Q, fmt="%.15f")

    def test_poscar_with_forces(self):
        for direct in (True, False):
            self.write_poscar("POSCAR", direct)
            p = run("poscar", self.path("POSCAR"), self.path("out.data"), "--forces", self.path("forces.txt"),
                    "--dump", self.path("out.dump"))
            self.assertEqual(p.returncode, 0, p.stderr)
            box, types, x = read_data(self.path("out.data"))
            for k, v in (("lx", self.H[0, 0]), ("ly", self.H[1, 1]), ("lz", self.H[2, 2]), ("xy", self.H[1, 0]),
                         ("xz", self.H[2, 0]), ("yz", self.H[2, 1])):
                self.assertAlmostEqual(box[k], v, places=9, msg=k)
            self.assertEqual(types, [1] * 7 + [2] * 5)
            same_in_box(self, self.H, self.frac, x)
            (step, _, cols), = read_dump(self.path("out.dump"))
            self.assertEqual(step, 0)
            same_in_box(self, self.H, self.frac, np.c_[cols["x"], cols["y"], cols["z"]])
            np.testing.assert_allclose(np.c_[cols["fx"], cols["fy"], cols["fz"]], self.F, atol=1e-10)

    def test_extxyz_frames(self):
        cell = self.H @ self.Q
        frames = [(self.frac, self.F), (self.frac + 0.01, -2.0 * self.F)]
        with open(self.path("in.xyz"), "w") as f:
            for frac, F in frames:
                lat = " ".join(f"{v:.15f}" for v in cell.ravel())
                f.write(f'{len(frac)}\nLattice="{lat}" Properties=species:S:1:pos:R:3:forces:R:3 energy=-1.5 pbc="T T T"\n')
                for e, p, g in zip(self.species, frac @ cell, F @ self.Q):
                    f.write(f"{e} {p[0]:.15f} {p[1]:.15f} {p[2]:.15f} {g[0]:.15f} {g[1]:.15f} {g[2]:.15f}\n")
        p = run("extxyz", self.path("in.xyz"), self.path("out.data"), self.path("out.dump"))
        self.assertEqual(p.returncode, 0, p.stderr)
        _, types, x = read_data(self.path("out.data"))
        self.assertEqual(types, [1] * 7 + [2] * 5)
        same_in_box(self, self.H, self.frac, x)
        dumped = read_dump(self.path("out.dump"))
        self.assertEqual([d[0] for d in dumped], [0, 1])
        for (frac, F), (_, _, cols) in zip(frames, dumped):
            same_in_box(self, self.H, frac, np.c_[cols["x"], cols["y"], cols["z"]])
            np.testing.assert_allclose(np.c_[cols["fx"], cols["fy"], cols["fz"]], F, atol=1e-10)

    def test_bad_input(self):
        with open(self.path("left.vasp"), "w") as f:
            f.write("left-handed\n1.0\n1 0 0\n0 0 1\n0 1 0\nSi\n1\nDirect\n0 0 0\n")
        with open(self.path("vasp4.vasp"), "w") as f:
            f.write("no names\n1.0\n1 0 0\n0 1 0\n0 0 1\n1\nDirect\n0 0 0\n")
        with open(self.path("nolat.xyz"), "w") as f:
            f.write("1\nProperties=species:S:1:pos:R:3\nSi 0 0 0\n")
        for args, text in ((("poscar", self.path("left.vasp"), self.path("o.data")), "left-handed"),
                           (("poscar", self.path("vasp4.vasp"), self.path("o.data")), "element names"),
                           (("extxyz", self.path("nolat.xyz"), self.path("o.data"), self.path("o.dump")), "Lattice"),
                           (("poscar", self.path("missing.vasp"), self.path("o.data")), "missing.vasp")):
            p = run(*args)
            self.assertEqual(p.returncode, 2, args)
            self.assertIn("reval_convert: error:", p.stderr)
            self.assertIn(text, p.stderr)
            self.assertNotIn("Traceback", p.stderr)

    @unittest.skipUnless(LMP and PLUGIN, "no lmp executable given")
    def test_lammps_reads_the_pair(self):
        """SW forces of a rotated, perturbed diamond cell (computed by LAMMPS in its own frame, rotated into
        an arbitrary one as a DFT code would report them) -> POSCAR + forces -> converter -> read_data +
        rerun of the dump with compute force/error against those forces: zero error."""
        inp = self.path("in.forces")
        with open(inp, "w") as f:
            f.write("units metal\natom_style atomic\natom_modify map array sort 0 0\nlattice diamond 5.431\n"
                    "region b prism 0 2 0 2 0 2 0.3 -0.2 0.1\ncreate_box 1 b\ncreate_atoms 1 box\nmass 1 28.0855\n"
                    "displace_atoms all random 0.1 0.1 0.1 5\npair_style sw\npair_coeff * * Si.sw Si\n"
                    "run 0\nwrite_dump all custom ref.dump id x y z fx fy fz modify format float %.15g\n")
        env = dict(os.environ, LAMMPS_POTENTIALS=os.environ.get("LAMMPS_POTENTIALS", "/usr/share/lammps/potentials"))
        p = subprocess.run([LMP, "-in", inp, "-log", "none"], cwd=self.dir, capture_output=True, text=True, env=env)
        self.assertEqual(p.returncode, 0, p.stdout[-2000:])
        (_, box, cols), = read_dump(self.path("ref.dump"))
        self.assertGreater(np.abs(cols["fx"]).max(), 0.1, "the reference needs nonzero forces")
        (xlo, xhi, xy), (ylo, yhi, xz), (zlo, zhi, yz) = box
        xlo -= min(0.0, xy, xz, xy + xz)
        xhi -= max(0.0, xy, xz, xy + xz)
        ylo -= min(0.0, yz)
        yhi -= max(0.0, yz)
        H = np.array([[xhi - xlo, 0, 0], [xy, yhi - ylo, 0], [xz, yz, zhi - zlo]])
        x = np.c_[cols["x"], cols["y"], cols["z"]] - np.array([xlo, ylo, zlo])
        F = np.c_[cols["fx"], cols["fy"], cols["fz"]]
        Q = rotation(11)
        cell = H @ Q
        with open(self.path("rot.vasp"), "w") as f:
            f.write("rotated\n1.0\n")
            for v in cell:
                f.write(f"{v[0]:.15f} {v[1]:.15f} {v[2]:.15f}\n")
            f.write(f"Si\n{len(x)}\nCartesian\n")
            for q in x @ Q:
                f.write(f"{q[0]:.15f} {q[1]:.15f} {q[2]:.15f}\n")
        np.savetxt(self.path("rot.forces"), F @ Q, fmt="%.15f")
        p = run("poscar", self.path("rot.vasp"), self.path("rot.data"), "--forces", self.path("rot.forces"),
                "--dump", self.path("rot.dump"))
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(self.path("in.check"), "w") as f:
            f.write(f"plugin load {PLUGIN}\nunits metal\natom_style atomic\natom_modify map array\n"
                    "read_data rot.data\npair_style sw\npair_coeff * * Si.sw Si\n"
                    "compute fe all force/error ref file rot.dump accumulate yes\n"
                    "thermo_style custom step c_fe[1]\nrerun rot.dump dump x y z box yes\n"
                    'print "@@ n = $(c_fe[1])"\nprint "@@ rmse = $(c_fe[3]:%.6e)"\nprint "@@ P = $(c_fe[13]:%.12f)"\n')
        p = subprocess.run([LMP, "-in", "in.check", "-log", "none"], cwd=self.dir, capture_output=True, text=True,
                           env=env)
        self.assertEqual(p.returncode, 0, p.stdout[-3000:])
        vals = dict(l[3:].split(" = ") for l in p.stdout.splitlines() if l.startswith("@@ "))
        self.assertEqual(float(vals["n"]), len(x))
        self.assertLess(float(vals["rmse"]), 1e-8, "converted forces must equal LAMMPS' own in its frame")
        self.assertAlmostEqual(float(vals["P"]), 1.0, places=12)


def mlearn_item(cell, pos, species, energy, forces, group="Vacancy"):
    return {"structure": {"lattice": {"matrix": np.asarray(cell).tolist()},
                          "sites": [{"xyz": list(map(float, p)), "species": [{"element": e, "occu": 1}]}
                                    for p, e in zip(pos, species)]},
            "outputs": {"energy": energy, "forces": None if forces is None else np.asarray(forces).tolist(),
                        "virial_stress": [0.0] * 6},
            "num_atoms": len(pos), "group": group}


class TrainingData(unittest.TestCase):
    """mlearn JSON and POSCAR-zip + DATA.json -> extended XYZ (reval-fit's training data): values kept to the
    last bit, groups, and bad data named by file and frame."""

    def setUp(self):
        self.dir = tempfile.mkdtemp()
        rng = np.random.default_rng(11)
        self.frames = []
        for k in range(5):
            cell = np.diag(rng.uniform(8, 11, 3)) + rng.uniform(-0.3, 0.3, (3, 3))
            n = 6 + k
            pos = rng.uniform(0, 1, (n, 3)) @ cell
            self.frames.append((cell, pos, ["Si"] * (n - 1) + ["Ge"], float(rng.normal() * 100),
                                rng.normal(size=(n, 3)), "AIMD-NVT" if k % 2 else "Vacancy"))

    def path(self, name):
        return os.path.join(self.dir, name)

    def write_mlearn(self, name, items):
        import json
        with open(self.path(name), "w") as f:
            json.dump(items, f)

    def check_xyz(self, path, frames):
        sys.path.insert(0, os.path.join(REPO, "tools"))
        import reval_convert as rc
        got = list(rc.read_extxyz(path))
        self.assertEqual(len(got), len(frames))
        for s, (cell, pos, species, energy, forces, _) in zip(got, frames):
            np.testing.assert_array_equal(s.cell, cell)     # repr() keeps every bit
            np.testing.assert_allclose(s.frac @ s.cell, pos, rtol=0, atol=1e-12)
            self.assertEqual(s.species, species)
            self.assertEqual(s.extra["energy"], energy)
            np.testing.assert_array_equal(s.extra["forces"], forces)
        return got

    def test_mlearn_all_and_by_group(self):
        self.write_mlearn("t.json", [mlearn_item(*f) for f in self.frames])
        p = run("mlearn", self.path("t.json"), self.path("all.xyz"))
        self.assertEqual(p.returncode, 0, p.stderr)
        got = self.check_xyz(self.path("all.xyz"), self.frames)
        self.assertEqual([s.extra["config_type"] for s in got], [f[5] for f in self.frames])
        p = run("mlearn", self.path("t.json"), "--by-group", self.path("groups"))
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(sorted(os.listdir(self.path("groups"))), ["AIMD-NVT.xyz", "Vacancy.xyz"])
        self.check_xyz(os.path.join(self.path("groups"), "Vacancy.xyz"), [f for f in self.frames if f[5] == "Vacancy"])

    def test_poscars_zip(self):
        import json
        import zipfile
        with zipfile.ZipFile(self.path("s.zip"), "w") as z:
            for k, (cell, pos, species, *_rest) in enumerate(self.frames):
                frac = np.linalg.solve(cell.T, pos.T).T
                text = "c\n1.0\n" + "".join(" ".join(repr(float(v)) for v in r) + "\n" for r in cell)
                text += "Si Ge\n%d 1\nDirect\n" % (len(pos) - 1)
                text += "".join(" ".join(repr(float(v)) for v in r) + "\n" for r in frac)
                z.writestr(f"{k}.POSCAR.vasp", text)
        data = {"Energies": {"DFT_K4": [f[3] for f in self.frames]},
                "Forces": {"DFT_K4": [f[4].tolist() for f in self.frames]}}
        with open(self.path("DATA.json"), "w") as f:
            json.dump(data, f)
        p = run("poscars", self.path("s.zip"), self.path("DATA.json"), self.path("p.xyz"))
        self.assertEqual(p.returncode, 0, p.stderr)
        sys.path.insert(0, os.path.join(REPO, "tools"))
        import reval_convert as rc
        got = list(rc.read_extxyz(self.path("p.xyz")))
        self.assertEqual([s.extra["source"] for s in got], [f"{k}.POSCAR.vasp" for k in range(5)])
        for s, (cell, pos, species, energy, forces, _) in zip(got, self.frames):
            np.testing.assert_allclose(s.frac @ s.cell, pos, rtol=0, atol=1e-9)
            self.assertEqual(s.extra["energy"], energy)
            np.testing.assert_array_equal(s.extra["forces"], forces)
        # a level of theory that is not there, and one force set short
        p = run("poscars", self.path("s.zip"), self.path("DATA.json"), self.path("p.xyz"), "--key", "PBE")
        self.assertEqual(p.returncode, 2)
        self.assertIn("Energies.PBE", p.stderr)
        data["Forces"]["DFT_K4"][3] = data["Forces"]["DFT_K4"][3][:-1]
        with open(self.path("DATA.json"), "w") as f:
            json.dump(data, f)
        p = run("poscars", self.path("s.zip"), self.path("DATA.json"), self.path("p.xyz"))
        self.assertEqual(p.returncode, 2)
        self.assertIn("frame 3", p.stderr)
        self.assertIn("3.POSCAR.vasp", p.stderr)

    def test_bad_training_data(self):
        cell, pos, species, energy, forces, group = self.frames[2]
        nan = forces.copy()
        nan[1, 2] = float("nan")
        bad_count = mlearn_item(cell, pos, species, energy, forces)
        bad_count["num_atoms"] += 1
        cases = [
            (mlearn_item(cell, pos, species, energy, None), "no forces"),
            (mlearn_item(cell, pos, species, energy, nan), "NaN"),
            (mlearn_item(cell, pos, species, energy, forces[:-1]), "forces have shape"),
            (mlearn_item(cell, pos, species[:-1] + ["Xx"], energy, forces), "unknown element 'Xx'"),
            (bad_count, "num_atoms"),
        ]
        for item, text in cases:
            self.write_mlearn("bad.json", [mlearn_item(*self.frames[0]), item])
            p = run("mlearn", self.path("bad.json"), self.path("bad.xyz"))
            self.assertEqual(p.returncode, 2, text)
            self.assertIn("bad.json: frame 1", p.stderr, text)
            self.assertIn(text, p.stderr)
            self.assertNotIn("Traceback", p.stderr)
        # extended XYZ read back strictly: short row, non-numeric energy
        with open(self.path("short.xyz"), "w") as f:
            f.write('2\nLattice="5 0 0 0 5 0 0 0 5" Properties=species:S:1:pos:R:3:forces:R:3 energy=-1\n'
                    "Si 0 0 0 0 0 0\nSi 1 1 1 0 0\n")
        with open(self.path("energy.xyz"), "w") as f:
            f.write('1\nLattice="5 0 0 0 5 0 0 0 5" Properties=species:S:1:pos:R:3 energy=abc\nSi 0 0 0\n')
        for name, text in (("short.xyz", "atom row 2 has 6 columns"), ("energy.xyz", "energy 'abc'")):
            p = run("extxyz", self.path(name), self.path("o.data"), self.path("o.dump"))
            self.assertEqual(p.returncode, 2, name)
            self.assertIn(f"{name}: frame 0", p.stderr)
            self.assertIn(text, p.stderr)

    @unittest.skipUnless(os.path.isdir(os.path.join(REPO, "..", "shared", "data", "si-training")),
                         "../shared/data/si-training absent")
    def test_shared_training_sets(self):
        base = os.path.join(REPO, "..", "shared", "data", "si-training")
        p = run("mlearn", os.path.join(base, "mlearn-Si", "training.json"), "--by-group", self.path("mlearn"))
        self.assertEqual(p.returncode, 0, p.stderr)
        sys.path.insert(0, os.path.join(REPO, "tools"))
        import reval_convert as rc
        counts = {}
        for name in os.listdir(self.path("mlearn")):
            fr = list(rc.read_extxyz(os.path.join(self.path("mlearn"), name)))
            counts[name] = (len(fr), sum(len(s.species) for s in fr))
        # README of the data: 214 configurations, 13,233 atoms; AIMD-NVT 90, Vacancy 57, Elastic 55, Surface 12
        self.assertEqual({k: v[0] for k, v in counts.items()},
                         {"AIMD-NVT.xyz": 90, "Vacancy.xyz": 57, "Elastic.xyz": 55, "Surface.xyz": 12})
        self.assertEqual(sum(v[1] for v in counts.values()), 13233)
        d = os.path.join(base, "Interstitial-enhanced_Training_Set")
        p = run("poscars", os.path.join(d, "structure_poscars.zip"), os.path.join(d, "DATA.json"), self.path("i.xyz"))
        self.assertEqual(p.returncode, 0, p.stderr)
        fr = list(rc.read_extxyz(self.path("i.xyz")))
        self.assertEqual(len(fr), 219)
        self.assertEqual(sum(len(s.species) == 65 for s in fr), 120)    # the RE snapshots: 64 + 1 atoms


if __name__ == "__main__":
    unittest.main()
