"""examples/cascade/plot_frenkel.py on the example's own frenkel.txt: the PNG is written and the figures it
prints (peak and final Frenkel pairs, clusters) equal those read independently from the file."""
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLE = os.path.join(HERE, "..", "..", "examples", "cascade")
SCRIPT = os.path.join(EXAMPLE, "plot_frenkel.py")


class CascadePlot(unittest.TestCase):
    def test_plot_and_figures(self):
        rows = []
        with open(os.path.join(EXAMPLE, "frenkel.txt")) as f:
            for line in f:
                if line.strip() and not line.startswith("#"):
                    rows.append([float(w) for w in line.split()])
        self.assertGreater(len(rows), 50)
        peak = max(r[4] for r in rows)
        self.assertGreater(peak, 0)
        for r in rows:
            self.assertEqual(r[4], min(r[2], r[3]), "Frenkel pairs = min(vacancies, interstitials)")
        out = os.path.join(tempfile.mkdtemp(), "frenkel.png")
        p = subprocess.run([sys.executable, SCRIPT, os.path.join(EXAMPLE, "frenkel.txt"), "-o", out],
                           capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(out, "rb") as f:
            self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")
        self.assertGreater(os.path.getsize(out), 10000)
        self.assertIn(f"peak: {peak:.0f} Frenkel pairs", p.stdout)
        last = rows[-1]
        self.assertIn(f"{last[4]:.0f} Frenkel pairs ({last[2]:.0f} vacancies, {last[3]:.0f} interstitials), "
                      f"{last[5]:.0f} clusters, largest {last[6]:.0f} defects", p.stdout)

    def test_bad_file_is_an_error(self):
        bad = os.path.join(tempfile.mkdtemp(), "bad.txt")
        with open(bad, "w") as f:
            f.write("# nothing\n1 2 3\n")
        p = subprocess.run([sys.executable, SCRIPT, bad, "-o", bad + ".png"], capture_output=True, text=True)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("expected 7 columns", p.stderr)


if __name__ == "__main__":
    unittest.main()
