#!/usr/bin/python3
"""Writes a synthetic ML-IAP "nn" model for Si (SNAP twojmax 8: 55 descriptors -> 64 -> 32 -> 1,
tanh, tanh, linear) and its SNAP descriptor file, for tests/unit/test_snap_reference.cpp.

The weights come from a fixed-seed generator; the input scaling (scale0 = mean, scale1 = standard
deviation of each descriptor) is taken from the bispectrum columns of a reference file written by
generate.sh (si_zuo_linear.ref), so that the hidden layers work in their non-linear range.

usage: make_synthetic_nn.py <si_zuo_linear.ref> <output dir>
"""
import os
import sys

import numpy as np

LAYERS = [(64, "tanh"), (32, "tanh"), (1, "linear")]
SEED = 20240613


def read_sna(path):
    """bispectrum columns (c_sna[k]) of the dump part of a reference file"""
    lines = open(path).read().splitlines()
    i = next(k for k, l in enumerate(lines) if l.startswith("ITEM: ATOMS"))
    cols = lines[i].split()[2:]
    sel = [k for k, c in enumerate(cols) if c.startswith("c_sna[")]
    rows = [l.split() for l in lines[i + 1:] if l.strip()]
    return np.array([[float(r[k]) for k in sel] for r in rows])


def fmt(values, per_line):
    out = []
    for k in range(0, len(values), per_line):
        out.append(" ".join("%.17g" % v for v in values[k:k + per_line]))
    return "\n".join(out)


def main():
    ref, outdir = sys.argv[1], sys.argv[2]
    b = read_sna(ref)
    nd = b.shape[1]
    scale0 = b.mean(axis=0)
    scale1 = b.std(axis=0)
    scale1[scale1 < 1e-12] = 1.0
    rng = np.random.default_rng(SEED)
    coeffs = []
    nin = nd
    for nodes, _ in LAYERS:
        w = rng.normal(0.0, 1.0 / np.sqrt(nin), size=(nodes, nin))
        bias = rng.normal(0.0, 0.1, size=nodes)
        for n in range(nodes):
            coeffs.append(np.concatenate(([bias[n]], w[n])))
        nin = nodes
    coeffs[-1][0] -= 4.6    # output bias: about the Si cohesive energy (eV)
    nparams = sum(len(c) for c in coeffs)
    net = " ".join("%s %d" % (act, n) for n, act in LAYERS)
    with open(os.path.join(outdir, "si_synthetic.nn.mliap.model"), "w") as f:
        f.write("# synthetic Si network for REVAL tests, written by tests/unit/refdata/make_synthetic_nn.py\n")
        f.write("# (seed %d; scale0/scale1 = mean/std of the B columns of %s)\n\n" % (SEED, os.path.basename(ref)))
        f.write("# nelements nparams\n1 %d\n\n" % nparams)
        f.write("# NET ndescriptors nlayers activation nodes ...\nNET %d %d %s\n\n" % (nd, len(LAYERS), net))
        f.write("# scale0\n%s\n# scale1\n%s\n# coefficients (per node: bias, weights)\n" %
                (fmt(scale0, 5), fmt(scale1, 5)))
        for c in coeffs:
            f.write(fmt(c, 8) + "\n")
    with open(os.path.join(outdir, "si_synthetic.mliap.descriptor"), "w") as f:
        f.write("# SNAP descriptor of the synthetic Si network (same settings as Si_Zuo_JPCA2020 linear)\n")
        f.write("# written by tests/unit/refdata/make_synthetic_nn.py\n\n")
        f.write("rcutfac 4.9\ntwojmax 8\n\nnelems 1\nelems Si\nradelems 0.5\nwelems 1.0\n\n")
        f.write("rfac0 0.99363\nrmin0 0\nbzeroflag 0\nswitchflag 1\n")
    print("wrote %s/si_synthetic.nn.mliap.model (%d descriptors, %d parameters) and si_synthetic.mliap.descriptor"
          % (outdir, nd, nparams))


if __name__ == "__main__":
    main()
