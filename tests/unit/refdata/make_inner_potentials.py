#!/usr/bin/python3
"""Writes two small synthetic SNAP potentials with the inner switching function of LAMMPS 2022+
(switchinnerflag 1), for the inner-switching tests (tests/unit/test_snap_inner.cpp, the pair
snap/model tests) and for generate_inner.sh, which evaluates them with LAMMPS 4Feb2025:

 - inner_sige.snapcoeff / inner_sige.snapparam (pair snap form): Si and Ge, twojmax 6, linear, no
   chemflag. The coefficient file lists Ge before Si and the .snapparam's sinner / dinner lists are
   in pair_coeff order "Si Ge" (LAMMPS' rule), so the test also checks that order.
 - inner_sige_chem.mliap.model / inner_sige_chem.mliap.descriptor (pair mliap form, linear model):
   Si and Ge, twojmax 4, chemflag 1, bnormflag 1, sinnerelems / dinnerelems.

The inner switching regions (Si-Si 2.20-2.70 Å, Ge-Ge 1.90-2.60 Å, Si-Ge 2.05-2.65 Å) cover the first
neighbour shell of the perturbed diamond crystals of the tests, so pairs are on both sides of them and
inside. Coefficients come from a fixed-seed generator (fitted to nothing).

usage: make_inner_potentials.py <output dir>
"""
import os
import sys

import numpy as np

SEED = 20261203


def ncoeff_per_triple(twojmax):
    n = 0
    for j1 in range(twojmax + 1):
        for j2 in range(j1 + 1):
            for j in range(j1 - j2, min(twojmax, j1 + j2) + 1, 2):
                if j >= j1:
                    n += 1
    return n


def coefficients(rng, n, beta0):
    c = rng.normal(0.0, 1.0, n) * 0.04 / np.sqrt(1.0 + np.arange(n) / 4.0)
    return [beta0] + list(c)


def main(out):
    rng = np.random.default_rng(SEED)
    head = "# written by tests/unit/refdata/make_inner_potentials.py (synthetic, for tests only)\n"

    # pair snap form
    n = ncoeff_per_triple(6)
    blocks = {"Ge": (0.55, 0.8, coefficients(rng, n, -3.9)), "Si": (0.5, 1.0, coefficients(rng, n, -4.6))}
    with open(os.path.join(out, "inner_sige.snapcoeff"), "w") as f:
        f.write(head + "\n2 %d\n" % (n + 1))
        for el in ("Ge", "Si"):
            rad, w, c = blocks[el]
            f.write("%s %r %r\n" % (el, rad, w))
            f.writelines("%r\n" % float(v) for v in c)
    with open(os.path.join(out, "inner_sige.snapparam"), "w") as f:
        f.write(head + "# sinner / dinner: one value per element of pair_coeff, in its order (Si Ge)\n\n"
                "rcutfac 4.4\ntwojmax 6\nrfac0 0.99363\nrmin0 0\nbzeroflag 1\nquadraticflag 0\n"
                "switchinnerflag 1\nsinner 2.45 2.25\ndinner 0.25 0.35\n")

    # pair mliap form, chemflag
    nc = ncoeff_per_triple(4) * 8
    with open(os.path.join(out, "inner_sige_chem.mliap.model"), "w") as f:
        f.write(head + "2 %d\n" % (nc + 1))
        for beta0 in (-4.6, -3.9):
            f.writelines("%r\n" % float(v) for v in coefficients(rng, nc, beta0))
    with open(os.path.join(out, "inner_sige_chem.mliap.descriptor"), "w") as f:
        f.write(head + "\nrcutfac 4.4\ntwojmax 4\n\nnelems 2\nelems Si Ge\nradelems 0.5 0.55\nwelems 1.0 0.8\n"
                "sinnerelems 2.45 2.25\ndinnerelems 0.25 0.35\n\nrfac0 0.99363\nrmin0 0\nbzeroflag 0\n"
                "chemflag 1\nbnormflag 1\nswitchinnerflag 1\n")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
