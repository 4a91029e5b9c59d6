"""tools/arrhenius.py: Arrhenius fit with the slope-intercept covariance, fix file input, plot."""
import math
import os
import subprocess
import sys
import tempfile
import unittest

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools"))
import arrhenius  # noqa: E402

KB = arrhenius.KB_EV


class ArrheniusFit(unittest.TestCase):
    def test_exact_data_recovers_ea_and_d0(self):
        T = np.array([900.0, 1000.0, 1100.0, 1230.0, 1400.0])
        Ea, D0 = 0.45, 2.5e-1
        D = D0 * np.exp(-Ea / (KB * T))
        f = arrhenius.arrhenius_fit(T, D, 0.1 * D)
        self.assertAlmostEqual(f["Ea"], Ea, places=10)
        self.assertAlmostEqual(f["D0"] / D0, 1.0, places=10)
        self.assertAlmostEqual(f["chi2_dof"], 0.0, places=12)

    def test_covariance_equals_weighted_least_squares(self):
        rng = np.random.default_rng(1)
        T = np.array([800.0, 950.0, 1100.0, 1300.0])
        D = 1e-1 * np.exp(-0.6 / (KB * T)) * np.exp(rng.normal(0, 0.05, 4))
        rsd = np.array([0.3, 0.2, 0.15, 0.1])
        f = arrhenius.arrhenius_fit(T, D, rsd * D)
        x, y, sy = 1000 / T, np.log10(D), math.log10(math.e) * rsd
        p, cov = np.polyfit(x, y, 1, w=1 / sy, cov="unscaled")
        self.assertAlmostEqual(f["B"], p[0], places=10)
        self.assertAlmostEqual(f["A"], p[1], places=10)
        self.assertAlmostEqual(f["cov"][0, 1], cov[0, 1], places=12)
        self.assertAlmostEqual(f["sEa"], math.sqrt(cov[0, 0]) * 1000 * KB * math.log(10), places=10)
        # the band includes the covariance: at the centroid of the weights it is narrowest
        xs = np.sum(x / sy ** 2) / np.sum(1 / sy ** 2)
        _, s_mid = arrhenius.predict(f, [1000 / xs])
        _, s_far = arrhenius.predict(f, [300.0])
        self.assertLess(s_mid[0], s_far[0])
        self.assertAlmostEqual(s_mid[0] ** 2, f["cov"][0, 0] + xs ** 2 * f["cov"][1, 1] + 2 * xs * f["cov"][0, 1], places=12)
        self.assertLess(s_mid[0] ** 2, f["cov"][0, 0] + xs ** 2 * f["cov"][1, 1] + 1e-15, "negative covariance shrinks it")

    def test_errors(self):
        with self.assertRaises(ValueError):
            arrhenius.arrhenius_fit([1000.0], [1.0], [0.1])
        with self.assertRaises(ValueError):
            arrhenius.arrhenius_fit([1000.0, 1100.0], [0.0, 1.0], [0.1, 0.1])
        # fix re/stats reports D = nan while its fit window holds too few samples
        with self.assertRaisesRegex(ValueError, "finite"):
            arrhenius.arrhenius_fit([1000.0, 1100.0, 1200.0], [float("nan"), 1.0, 2.0], [0.1, 0.1, 0.2])


class CommandLine(unittest.TestCase):
    def test_fix_files_report_and_plot(self):
        d = tempfile.mkdtemp()
        args = []
        for T in (1000.0, 1230.0, 1500.0):
            D = 0.3 * math.exp(-0.5 / (KB * T))
            path = os.path.join(d, f"st{int(T)}.txt")
            with open(path, "w") as f:
                f.write("# fix re/stats st: step time TMSD MSD D sigma_D N_eff hops_total interstitials\n")
                f.write(f"100 0.1 1 0.01 {D * 2} {D} 5 1 0\n")
                f.write(f"200 0.2 2 0.02 {D} {0.2 * D} 30 4 0\n")
            args.append(f"{T}:{path}")
        png = os.path.join(d, "a.png")
        p = subprocess.run([sys.executable, os.path.join(HERE, "..", "..", "tools", "arrhenius.py"), *args,
                            "--extrapolate", "300", "--plot", png], capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("Ea = 0.5000 +- ", p.stdout)
        self.assertIn("extrapolated D(300 K)", p.stdout)
        self.assertIn("N_eff = 30.0", p.stdout)
        self.assertNotIn("too few hops", p.stdout)
        self.assertTrue(os.path.getsize(png) > 10000)
        with open(png, "rb") as f:
            self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")

    def test_few_hops_are_flagged(self):
        d = tempfile.mkdtemp()
        args = []
        for T, neff in ((1000.0, 4.2), (1500.0, 25.0)):
            path = os.path.join(d, f"st{int(T)}.txt")
            with open(path, "w") as f:
                f.write(f"100 0.1 1 0.01 {T * 1e-5} {T * 1e-5} {neff} 0 1\n")
            args.append(f"{T}:{path}")
        p = subprocess.run([sys.executable, os.path.join(HERE, "..", "..", "tools", "arrhenius.py"), *args,
                            "--plot", "none"], capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        lines = p.stdout.splitlines()
        self.assertIn("N_eff = 4.2   (N_eff < 10: too few hops, D unresolved)", [l for l in lines if "1000.00 K" in l][0])
        self.assertNotIn("too few hops", [l for l in lines if "1500.00 K" in l][0])

    def test_bad_input_message(self):
        p = subprocess.run([sys.executable, os.path.join(HERE, "..", "..", "tools", "arrhenius.py"), "1000:/nonexistent"],
                           capture_output=True, text=True)
        self.assertEqual(p.returncode, 2)
        self.assertIn("arrhenius: error:", p.stderr)


if __name__ == "__main__":
    unittest.main()
