"""tools/reval_plots.py on the example outputs shipped in examples/ (and a synthetic calibration dump):
every plot is produced as a PNG, and the numbers it prints equal an independent computation."""
import os
import subprocess
import sys
import tempfile
import unittest

import numpy as np
from scipy.stats import spearmanr

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.join(HERE, "..", "..")
TOOL = os.path.join(REPO, "tools", "reval_plots.py")
sys.path.insert(0, os.path.join(REPO, "tools"))
import reval_plots  # noqa: E402


def run(*args):
    return subprocess.run([sys.executable, TOOL, *args], capture_output=True, text=True)


def is_png(path):
    with open(path, "rb") as f:
        return f.read(8) == b"\x89PNG\r\n\x1a\n" and os.path.getsize(path) > 10000


class Plots(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()

    def out(self, name):
        return os.path.join(self.dir, name)

    def test_cdf_from_force_error_reports(self):
        ex = os.path.join(REPO, "examples", "re-force-metrics")
        r = reval_plots.read_report(os.path.join(ex, "report-migrating.txt"))
        cdf = r["cdf_dtheta"][:, 1]
        self.assertTrue(np.all(np.diff(cdf) >= 0), "a CDF never decreases")
        self.assertAlmostEqual(np.mean(cdf), r["values"]["NAC(dtheta)"], places=5)
        p = run("cdf", os.path.join(ex, "report-all.txt") + ":all atoms",
                os.path.join(ex, "report-migrating.txt") + ":migrating", "-o", self.out("cdf.png"))
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertTrue(is_png(self.out("cdf.png")))

    def test_itypes_from_fix_files(self):
        stats = os.path.join(REPO, "examples", "si-interstitial", "stats.txt")
        header, rows = reval_plots.read_stats(stats)
        self.assertEqual(header[-4:], ["split-110", "tetrahedral", "hexagonal", "other"])
        p = run("itypes", stats + ":SNAP 1230 K", "-o", self.out("itypes.png"))
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertTrue(is_png(self.out("itypes.png")))

    def test_rsrv_from_re_atom_dump(self):
        dump = os.path.join(REPO, "examples", "si-vacancy", "rsrv.dump")
        p = run("rsrv", dump, "-o", self.out("rsrv.png"))
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertTrue(is_png(self.out("rsrv.png")))
        # with the neighbour shells of diamond Si (dashed lines, hop path)
        p = run("rsrv", dump, "--shells", "2.352,3.840,4.503", "-o", self.out("rsrv-shells.png"))
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertTrue(is_png(self.out("rsrv-shells.png")))
        p = run("rsrv", dump, "--shells", "2.352,x", "-o", self.out("x.png"))
        self.assertEqual(p.returncode, 2)
        self.assertIn("reval_plots: error:", p.stderr)

    def test_calibration_numbers(self):
        rng = np.random.default_rng(4)
        sigma = rng.uniform(0.05, 0.5, 300)
        err = np.abs(rng.normal(0, sigma * 1.3))
        dump = self.out("cal.dump")
        with open(dump, "w") as f:
            f.write("ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n300\nITEM: BOX BOUNDS pp pp pp\n0 1\n0 1\n0 1\n")
            f.write("ITEM: ATOMS id sigma c_fe[3]\n")
            for i, (s, e) in enumerate(zip(sigma, err), 1):
                f.write(f"{i} {s:.17g} {e:.17g}\n")
        p = run("calibration", dump, "-o", self.out("cal.png"))
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn(f"fraction |e| <= sigma: {np.mean(err <= sigma):.4f}", p.stdout)
        self.assertIn(f"Spearman rho: {spearmanr(sigma, err).correlation:.4f}", p.stdout)
        self.assertTrue(is_png(self.out("cal.png")))

    def test_calibration_mask_summarizes_the_masked_atoms_apart(self):
        rng = np.random.default_rng(5)
        n = 400
        sigma = rng.uniform(0.05, 0.5, n)
        err = np.abs(rng.normal(0, sigma * 2.0))
        mig = (rng.uniform(size=n) < 0.2).astype(int)
        dump = self.out("calm.dump")
        with open(dump, "w") as f:
            for frame in (0, 1):                          # two frames of n/2 atoms
                part = slice(frame * n // 2, (frame + 1) * n // 2)
                f.write(f"ITEM: TIMESTEP\n{frame}\nITEM: NUMBER OF ATOMS\n{n // 2}\n"
                        "ITEM: BOX BOUNDS pp pp pp\n0 1\n0 1\n0 1\nITEM: ATOMS id c_unc[2] c_fe[3] c_re[1]\n")
                for i, (s, e, m) in enumerate(zip(sigma[part], err[part], mig[part]), 1):
                    f.write(f"{i} {s:.17g} {e:.17g} {m}\n")
        p = run("calibration", dump, "--sigma", "c_unc[2]", "--error", "c_fe[3]", "--mask", "c_re[1]",
                "-o", self.out("calm.png"))
        self.assertEqual(p.returncode, 0, p.stderr)
        m = mig == 1
        self.assertIn(f"fraction |e| <= sigma: {np.mean(err <= sigma):.4f}, "
                      f"Spearman rho: {spearmanr(sigma, err).correlation:.4f}, mean |e| = {err.mean():.4g}, "
                      f"mean sigma = {sigma.mean():.4g}, samples = {n}", p.stdout)
        self.assertIn(f"migrating atoms: fraction |e| <= sigma: {np.mean(err[m] <= sigma[m]):.4f}, "
                      f"Spearman rho: {spearmanr(sigma[m], err[m]).correlation:.4f}, "
                      f"mean |e| = {err[m].mean():.4g}, mean sigma = {sigma[m].mean():.4g}, samples = {m.sum()}",
                      p.stdout)
        self.assertTrue(is_png(self.out("calm.png")))

    def test_bad_input(self):
        bogus = self.out("bogus.txt")
        with open(bogus, "w") as f:
            f.write("hello\n")
        for args in (("cdf", bogus), ("itypes", bogus)):
            p = run(*args, "-o", self.out("x.png"))
            self.assertEqual(p.returncode, 2)
            self.assertIn("reval_plots: error:", p.stderr)


if __name__ == "__main__":
    unittest.main()
