#!/usr/bin/env python3
"""fix re/harvest: its cost on steps where no criterion holds, against the SNAP step it watches.

NVE MD of a perturbed diamond Si crystal (n^3 cells, 8 n^3 atoms) with pair_style snap/model
(Si_Zuo_JPCA2020, linear), with and without `fix h all re/harvest N file h.xyz sigma d_s 1.0` where d_s is
a per-atom property that stays 0 (a criterion that is evaluated on every check step and never fires: the
fix's own work, without the cost of a criterion's compute). Alternated runs (none, N=1, N=10, ...),
medians over the rounds. Reports per configuration:
  - fix cost: the Modify section of LAMMPS' timing breakdown minus that of the run without the fix
    (fix nve is in both), per step, as a fraction of the Pair section per step (the SNAP step);
  - loop cost: the whole loop time minus the one without the fix (also counts the energy tally that the
    fix asks of the pair on check steps, and timing noise), as a fraction of the loop without the fix.
Target: fix cost < 1% of a SNAP step at N = 1 (every step; the cost scales as 1/N).

usage: bench_harvest.py [--n 4] [--steps 200] [--rounds 5] [--every 1,10]  (REVAL_LMP, REVAL_BUILD_DIR as
other benches)
"""
import argparse
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import benchlib  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=4, help="cells per side (8 n^3 atoms)")
    ap.add_argument("--steps", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--every", default="1,10", help="values of N, comma-separated")
    a = ap.parse_args()
    lmp, plugin, pots, version = benchlib.check_lammps()
    pair = (f"pair_style snap/model\npair_coeff * * {pots}/Si_Zuo_JPCA2020.snapcoeff "
            f"{pots}/Si_Zuo_JPCA2020.snapparam Si")
    crystal = benchlib.crystal("diamond", 5.431, a.n, 28.0855)
    configs = {"none": benchlib.SNAP_MD.format(crystal=crystal, pair=pair, extra="", steps=a.steps)}
    for n in [int(x) for x in a.every.split(",")]:
        extra = f"fix p all property/atom d_s\nfix h all re/harvest {n} file h.xyz sigma d_s 1.0 species Si\n"
        configs[f"N={n}"] = benchlib.SNAP_MD.format(crystal=crystal, pair=pair, extra=extra, steps=a.steps)
    res = {k: {"loop": [], "modify": [], "pair": [], "pe0": None} for k in configs}
    with benchlib.scratch("reval-bench-harvest-") as work:
        for _ in range(a.rounds):
            for k, s in configs.items():
                loop, out = benchlib.run(s, workdir=work)
                if "h.xyz" in s and os.path.exists(os.path.join(work, "h.xyz")) and os.path.getsize(os.path.join(work, "h.xyz")):
                    sys.exit("benchmark: the criterion fired (h.xyz is not empty): not the case measured")
                pe0 = [line for line in out.splitlines() if line.startswith("REVAL_BENCH_PE0")]
                res[k]["pe0"] = pe0[-1] if pe0 else None
                res[k]["loop"].append(loop)
                res[k]["modify"].append(benchlib.section_time(out, "Modify"))
                res[k]["pair"].append(benchlib.section_time(out, "Pair"))
    if len({r["pe0"] for r in res.values()}) != 1:
        sys.exit("benchmark: the configurations do not start from the same energy")
    med = {k: {q: statistics.median(v[q]) for q in ("loop", "modify", "pair")} for k, v in res.items()}
    natoms = 8 * a.n ** 3
    base = med["none"]
    print(f"{version}; {natoms} atoms, {a.steps} steps, {a.rounds} alternated rounds (medians), one core")
    print(f"SNAP step (Pair section): {1e3 * base['pair'] / a.steps:.3f} ms = "
          f"{1e6 * base['pair'] / a.steps / natoms:.2f} us per atom")
    for k in configs:
        if k == "none":
            continue
        m = med[k]
        fix = (m["modify"] - base["modify"]) / a.steps
        loop = (m["loop"] - base["loop"]) / base["loop"]
        print(f"{k:>6}: fix cost {1e6 * fix / natoms:.4f} us per atom-step = {100 * fix / (base['pair'] / a.steps):.3f}% "
              f"of a SNAP step; loop time {100 * loop:+.2f}% (noise and the energy tally included)")


if __name__ == "__main__":
    main()
