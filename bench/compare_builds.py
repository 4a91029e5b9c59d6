#!/usr/bin/python3
"""Benchmark of a change: the same REVAL cases run with two builds of the plugin (before and after a
refactor), alternating the builds in every round on the same machine, so that "within x% of the figures
before the change" is measured, not guessed. Medians of the rounds; ratio = after / before (1.00 = same
speed, > 1 slower). The runs of the two builds must compute the same thing: the initial potential
energies (SNAP cases) and the vacancy / migrating counts (site cases) must agree, else it stops.

Cases (REVAL's cost per atom-step, µs; LAMMPS timing breakdown, one MPI rank, OMP_NUM_THREADS=1 unless
a Kokkos thread count is given):
  snap-linear     pair_style snap/model, Si_Zuo_JPCA2020 linear, 4096-atom diamond Si, NVE, Pair time
  snap-quadratic  the quadratic Si_Zuo_JPCA2020, 512 atoms, Pair time
  snap-nn         the synthetic 55-64-32-1 NN (tests/unit/refdata), 512 atoms, Pair time
  committee       4-member committee + compute committee/atom every step, 512 atoms, Pair + Modify time
  kk-t1, kk-t2    pair_style snap/model/kk under -k on t 1|2 -sf kk, linear, 4096 atoms, Pair time
  sites-crystal   compute vacancy/sites + re/atom every step, 32,768-atom Si with one vacancy at 1230 K
                  (sw), Modify time minus the run without analysis
  sites-damage    the same computes on bench/sites' heavy-damage configuration (64,000 atoms), static

usage: compare_builds.py --before PLUGIN --after PLUGIN [--rounds R] [--cases a,b,...]
"""
import argparse
import os
import re
import shutil
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402

SI = ("diamond", 5.431, 28.0855)


def snap_md(n, pair, steps, extra=""):
    crystal = benchlib.crystal(SI[0], SI[1], n, SI[2])
    return benchlib.SNAP_MD.format(crystal=crystal, pair=pair, steps=steps, extra=extra)


def committee_pair(workdir):
    """pair_coeff of a 4-member committee of perturbed Si_Zuo linear models (as bench/snap_model)."""
    import random
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "snap_model"))
    import bench_snap_model as bsm  # noqa: E402
    pots = benchlib.paths()[2]
    rng = random.Random(2024)
    members = []
    for k in range(4):
        dst = os.path.join(workdir, f"member{k}.snapcoeff")
        bsm.perturbed_snapcoeff(os.path.join(pots, "Si_Zuo_JPCA2020.snapcoeff"), dst, 0.0 if k == 0 else 0.01, rng)
        members.append(f"member{k}.snapcoeff Si_Zuo_JPCA2020.snapparam")
    return "pair_style snap/model\npair_coeff * * committee 4 " + " ".join(members) + " Si"


sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "sites"))
import bench_sites  # noqa: E402  (the damage configuration and the MD of bench/sites)

COUNTS = bench_sites.COUNTS


def sites_md(crystal, steps, analysis):
    """One vacancy in the crystal, sw MD at ~1230 K (bench/sites' MD), the analysis every step."""
    return (crystal + "group del id 1\ndelete_atoms group del\n" + bench_sites.MD +
            f"comm_modify cutoff 7.5\nneighbor 2.0 bin\nthermo {steps}\n" + analysis +
            f"run 0\nrun {steps}\n" + (COUNTS if analysis else ""))


def damage(crystal, steps, analysis):
    """bench/sites' heavy-damage configuration (static), the analysis every step."""
    return (bench_sites.DAMAGE.format(crystal=crystal, steps=steps) + analysis + f"run 0\nrun {steps}\n" +
            (COUNTS if analysis else ""))


