#!/usr/bin/python3
"""Write the M member .snapcoeff files of a toy SNAP committee by perturbing a base .snapcoeff file.

    make_committee.py BASE.snapcoeff -M 8 --rel 0.05 [--seed 1] [--center] [--perturb-beta0] [-o member]

writes member1.snapcoeff ... memberM.snapcoeff (PREFIX1.snapcoeff ... with -o PREFIX), for
``pair_style snap/model`` with ``pair_coeff * * committee M member1.snapcoeff PARAM ... El``.

Covariance (stated, nothing else is assumed): every coefficient c_k of every element, except the
constant beta0 (the first coefficient of each element block) unless --perturb-beta0, is drawn
independently for each member m as

    c_k^m = c_k + rel * |c_k| * xi_k^m,     xi_k^m ~ N(0, 1) independent (numpy default_rng(seed))

i.e. a diagonal Gaussian with relative standard deviation `rel`; zero coefficients stay zero. beta0 only
shifts every atom energy by a constant, so it changes no force; by default it is copied unchanged.
With --center, the members' mean deviation is subtracted from every member, so that the committee mean
(which drives the MD of pair_style snap/model) is exactly the base model; the deviations are then those
of independent draws minus their mean (variance (1 - 1/M) rel^2 c_k^2 per member, covariance
-rel^2 c_k^2 / M between two members).

The file format is kept: the comment lines of the base file (the first one carries the UNITS tag that
LAMMPS checks) followed by one line saying how the member was made, the "nelements ncoeff" line, and per
element the "name radius weight" line and ncoeff coefficients, one per line (shortest exact float text).
Linear and quadratic (quadraticflag 1) files are handled alike: every coefficient line is perturbed.

This is a stand-in for a real committee, whose members come from fits to resampled (bootstrap) or
differently weighted training data: those members differ along the directions the data leave
unconstrained, which a diagonal perturbation of the coefficients does not know about.
"""
import argparse
import math
import os
import sys

import numpy as np


def read_snapcoeff(path):
    """Parse a .snapcoeff file: {'comments': [...], 'elements': [(name, radius, weight, [coeffs])]}.

    Raises ValueError naming the file and line on any format error."""
    with open(path) as f:
        lines = f.read().splitlines()
    comments, rows = [], []
    for n, line in enumerate(lines, 1):
        s = line.split("#", 1)[0].strip()
        if not s:
            if line.strip().startswith("#") and not rows:
                comments.append(line.rstrip())
            continue
        rows.append((n, s.split()))
    if not rows:
        raise ValueError(f"{path}: no 'nelements ncoeff' line")
    n, head = rows[0]
    try:
        if len(head) != 2:
            raise ValueError
        nelem, ncoeff = int(head[0]), int(head[1])
    except ValueError:
        raise ValueError(f"{path}:{n}: expected 'nelements ncoeff', found '{' '.join(head)}'") from None
    if nelem < 1 or ncoeff < 1:
        raise ValueError(f"{path}:{n}: nelements and ncoeff must be >= 1")
    elements, i = [], 1
    for _ in range(nelem):
        if i >= len(rows):
            raise ValueError(f"{path}: truncated: expected {nelem} element blocks of {ncoeff} coefficients")
        n, el = rows[i]
        try:
            if len(el) != 3:
                raise ValueError
            name, radius, weight = el[0], float(el[1]), float(el[2])
        except ValueError:
            raise ValueError(f"{path}:{n}: expected 'element radius weight', found '{' '.join(el)}'") from None
        coeffs = []
        for k in range(ncoeff):
            i += 1
            if i >= len(rows):
                raise ValueError(f"{path}: truncated in element {name}: {k} of {ncoeff} coefficients")
            n, c = rows[i]
            try:
                if len(c) != 1:
                    raise ValueError
                v = float(c[0])
            except ValueError:
                raise ValueError(f"{path}:{n}: expected one coefficient, found '{' '.join(c)}'") from None
            if not math.isfinite(v):
                raise ValueError(f"{path}:{n}: coefficient is not finite")
            coeffs.append(v)
        elements.append((name, radius, weight, coeffs))
        i += 1
    if i < len(rows):
        raise ValueError(f"{path}:{rows[i][0]}: extra values after {nelem} element blocks of {ncoeff} coefficients")
    return {"comments": comments, "ncoeff": ncoeff, "elements": elements}


def write_snapcoeff(path, data, note=None):
    with open(path, "w") as f:
        for c in data["comments"]:
            f.write(c + "\n")
        if note:
            f.write(f"# {note}\n")
        f.write("\n")
        f.write(f"{len(data['elements'])} {data['ncoeff']}\n")
        for name, radius, weight, coeffs in data["elements"]:
            f.write(f"{name} {radius!r} {weight!r}\n")
            for v in coeffs:
                f.write(f"{float(v)!r}\n")


def make_members(base, M, rel, seed, center=False, perturb_beta0=False):
    """Return M perturbed copies of a parsed snapcoeff (see the module docstring for the covariance)."""
    if M < 2:
        raise ValueError(f"a committee needs M >= 2 members (got {M})")
    if not (rel >= 0 and math.isfinite(rel)):
        raise ValueError(f"--rel must be a finite number >= 0 (got {rel})")
    rng = np.random.default_rng(seed)
    blocks = [np.array(c, dtype=float) for _, _, _, c in base["elements"]]
    c = np.concatenate(blocks)
    scale = rel * np.abs(c)
    if not perturb_beta0:
        start = 0
        for b in blocks:
            scale[start] = 0.0
            start += len(b)
    dev = rng.standard_normal((M, len(c))) * scale
    if center:
        dev -= dev.mean(axis=0)
    members = []
    for m in range(M):
        vals, start, elements = c + dev[m], 0, []
        for (name, radius, weight, coeffs) in base["elements"]:
            elements.append((name, radius, weight, list(vals[start:start + len(coeffs)])))
            start += len(coeffs)
        members.append({"comments": base["comments"], "ncoeff": base["ncoeff"], "elements": elements})
    return members


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("base", help="base .snapcoeff file (linear or quadratic)")
    ap.add_argument("-M", "--members", type=int, required=True, help="number of members (2..64)")
    ap.add_argument("--rel", type=float, required=True,
                    help="relative standard deviation of every coefficient (e.g. 0.05)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--center", action="store_true", help="make the committee mean equal the base model")
    ap.add_argument("--perturb-beta0", action="store_true", help="perturb beta0 too (energies only)")
    ap.add_argument("-o", "--prefix", default="member", help="output prefix (default 'member')")
    a = ap.parse_args(argv)
    try:
        if a.members > 64:
            raise ValueError(f"pair_style snap/model takes at most 64 members (got {a.members})")
        base = read_snapcoeff(a.base)
        members = make_members(base, a.members, a.rel, a.seed, a.center, a.perturb_beta0)
        for m, mem in enumerate(members, 1):
            note = (f"REVAL make_committee.py: member {m} of {a.members} from {os.path.basename(a.base)}, "
                    f"independent Gaussian, relative sigma {a.rel:g}, seed {a.seed}, "
                    f"beta0 {'perturbed' if a.perturb_beta0 else 'unchanged'}"
                    f"{', centred on the base' if a.center else ''}")
            path = f"{a.prefix}{m}.snapcoeff"
            write_snapcoeff(path, mem, note)
            print(path)
    except (ValueError, OSError) as e:
        print(f"make_committee: error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
