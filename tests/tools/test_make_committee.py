"""tools/make_committee.py: .snapcoeff format round trip, statistics of the stated perturbation,
determinism by seed, errors on bad input."""
import math
import os
import subprocess
import sys
import tempfile
import unittest

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
TOOL = os.path.join(HERE, "..", "..", "tools", "make_committee.py")
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools"))
import make_committee as mc  # noqa: E402

POTENTIALS = os.environ.get("LAMMPS_POTENTIALS", "/usr/share/lammps/potentials")

# two elements, comments (first with a UNITS tag), blank lines, a trailing comment, a zero coefficient
BASE = """# DATE: 2024-01-01 UNITS: metal CONTRIBUTOR: test
# second comment line

2 5
A 0.5 1
-4.5
1.25e-05
0.0
-0.75   # trailing comment
3.0
B 0.45 0.9
-2.0
2.0
-1e-3
0.5
7.0
"""


def run(*args, cwd=None):
    return subprocess.run([sys.executable, TOOL, *args], capture_output=True, text=True, cwd=cwd)


class MakeCommittee(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.base = os.path.join(self.dir, "base.snapcoeff")
        with open(self.base, "w") as f:
            f.write(BASE)

    def coeffs(self, data):
        return np.concatenate([np.array(c) for _, _, _, c in data["elements"]])

    def test_parse_and_format_round_trip(self):
        d = mc.read_snapcoeff(self.base)
        self.assertEqual(d["ncoeff"], 5)
        self.assertEqual([(e[0], e[1], e[2]) for e in d["elements"]], [("A", 0.5, 1.0), ("B", 0.45, 0.9)])
        self.assertEqual(d["comments"][0], "# DATE: 2024-01-01 UNITS: metal CONTRIBUTOR: test")
        out = os.path.join(self.dir, "copy.snapcoeff")
        mc.write_snapcoeff(out, d, "note")
        e = mc.read_snapcoeff(out)
        self.assertEqual(e["elements"], d["elements"], "values survive exactly (shortest round-trip text)")
        with open(out) as f:
            lines = f.read().splitlines()
        self.assertEqual(lines[0], d["comments"][0], "UNITS tag stays on the first line")
        self.assertEqual(lines[2], "# note")
        # layout: header, then per element one 'name radius weight' line and ncoeff one-value lines
        body = [s for s in lines if s and not s.startswith("#")]
        self.assertEqual(body[0], "2 5")
        self.assertEqual(len(body), 1 + 2 * (1 + 5))
        self.assertEqual(body[1].split(), ["A", "0.5", "1.0"])
        self.assertTrue(all(len(s.split()) == 1 for s in body[2:7] + body[8:13]))

    def test_rel_zero_reproduces_base_and_command_line(self):
        p = run(self.base, "-M", "3", "--rel", "0", "-o", os.path.join(self.dir, "m"))
        self.assertEqual(p.returncode, 0, p.stderr)
        d = mc.read_snapcoeff(self.base)
        for m in (1, 2, 3):
            e = mc.read_snapcoeff(os.path.join(self.dir, f"m{m}.snapcoeff"))
            self.assertEqual(e["elements"], d["elements"])
            with open(os.path.join(self.dir, f"m{m}.snapcoeff")) as f:
                text = f.read()
            self.assertIn(f"member {m} of 3 from base.snapcoeff, independent Gaussian, relative sigma 0, seed 1, "
                          "beta0 unchanged", text)
        self.assertFalse(os.path.exists(os.path.join(self.dir, "m4.snapcoeff")))

    def test_statistics_of_the_perturbation(self):
        d = mc.read_snapcoeff(self.base)
        c = self.coeffs(d)
        rel, M = 0.05, 4000
        mem = mc.make_members(d, M, rel, seed=7)
        X = np.array([self.coeffs(m) for m in mem])
        beta0 = [0, 5]
        np.testing.assert_array_equal(X[:, beta0], np.tile(c[beta0], (M, 1)), "beta0 unchanged by default")
        np.testing.assert_array_equal(X[:, 2], 0.0, "zero coefficients stay zero")
        k = [1, 3, 4, 6, 7, 8, 9]
        z = (X[:, k] - c[k]) / (rel * np.abs(c[k]))          # should be independent N(0, 1)
        n = z.shape[0]
        self.assertTrue(np.all(np.abs(z.mean(axis=0)) < 5 / math.sqrt(n)), z.mean(axis=0))
        self.assertTrue(np.all(np.abs(z.std(axis=0) - 1) < 5 / math.sqrt(2 * n)), z.std(axis=0))
        corr = np.corrcoef(z.T)
        off = corr[~np.eye(len(k), dtype=bool)]
        self.assertLess(np.max(np.abs(off)), 5 / math.sqrt(n), "coefficients independent")
        # members independent of each other too: correlation over coefficients x repeats
        self.assertLess(abs(np.corrcoef(z[0::2].ravel(), z[1::2].ravel())[0, 1]), 5 / math.sqrt(z[0::2].size))
        # beta0 perturbed on request
        mem0 = mc.make_members(d, 2000, rel, seed=3, perturb_beta0=True)
        b0 = np.array([self.coeffs(m)[0] for m in mem0])
        self.assertAlmostEqual(np.std(b0) / (rel * abs(c[0])), 1.0, delta=0.1)

    def test_center_makes_the_mean_the_base(self):
        d = mc.read_snapcoeff(self.base)
        c = self.coeffs(d)
        mem = mc.make_members(d, 8, 0.1, seed=5, center=True)
        X = np.array([self.coeffs(m) for m in mem])
        np.testing.assert_allclose(X.mean(axis=0), c, rtol=1e-14, atol=1e-18)
        self.assertTrue(np.all(X.std(axis=0)[[1, 3, 4]] > 0))

    def test_determinism_by_seed(self):
        d = mc.read_snapcoeff(self.base)
        a = [self.coeffs(m) for m in mc.make_members(d, 4, 0.05, seed=11)]
        b = [self.coeffs(m) for m in mc.make_members(d, 4, 0.05, seed=11)]
        c = [self.coeffs(m) for m in mc.make_members(d, 4, 0.05, seed=12)]
        np.testing.assert_array_equal(a, b)
        self.assertFalse(np.array_equal(a, c))
        for sub in ("s1", "s2"):
            os.mkdir(os.path.join(self.dir, sub))
            p = run(self.base, "-M", "2", "--rel", "0.05", "--seed", "11", cwd=os.path.join(self.dir, sub))
            self.assertEqual(p.returncode, 0, p.stderr)
        for m in (1, 2):
            with open(os.path.join(self.dir, "s1", f"member{m}.snapcoeff")) as f1, \
                    open(os.path.join(self.dir, "s2", f"member{m}.snapcoeff")) as f2:
                self.assertEqual(f1.read(), f2.read(), "same seed, same files byte for byte")

    def test_bad_input(self):
        cases = {
            "2 5\nA 0.5 1\n1\n2\n3\n4\n5\n": "truncated",                         # one element block missing
            "1 3\nA 0.5 1\n1\n2\n3\n4\n": "extra values",
            "1 3\nA 0.5 1\n1\nx\n3\n": "expected one coefficient",
            "1 3\nA 0.5 1\n1\nnan\n3\n": "not finite",
            "1 3\nA 0.5\n1\n2\n3\n": "expected 'element radius weight'",
            "1\nA 0.5 1\n1\n": "expected 'nelements ncoeff'",
            "# only a comment\n": "no 'nelements ncoeff' line",
        }
        for text, msg in cases.items():
            path = os.path.join(self.dir, "bad.snapcoeff")
            with open(path, "w") as f:
                f.write(text)
            with self.assertRaises(ValueError) as cm:
                mc.read_snapcoeff(path)
            self.assertIn(msg, str(cm.exception))
            p = run(path, "-M", "2", "--rel", "0.1", cwd=self.dir)
            self.assertEqual(p.returncode, 2)
            self.assertIn("make_committee: error:", p.stderr)
            self.assertIn(msg, p.stderr)
        d = mc.read_snapcoeff(self.base)
        with self.assertRaises(ValueError):
            mc.make_members(d, 1, 0.1, 1)
        with self.assertRaises(ValueError):
            mc.make_members(d, 3, -0.1, 1)
        with self.assertRaises(ValueError):
            mc.make_members(d, 3, float("nan"), 1)
        for args in (["-M", "65", "--rel", "0.1"], ["-M", "1", "--rel", "0.1"]):
            p = run(self.base, *args, cwd=self.dir)
            self.assertEqual(p.returncode, 2)
            self.assertIn("make_committee: error:", p.stderr)
        p = run(os.path.join(self.dir, "missing.snapcoeff"), "-M", "2", "--rel", "0.1", cwd=self.dir)
        self.assertEqual(p.returncode, 2)

    def test_lammps_si_file_if_present(self):
        base = os.path.join(POTENTIALS, "Si_Zuo_JPCA2020.quadratic.snapcoeff")
        if not os.path.exists(base):
            self.skipTest(f"{base} not present")
        d = mc.read_snapcoeff(base)
        self.assertEqual(d["ncoeff"], 1596)
        self.assertEqual(d["elements"][0][:3], ("Si", 0.5, 1.0))
        mem = mc.make_members(d, 2, 0.01, seed=1)
        out = os.path.join(self.dir, "q.snapcoeff")
        mc.write_snapcoeff(out, mem[0], "x")
        self.assertEqual(mc.read_snapcoeff(out)["elements"], mem[0]["elements"])


if __name__ == "__main__":
    unittest.main()
