#!/usr/bin/env python3
"""Frenkel pairs and defect clusters vs time after the knock, from the fix ave/time file of in.cascade.

    python3 plot_frenkel.py [frenkel.txt] [-o frenkel.png]

frenkel.txt columns: step, time after the knock (ps), Wigner-Seitz vacancies, WS interstitials,
Frenkel pairs, defect clusters, size of the largest cluster. Prints the peak and the final figures.
"""
import argparse
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def read_frenkel(path):
    """The rows of a fix ave/time file (comment lines skipped) as an array of 7 columns."""
    rows = []
    with open(path) as f:
        for line in f:
            words = line.split()
            if not words or words[0].startswith("#"):
                continue
            if len(words) != 7:
                raise ValueError(f"{path}: expected 7 columns, got {len(words)}: {line.strip()}")
            rows.append([float(w) for w in words])
    if not rows:
        raise ValueError(f"{path}: no data rows")
    return np.array(rows)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("file", nargs="?", default="frenkel.txt")
    ap.add_argument("-o", "--output", default="frenkel.png")
    a = ap.parse_args(argv)
    d = read_frenkel(a.file)
    t, vac, inter, fp, ncl, largest = d[:, 1], d[:, 2], d[:, 3], d[:, 4], d[:, 5], d[:, 6]
    k = int(np.argmax(fp))

    fig, ax = plt.subplots(figsize=(6.4, 4.0), dpi=100)
    ax.plot(t, fp, color="C3", lw=1.8, label="Frenkel pairs (Wigner-Seitz)")
    ax.plot(t, ncl, color="C0", lw=1.2, label="defect clusters")
    ax.plot(t, largest, color="C2", lw=1.0, ls="--", label="largest cluster (defects)")
    ax.set_xlabel("time after the knock (ps)")
    ax.set_ylabel("count")
    ax.set_xlim(0, t[-1])
    ax.set_ylim(0, None)
    ax.grid(alpha=0.3)
    ax.legend(frameon=False)
    ax.set_title("Displacement cascade in Si (compute vacancy/sites)", fontsize=10)
    fig.tight_layout()
    fig.savefig(a.output)

    print(f"peak: {fp[k]:.0f} Frenkel pairs at {t[k]:.3f} ps")
    print(f"final ({t[-1]:.3f} ps): {fp[-1]:.0f} Frenkel pairs ({vac[-1]:.0f} vacancies, {inter[-1]:.0f} interstitials), "
          f"{ncl[-1]:.0f} clusters, largest {largest[-1]:.0f} defects")
    print(f"wrote {a.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
