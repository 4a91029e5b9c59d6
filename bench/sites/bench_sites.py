#!/usr/bin/python3
"""Benchmark (issue: compute vacancy/sites + compute re/atom): cost per atom-step of the REVAL site
analysis versus LAMMPS' compute voronoi/atom occupation, both invoked every step in the same run.

(a) static 64,000-atom diamond Si with 0.15 Å random displacements and pair_style zero (so the analysis is
    not buried in the pair style's noise); (b) the same system in MD with pair_style sw at 1230 K.
(c) heavy damage (issue 13): the same crystal with every atom displaced at random by up to 0.15 LATTICE
    units (0.81 Å; displace_atoms ... 4711 in lattice units), pair_style zero: REVAL finds 4,330 vacancies
    and 13,585 migrating atoms. Plain styles on one core, and the Kokkos twins under -k on t 1 -sf kk and
    -k on t 2 -sf kk (OMP_PROC_BIND=false; voronoi/atom has no kk variant and runs plain in those runs).
    Targets (printed, never asserted): plain <= voronoi (aim 3x cheaper), kk t1 within 1.3x of plain,
    kk t2 faster than plain. The counts of vacancies and migrating atoms are checked equal in all runs.
    Also "plain+ws": the same with the global vector used every step (Frenkel pairs, clusters), the
    Wigner-Seitz count and the cluster analysis (defects gathered on one rank) on top.
(d) the damage configuration at 1,000,000 atoms (--large-n 50 cells), 10 steps, plain styles and
    voronoi: per-atom cost (target: within 1.5x of (c)) and memory per atom: LAMMPS' "Per MPI rank
    memory allocation" line (it includes every compute's memory_usage()) of the run with the analysis
    minus that of the run without.
Cost of an analysis = (time of LAMMPS' "Modify" section with it - without any analysis) / (atoms * steps):
the computes run inside fix ave/time, and the Modify time is far less noisy than the loop time in MD.
(a), (b): best of the alternated runs (as measured before); (c), (d): medians of alternated runs.
Also the MPI np 2 speedup of the REVAL analysis in (a).
Usage: bench_sites.py [--steps N] [--repeats R] [--cases crystal,damage,large] [--large-n 50] [--large-steps 10] [--large-repeats 3]
"""
import argparse
import os
import re
import statistics
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


# heavy damage: displacements in lattice units (0.15 * 5.431 = 0.81 Å), static
DAMAGE = """{crystal}displace_atoms all random 0.15 0.15 0.15 4711
pair_style zero 5.5
pair_coeff * *
comm_modify cutoff 7.5
neighbor 2.0 bin
thermo {steps}
"""
COUNTS = 'print "REVAL_BENCH_COUNTS $(c_s) $(c_nm)"\n'
# the same analysis with the global vector used every step: the Wigner-Seitz count (Frenkel pairs) and the
# cluster analysis (defects gathered on rank 0) on top of the rvac counts and re/atom
WS_CLUSTERS = ANALYSES["reval"].replace("fix ave all ave/time 1 1 1 c_s c_nm",
                                        "fix ave all ave/time 1 1 1 c_s c_nm c_s[7] c_s[8]")
assert WS_CLUSTERS != ANALYSES["reval"]
KK_THREADS = (1, 2)


def memory_mb(output):
    """LAMMPS' 'Per MPI rank memory allocation (min/avg/max)' line of the last run, average, Mbytes."""
    rows = re.findall(r"Per MPI rank memory allocation \(min/avg/max\) = [0-9.eE+-]+ \| ([0-9.eE+-]+)", output)
    return float(rows[-1]) if rows else float("nan")


def counts(output):
    m = re.findall(r"^REVAL_BENCH_COUNTS (\S+) (\S+)", output, re.M)
    return tuple(float(v) for v in m[-1]) if m else None


