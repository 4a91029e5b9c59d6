#!/usr/bin/python3
"""Benchmark (issue: compute vacancy/sites + compute re/atom): cost per atom-step of the REVAL site
analysis versus LAMMPS' compute voronoi/atom occupation, both invoked every step in the same run.

(a) static 64,000-atom diamond Si with 0.15 Å random displacements and pair_style zero (so the analysis is
    not buried in the pair style's noise); (b) the same system in MD with pair_style sw at 1230 K.
Cost of an analysis = (time of LAMMPS' "Modify" section with it - without any analysis) / (atoms * steps):
the computes run inside fix ave/time, and the Modify time is far less noisy than the loop time in MD.
Also the MPI np 2 speedup of the REVAL analysis in (a). Usage: bench_sites.py [--steps N] [--repeats R]
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import benchlib  # noqa: E402

SYSTEM = """
{crystal}displace_atoms all random 0.15 0.15 0.15 4711 units box
{pair}
comm_modify cutoff 7.5
neighbor 2.0 bin
thermo {steps}
"""
ANALYSES = {"none": "", **benchlib.SITE_ANALYSES}
STATIC = "pair_style zero 5.5\npair_coeff * *\n"
MD = "pair_style sw\npair_coeff * * Si.sw Si\nvelocity all create 2460 8765 loop geom\nfix nve all nve\ntimestep 0.001\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=20, help="cells per edge (20 -> 64,000 atoms)")
    ap.add_argument("--steps", type=int, default=50)
    ap.add_argument("--repeats", type=int, default=3)
    a = ap.parse_args()
    natoms = 8 * a.n ** 3

    def scripts(pair, extra=""):
        base = SYSTEM.format(crystal=benchlib.crystal("diamond", 5.431, a.n, 28.0855), n=a.n, pair=pair, steps=a.steps)
        # a warm-up run 0 takes the one-time set-up (site generation, first Voronoi) out of the timing
        return {k: base + extra + v + f"run 0\nrun {a.steps}\n" for k, v in ANALYSES.items()}

    print(f"REVAL site analysis vs compute voronoi/atom occupation: {natoms} atoms, {a.steps} steps, "
          f"best of {a.repeats} alternating runs")
    results = {}
    for label, pair in (("(a) static, pair_style zero", STATIC), ("(b) MD, pair_style sw 1230 K", MD)):
        t = benchlib.alternate(scripts(pair), repeats=a.repeats, section="Modify")
        per = {k: (t[k] - t["none"]) / (natoms * a.steps) * 1e6 for k in ("reval", "voronoi")}
        results[label] = per
        print(f"{label}: Modify times none {t['none']:.3f} s, reval {t['reval']:.3f} s, voronoi {t['voronoi']:.3f} s")
        print(f"    us/atom-step: REVAL vacancy/sites+re/atom {per['reval']:.4f}, voronoi/atom occupation "
              f"{per['voronoi']:.4f}; REVAL is {per['voronoi'] / per['reval']:.2f}x cheaper")
    # MPI speedup of the REVAL analysis, static case
    base = scripts(STATIC)
    t1 = benchlib.alternate({"none": base["none"], "reval": base["reval"]}, repeats=a.repeats, np=1, section="Modify")
    t2 = benchlib.alternate({"none": base["none"], "reval": base["reval"]}, repeats=a.repeats, np=2, section="Modify")
    c1, c2 = t1["reval"] - t1["none"], t2["reval"] - t2["none"]
    print(f"MPI: REVAL analysis time np1 {c1:.3f} s, np2 {c2:.3f} s: speedup {c1 / c2:.2f}x on 2 ranks")
    return 0


if __name__ == "__main__":
    sys.exit(main())