def cases(workdir):
    """name: (script, run kwargs, timed sections, atoms*steps, baseline script or None, check)"""
    out = {}
    lin = "pair_style snap/model\npair_coeff * * Si_Zuo_JPCA2020.snapcoeff Si_Zuo_JPCA2020.snapparam Si"
    quad = ("pair_style snap/model\npair_coeff * * Si_Zuo_JPCA2020.quadratic.snapcoeff "
            "Si_Zuo_JPCA2020.quadratic.snapparam Si")
    nn = "pair_style snap/model\npair_coeff * * nn si_synthetic.nn.mliap.model si_synthetic.mliap.descriptor Si"
    out["snap-linear"] = (snap_md(8, lin, 10), {}, ("Pair",), 4096 * 10, None, "pe")
    out["snap-quadratic"] = (snap_md(4, quad, 20), {}, ("Pair",), 512 * 20, None, "pe")
    out["snap-nn"] = (snap_md(4, nn, 20), {}, ("Pair",), 512 * 20, None, "pe")
    comm = committee_pair(workdir)
    out["committee"] = (snap_md(4, comm, 20, "compute cm all committee/atom\n"
                                             "thermo_style custom step pe c_cm[1] c_cm[2] c_cm[3] c_cm[4]\nthermo 1\n"),
                        {}, ("Pair", "Modify"), 512 * 20, None, "pe")
    for t in (1, 2):
        out[f"kk-t{t}"] = (snap_md(8, lin, 10), {"args": ["-k", "on", "t", str(t), "-sf", "kk"], "threads": t},
                           ("Pair",), 4096 * 10, None, "pe")
    crystal = benchlib.crystal(SI[0], SI[1], 16, SI[2])
    analysis = benchlib.SITE_ANALYSES["reval"]
    out["sites-crystal"] = (sites_md(crystal, 50, analysis), {}, ("Modify",), 32767 * 50, sites_md(crystal, 50, ""),
                            "counts")
    crystal = benchlib.crystal(SI[0], SI[1], 20, SI[2])
    out["sites-damage"] = (damage(crystal, 20, analysis), {}, ("Modify",), 64000 * 20, damage(crystal, 20, ""),
                           "counts")
    return out


def signature(output, kind):
    if kind == "pe":
        m = re.findall(r"^REVAL_BENCH_PE0 (\S+)", output, re.M)
        return float(m[-1]) if m else None
    m = re.findall(r"^REVAL_BENCH_COUNTS (\S+) (\S+)", output, re.M)
    return tuple(float(v) for v in m[-1]) if m else None


def run_with(plugin, script, workdir, kw):
    os.environ["REVAL_PLUGIN"] = plugin
    _, out = benchlib.run(script, workdir=workdir, **kw)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--before", required=True, help="revalplugin.so before the change")
    ap.add_argument("--after", required=True, help="revalplugin.so after the change")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--cases", default="snap-linear,snap-quadratic,snap-nn,committee,kk-t1,kk-t2,sites-crystal,"
                                      "sites-damage")
    a = ap.parse_args()
    os.environ.setdefault("OMP_PROC_BIND", "false")
    os.environ["OMP_NUM_THREADS"] = "1"
    builds = {"before": os.path.abspath(a.before), "after": os.path.abspath(a.after)}
    with benchlib.scratch("reval-compare-", refdata=("si_synthetic.nn.mliap.model",
                                                     "si_synthetic.mliap.descriptor")) as workdir:
        pots = benchlib.paths()[2]
        shutil.copy(os.path.join(pots, "Si_Zuo_JPCA2020.snapparam"), workdir)
        all_cases = cases(workdir)
        print(f"before: {builds['before']}\nafter:  {builds['after']}\n{a.rounds} alternated rounds, medians\n")
        print(f"{'case':16s} {'before':>10s} {'after':>10s} {'after/before':>13s}   (us per atom-step)")
        for name in a.cases.split(","):
            script, kw, sections, work, baseline, kind = all_cases[name]
            t = {b: [] for b in builds}
            sig = {}
            for _ in range(a.rounds):
                for b, plugin in builds.items():
                    out = run_with(plugin, script, workdir, kw)
                    cost = sum(benchlib.section_time(out, s) for s in sections)
                    if baseline:
                        base = run_with(plugin, baseline, workdir, kw)
                        cost -= sum(benchlib.section_time(base, s) for s in sections)
                    t[b].append(cost / work * 1e6)
                    s = signature(out, kind)
                    if s is None:
                        sys.exit(f"{name}: no result in the output of the {b} build:\n{out[-2000:]}")
                    sig.setdefault(b, s)
            if kind == "pe":
                rel = abs(sig["after"] - sig["before"]) / abs(sig["before"])
                if not rel < 1e-9:
                    sys.exit(f"{name}: initial energies differ: {sig['before']!r} vs {sig['after']!r}")
            elif sig["after"] != sig["before"]:
                sys.exit(f"{name}: counts differ: {sig['before']} vs {sig['after']}")
            m = {b: statistics.median(v) for b, v in t.items()}
            print(f"{name:16s} {m['before']:10.4f} {m['after']:10.4f} {m['after'] / m['before']:13.3f}", flush=True)


if __name__ == "__main__":
    main()