def alternate_median(configs, repeats, **kw):
    """configs {name: (script, run kwargs)}: round-robin `repeats` times; returns {name: [outputs]}."""
    outs = {k: [] for k in configs}
    for _ in range(repeats):
        for k, (script, extra) in configs.items():
            _, out = benchlib.run(script, **{**kw, **extra})
            outs[k].append(out)
    return outs


def median_modify(outs):
    return statistics.median(benchlib.section_time(o, "Modify") for o in outs)


def damage_case(a):
    """(c): plain, kk t1, kk t2 and voronoi in the same alternated rounds."""
    natoms = 8 * a.n ** 3
    base = DAMAGE.format(crystal=benchlib.crystal("diamond", 5.431, a.n, 28.0855), steps=a.steps)
    run = f"run 0\nrun {a.steps}\n"
    reval = ANALYSES["reval"]
    configs = {
        "none": (base + run, {}),
        "voronoi": (base + ANALYSES["voronoi"] + run, {}),
        "plain": (base + reval + run + COUNTS, {}),
        "plain+ws": (base + WS_CLUSTERS + run + COUNTS, {}),
    }
    for t in KK_THREADS:
        configs[f"kk t{t}"] = (base + reval + "info computes\n" + run + COUNTS,
                               {"args": ["-k", "on", "t", str(t), "-sf", "kk"], "threads": t})
        configs[f"none kk t{t}"] = (base + run, {"args": ["-k", "on", "t", str(t), "-sf", "kk"], "threads": t})
    os.environ.setdefault("OMP_PROC_BIND", "false")
    outs = alternate_median(configs, a.repeats)
    for t in KK_THREADS:
        o = outs[f"kk t{t}"][0]
        if "style = vacancy/sites/kk," not in o or "style = re/atom/kk," not in o:
            raise RuntimeError(f"kk t{t}: the kk styles did not run")
    ref = counts(outs["plain"][0])
    for k in ("plain", "plain+ws") + tuple(f"kk t{t}" for t in KK_THREADS):
        for o in outs[k]:
            if counts(o) != ref:
                raise RuntimeError(f"{k}: counts {counts(o)} differ from plain {ref}")
    t = {k: median_modify(v) for k, v in outs.items()}
    per = lambda c, none: (t[c] - t[none]) / (natoms * a.steps) * 1e6    # noqa: E731
    cost = {"voronoi": per("voronoi", "none"), "plain": per("plain", "none"), "plain+ws": per("plain+ws", "none")}
    for th in KK_THREADS:
        cost[f"kk t{th}"] = per(f"kk t{th}", f"none kk t{th}")
    print(f"(c) heavy damage (0.15 lattice units = 0.81 Å, static, pair_style zero): {natoms} atoms, "
          f"{a.steps} steps, medians of {a.repeats} alternated rounds; REVAL counts: {ref[0]:.0f} vacancies, "
          f"{ref[1]:.0f} migrating atoms (plain and kk equal)")
    print("    Modify medians (s): " + ", ".join(f"{k} {v:.3f}" for k, v in t.items()))
    print("    us/atom-step: " + ", ".join(f"{k} {v:.4f}" for k, v in cost.items()))
    print(f"    plain vs voronoi: REVAL {than(cost['plain'], cost['voronoi'])} (target: cheaper, aim 3x cheaper)")
    print(f"    kk t1 / plain = {cost['kk t1'] / cost['plain']:.2f} (target <= 1.3); "
          f"kk t2 / plain = {cost['kk t2'] / cost['plain']:.2f} (target < 1)")
    print(f"    the vector every step (+ Wigner-Seitz count and clusters): {cost['plain+ws']:.4f} us/atom-step, "
          f"+{cost['plain+ws'] - cost['plain']:.4f} over plain; {than(cost['plain+ws'], cost['voronoi'])} than voronoi")
    return cost["plain"]


def than(reval, other):
    """'2.10x cheaper' or '1.05x more expensive': REVAL's cost against another's, never a ratio below 1."""
    if reval <= 0 or other <= 0:
        return f"not comparable (costs {reval:.4f} / {other:.4f})"
    return f"{other / reval:.2f}x cheaper" if reval <= other else f"{reval / other:.2f}x more expensive"


