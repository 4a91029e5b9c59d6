#!/usr/bin/env python3
"""reval-fit's descriptor + derivative rows against LAMMPS `compute snap` (the engine FitSNAP uses) on
the same configurations, one core, alternated rounds, medians.

Configurations: K perturbed diamond Si cells (64 atoms, 2x2x2 conventional cells, random strain up to 2 %,
random displacements up to 0.3 Å; and K/2 216-atom cells), the kind of cells of the Si training sets.
Settings: Si_Zuo_JPCA2020 (twojmax 8, linear: 55 descriptors) and its quadratic version (1595 columns).
Both sides produce the energy row, 3N force rows and 6 virial rows of every configuration.
- REVAL: core/snap_fit_rows (bench_fit_rows.cpp), per evaluation, neighbour images included.
- LAMMPS: compute snap evaluated by thermo on every step of `run R pre no` after the setup of each
  configuration (no integrator, neighbour lists not rebuilt, pair_style zero): the loop time of that run / R
  (the Output section of the breakdown under-reports it: measured 8.8 vs 15.7 ms by wall-clock differences).
Prints per case: ms per 64-atom and per 216-atom evaluation and the ratio LAMMPS / REVAL (target >= 1.5).

usage: bench_fit.py [--rounds 3] [--reps 5] [--configs 6]   (REVAL_LMP, REVAL_BUILD_DIR as other benches)
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import benchlib  # noqa: E402

import numpy as np  # noqa: E402

BASIS = np.array([[0, 0, 0], [0, .5, .5], [.5, 0, .5], [.5, .5, 0],
                  [.25, .25, .25], [.25, .75, .75], [.75, .25, .75], [.75, .75, .25]])


def configurations(k, rng):
    out = []
    for n in [2] * k + [3] * max(1, k // 2):
        a = 5.431
        cell = a * n * (np.eye(3) + rng.uniform(-0.02, 0.02, (3, 3)))
        cell[0, 1:] = 0.0
        cell[1, 2] = 0.0    # LAMMPS' triclinic convention: a along x, b in the xy plane
        frac = np.array([(b + np.array([i, j, l])) / n for i in range(n) for j in range(n) for l in range(n) for b in BASIS])
        pos = frac @ cell + rng.uniform(-0.3, 0.3, (len(frac), 3))
        out.append((cell, pos))
    return out


def write_xyz(path, confs):
    with open(path, "w") as f:
        for cell, pos in confs:
            f.write(f"{len(pos)}\nLattice=\"{' '.join(f'{v:.17g}' for v in cell.ravel())}\" "
                    "Properties=species:S:1:pos:R:3 pbc=\"T T T\"\n")
            for p in pos:
                f.write("Si " + " ".join(f"{v:.17g}" for v in p) + "\n")


def lammps_input(confs, param, coeff, reps, quadratic):
    lines = []
    for cell, pos in confs:
        lx, ly, lz = cell[0, 0], cell[1, 1], cell[2, 2]
        xy, xz, yz = cell[1, 0], cell[2, 0], cell[2, 1]
        lines += ["clear", "units metal", "atom_style atomic", "atom_modify map array", "boundary p p p",
                  f"region box prism 0 {lx!r} 0 {ly!r} 0 {lz!r} {xy!r} {xz!r} {yz!r} units box", "create_box 1 box"]
        lines += [f"create_atoms 1 single {p[0]!r} {p[1]!r} {p[2]!r} units box remap yes" for p in pos]
        lines += ["mass 1 28.0855", "pair_style zero 5.4", "pair_coeff * *",
                  f"compute sn all snap 4.9 0.99363 8 0.5 1.0 rmin0 0 bzeroflag 0 quadraticflag {quadratic}",
                  "thermo_style custom step c_sn[1][1]", "thermo 1", "run 0", f"run {reps} pre no"]
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--configs", type=int, default=6)
    args = ap.parse_args()
    lmp, _plugin, pots = benchlib.paths()
    build = os.environ.get("REVAL_BUILD_DIR", os.path.join(benchlib.REPO, "build"))
    lib = os.path.join(build, "src", "libreval_core.a")
    if not os.path.isfile(lib):
        sys.exit(f"bench_fit: {lib} not found: build REVAL first")
    work = tempfile.mkdtemp(prefix="reval-bench-fit-")
    exe = os.path.join(work, "bench_fit_rows")
    gen = os.path.join(build, "src", "generated")
    subprocess.run(["c++", "-O3", "-DNDEBUG", "-std=c++17", f"-I{benchlib.REPO}/src", f"-I{gen}", "-isystem",
                    "/usr/include/eigen3", os.path.join(benchlib.HERE, "fit", "bench_fit_rows.cpp"), lib, "-o", exe],
                   check=True)
    confs = configurations(args.configs, np.random.default_rng(2026))
    xyz = os.path.join(work, "frames.xyz")
    write_xyz(xyz, confs)
    sizes = [len(p) for _, p in confs]
    print(f"fit rows benchmark: {len(confs)} Si configurations ({sizes.count(64)} x 64, {sizes.count(216)} x 216 atoms), "
          f"{args.reps} evaluations each, {args.rounds} alternated rounds, one core")
    for case, stem, quad in (("linear", "Si_Zuo_JPCA2020", 0), ("quadratic", "Si_Zuo_JPCA2020.quadratic", 1)):
        param, coeff = (os.path.join(pots, f"{stem}.{x}") for x in ("snapparam", "snapcoeff"))
        script = lammps_input(confs, param, coeff, args.reps, quad)
        res = {"reval": {64: [], 216: []}, "lammps": {64: [], 216: []}}
        for _ in range(args.rounds):
            out = subprocess.run([exe, xyz, param, coeff, "Si", str(args.reps)], check=True, capture_output=True,
                                 text=True, env=dict(os.environ, OMP_NUM_THREADS="1")).stdout
            per = {64: [], 216: []}
            for m in re.finditer(r"atoms (\d+) ms ([0-9.eE+-]+)", out):
                per[int(m.group(1))].append(float(m.group(2)))
            for n in per:
                res["reval"][n].append(statistics.mean(per[n]))
            _, lout = benchlib.run(script, workdir=work)
            loops = [float(t) for t in re.findall(r"Loop time of ([0-9.eE+-]+) on", lout)]
            outs = loops[1::2]    # run 0, run reps, per configuration
            per = {64: [], 216: []}
            for n, t in zip(sizes, outs):
                per[n].append(1e3 * t / args.reps)
            for n in per:
                res["lammps"][n].append(statistics.mean(per[n]))
        for n in (64, 216):
            r, l = statistics.median(res["reval"][n]), statistics.median(res["lammps"][n])
            print(f"{case:9s} {n:3d} atoms: REVAL {r:8.3f} ms | LAMMPS compute snap {l:8.3f} ms | LAMMPS/REVAL {l / r:5.2f}")
    subprocess.run(["rm", "-rf", work])


if __name__ == "__main__":
    main()