def large_case(a, per64):
    """(d): the damage configuration at large size, plain styles, a few steps; memory per atom."""
    natoms = 8 * a.large_n ** 3
    base = DAMAGE.format(crystal=benchlib.crystal("diamond", 5.431, a.large_n, 28.0855), steps=a.large_steps)
    run = f"run 0\nrun {a.large_steps}\n"
    configs = {"none": (base + run, {}), "plain": (base + ANALYSES["reval"] + run + COUNTS, {}),
               "plain+ws": (base + WS_CLUSTERS + run + COUNTS, {}),
               "voronoi": (base + ANALYSES["voronoi"] + run, {})}
    outs = alternate_median(configs, a.large_repeats)
    t = {k: median_modify(v) for k, v in outs.items()}
    cost = {k: (t[k] - t["none"]) / (natoms * a.large_steps) * 1e6 for k in ("plain", "plain+ws", "voronoi")}
    mem = {k: memory_mb(outs[k][0]) for k in outs}
    c = counts(outs["plain"][0])
    print(f"(d) heavy damage at {natoms} atoms ({a.large_n}^3 cells), {a.large_steps} steps, medians of "
          f"{a.large_repeats}: {c[0]:.0f} vacancies, {c[1]:.0f} migrating atoms")
    print(f"    us/atom-step: plain {cost['plain']:.4f}, voronoi {cost['voronoi']:.4f}; plain / (c) plain = "
          f"{cost['plain'] / per64:.2f} (target <= 1.5)" if per64 else
          f"    us/atom-step: plain {cost['plain']:.4f}, voronoi {cost['voronoi']:.4f}")
    print(f"    plain vs voronoi: REVAL {than(cost['plain'], cost['voronoi'])}")
    print(f"    the vector every step (+ Wigner-Seitz count and clusters): {cost['plain+ws']:.4f} us/atom-step")
    print(f"    memory per rank (Mbytes): none {mem['none']:.1f}, plain {mem['plain']:.1f}, voronoi {mem['voronoi']:.1f}; "
          f"REVAL analysis {(mem['plain'] - mem['none']) * 1048576 / natoms:.0f} bytes/atom, "
          f"voronoi {(mem['voronoi'] - mem['none']) * 1048576 / natoms:.0f} bytes/atom")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=20, help="cells per edge (20 -> 64,000 atoms)")
    ap.add_argument("--steps", type=int, default=50)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--cases", default="crystal,damage,large")
    ap.add_argument("--large-n", type=int, default=50, help="cells per edge of (d) (50 -> 1,000,000 atoms)")
    ap.add_argument("--large-steps", type=int, default=10, help="3-step runs scatter by ~40%% on 2 cores")
    ap.add_argument("--large-repeats", type=int, default=3)
    a = ap.parse_args()
    natoms = 8 * a.n ** 3
    cases = a.cases.split(",")
    per64 = None
    if "damage" in cases:
        per64 = damage_case(a)
    if "large" in cases:
        large_case(a, per64)
    if "crystal" not in cases:
        return 0

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
              f"{per['voronoi']:.4f}; REVAL is {than(per['reval'], per['voronoi'])}")
    # MPI speedup of the REVAL analysis, static case
    base = scripts(STATIC)
    t1 = benchlib.alternate({"none": base["none"], "reval": base["reval"]}, repeats=a.repeats, np=1, section="Modify")
    t2 = benchlib.alternate({"none": base["none"], "reval": base["reval"]}, repeats=a.repeats, np=2, section="Modify")
    c1, c2 = t1["reval"] - t1["none"], t2["reval"] - t2["none"]
    print(f"MPI: REVAL analysis time np1 {c1:.3f} s, np2 {c2:.3f} s: speedup {c1 / c2:.2f}x on 2 ranks")
    return 0


if __name__ == "__main__":
    sys.exit(main())
