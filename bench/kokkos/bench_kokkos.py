#!/usr/bin/python3
"""Benchmark (issue: Kokkos twins): cost of REVAL's Kokkos styles (pair_style snap/model/kk, compute
vacancy/sites/kk + compute re/atom/kk) versus LAMMPS' Kokkos or plain styles doing the same job, under
`-k on t N -sf kk` (OpenMP host backend; N = 1 and 2 threads by default, one MPI rank,
OMP_PROC_BIND=false), in the same runs on the same machine, alternating the variants in every round.

Note: in LAMMPS 29 Sep 2021, pair_style snap/kk on a host backend (OpenMP, Serial) runs the plain PairSNAP
code on ONE thread whatever N is (LAMMPS says so in its output); snap/model/kk uses the N threads. Since
late 2024 (e.g. 4 Feb 2025) snap/kk has a real host path that uses the N threads.

Against another LAMMPS (e.g. 4 Feb 2025 + Kokkos 4.6, built by tools/check-lammps-compat.sh --kokkos):
  REVAL_LMP=<its lmp> REVAL_PLUGIN=<revalplugin.so built against it> bench_kokkos.py ...  (bench/README.md)
The LAMMPS version is printed in the header; a plugin that does not load into that lmp stops the run at once.

Cases and targets (nothing asserts on time; the targets are printed next to the results):
  linear  pair_style snap/model/kk vs pair_style snap/kk, Si_Zuo_JPCA2020 linear (twojmax 8), diamond Si
          a=5.431, 0.05 Å random displacements, 512 and 4096 atoms, MD NVE (velocity create 300 K,
          timestep 0.5 fs, neighbor 1.0 bin, thermo only at the ends). Pair time of LAMMPS' timing
          breakdown / (atoms*steps) in µs per atom-step, and steps/s of the loop.
          ratio = snap/kk / snap/model/kk (Pair time)                       target >= 1.0x
          check: same initial potential energy (rel. 1e-9)
  nn      pair_style snap/model/kk with the synthetic NN tests/unit/refdata/si_synthetic.nn.mliap.model +
          si_synthetic.mliap.descriptor (55-64-32-1 tanh on the Si_Zuo descriptors), same systems and runs,
          vs the linear snap/kk of the same rounds.
          ratio = snap/kk linear / snap/model/kk NN (Pair time)             target >= 0.8x
          check: initial energy of the NN equals that of the plain pair_style mliap model nn (rel. 1e-9)
  sites   compute vacancy/sites/kk + compute re/atom/kk, invoked every step through fix ave/time 1 1 1
          (as bench/sites/bench_sites.py), vs the plain computes in the same -k on run (`suffix off` for
          the computes only) and vs LAMMPS' compute voronoi/atom occupation; diamond Si 8x8x8 cells with
          one vacancy (4095 atoms), MD with pair_style sw (sw/kk) from 2460 K (~1230 K), comm_modify
          cutoff 7.5. Cost of an analysis = (Modify time with it - Modify time without any analysis) /
          (atoms*steps), µs per atom-step (the Modify time is far less noisy than the loop time).
          ratio = plain (or voronoi) / kk                                    target: none (information)
          check: the kk and plain computes count the same vacancies after the warm-up run 0 (= 1) and
          at the end of the run. (voronoi/atom occupation has no vacancy count of its own: its
          reference cells are the atoms present when it is first invoked, so the vacancy has no cell.)
Medians over the rounds are reported (timing noise on the project machines is up to ~5%, more when the
machine is shared).

usage: bench_kokkos.py [--rounds R] [--steps N] [--quick] [--threads 1,2|g1] [--cases linear,nn,sites]
                       [--cells 4,8] [--no-large] [--sites-cells C] [--sites-steps S]
On a GPU (CUDA builds of LAMMPS and the plugin, tools/gpu/build-cuda.sh):
  REVAL_LMP=.../lmp REVAL_PLUGIN=.../revalplugin.so bench_kokkos.py --threads g1 --cells 8,16 --sites-cells 16
       (--steps is for the 512-atom systems; 4096 atoms run N*512/4096 steps, at least 2)
"""
import argparse
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import benchlib  # noqa: E402

REFDATA = benchlib.REFDATA

SNAP_STRUCT = benchlib.SNAP_MD

ZUO = "Si_Zuo_JPCA2020.snapcoeff Si_Zuo_JPCA2020.snapparam Si"
NN = "si_synthetic.nn.mliap.model si_synthetic.mliap.descriptor"
# key: (pair commands, text that must appear in LAMMPS' neighbor-list report: the style that ran)
PAIRS = {
    "snapkk": (f"pair_style snap\npair_coeff * * {ZUO}", "pair snap/kk, perpetual"),
    "model_linear": (f"pair_style snap/model\npair_coeff * * {ZUO}", "pair snap/model/kk, perpetual"),
    "model_nn": (f"pair_style snap/model\npair_coeff * * nn {NN} Si", "pair snap/model/kk, perpetual"),
}
MLIAP_NN = "pair_style mliap model nn si_synthetic.nn.mliap.model descriptor sna si_synthetic.mliap.descriptor\n" \
           "pair_coeff * * Si"

SITES_STRUCT = """{crystal}group gone id {gone}
delete_atoms group gone
pair_style sw
pair_coeff * * Si.sw Si
comm_modify cutoff 7.5
neighbor 2.0 bin
velocity all create 2460 8765 loop geom
fix nve all nve
timestep 0.001
thermo {steps}
{analysis}info computes
run 0
{after0}run {steps}
{after}"""
REVAL_SITES = benchlib.SITE_ANALYSES["reval"]
PRINT_VAC = 'print "REVAL_BENCH_VAC {tag} $(c_s)"\n'
SITES = {
    # key: (analysis commands, compute styles that must be listed by `info computes`)
    "none": ("", ()),
    "kk": (REVAL_SITES, ("style = vacancy/sites/kk,", "style = re/atom/kk,")),
    "plain": ("suffix off\n" + REVAL_SITES + "suffix on\n", ("style = vacancy/sites,", "style = re/atom,")),
    "voronoi": (benchlib.SITE_ANALYSES["voronoi"], ("style = voronoi/atom,",)),
}


def si_crystal(n):
    return benchlib.crystal("diamond", 5.431, n, 28.0855)


def kokkos_args(threads):
    """threads: an OpenMP thread count (host backend) or 'g<N>' (N GPUs, CUDA build of LAMMPS)."""
    if str(threads).startswith("g"):
        return ["-k", "on", "g", str(threads)[1:], "-sf", "kk", "-pk", "kokkos", "newton", "on", "neigh", "half"]
    return ["-k", "on", "t", str(threads), "-sf", "kk"]


def omp_threads(threads):
    return 1 if str(threads).startswith("g") else int(threads)


def tagged(output, tag):
    """Values printed as 'tag value' or 'tag label value' lines: {label or None: float}."""
    vals = {}
    for line in output.splitlines():
        if line.startswith(tag + " "):
            w = line.split()
            vals[w[1] if len(w) > 2 else None] = float(w[-1])
    if not vals:
        raise RuntimeError(f"no {tag} in the LAMMPS output")
    return vals


class Runner:
    def __init__(self, workdir, rounds, notes):
        self.workdir, self.rounds, self.notes = workdir, rounds, notes

    def style_check(self, label, output, needles):
        for n in needles:
            if n not in output:
                msg = f"WARNING: {label}: '{n}' not found in the LAMMPS output: the intended style did not run"
                print(msg)
                self.notes.append(msg)

    def alternate(self, configs, threads, label):
        """configs: {key: (script, needles)}; round-robin `rounds` times under -k on t threads -sf kk;
        returns {key: [outputs, one per round]}."""
        outs = {k: [] for k in configs}
        for _ in range(self.rounds):
            for k, (script, needles) in configs.items():
                _, out = benchlib.run(script, workdir=self.workdir, threads=omp_threads(threads),
                                      args=kokkos_args(threads))
                self.style_check(f"{label} {k}", out, needles)
                outs[k].append(out)
        return outs


def check(label, what, e_ref, e_new, notes, tol=1e-9):
    rel = abs(e_new - e_ref) / max(abs(e_ref), 1e-300)
    print(f"  {label}: {what} {e_ref:.12f} vs {e_new:.12f}, rel. diff {rel:.2e}")
    if not rel < tol:
        msg = f"WARNING: {label}: {what} differ by {rel:.2e} (> {tol:g}): not the same job"
        print(msg)
        notes.append(msg)


def median_of(outs, fn):
    return statistics.median(fn(o) for o in outs)


def loop_time(out):
    return float(out.split("Loop time of ")[-1].split()[0])


def snap_cases(runner, a, threads, cases, rows, notes):
    sizes = a.cells[:1] if a.no_large else a.cells
    for n in sizes:
        natoms = 8 * n ** 3
        steps = max(2, round(a.steps * 512 / natoms))
        keys = ["snapkk"] + (["model_linear"] if "linear" in cases else []) + (["model_nn"] if "nn" in cases else [])
        configs = {k: (SNAP_STRUCT.format(crystal=si_crystal(n), pair=PAIRS[k][0], steps=steps, extra=""), (PAIRS[k][1],))
                   for k in keys}
        outs = runner.alternate(configs, threads, f"t{threads} {natoms} atoms")
        pair = {k: median_of(v, lambda o: benchlib.section_time(o, "Pair") / (natoms * steps) * 1e6)
                for k, v in outs.items()}
        sps = {k: median_of(v, lambda o: steps / loop_time(o)) for k, v in outs.items()}
        pe = {k: tagged(v[-1], "REVAL_BENCH_PE0")[None] for k, v in outs.items()}
        if "linear" in cases:
            check(f"linear t{threads} {natoms} atoms", "initial PE snap/kk vs snap/model/kk (eV)",
                  pe["snapkk"], pe["model_linear"], notes)
            rows.append(("linear: snap/model/kk vs snap/kk", threads, natoms, steps, pair["snapkk"],
                         pair["model_linear"], sps["snapkk"], sps["model_linear"],
                         pair["snapkk"] / pair["model_linear"], ">= 1.0x"))
        if "nn" in cases:
            # the NN energy against LAMMPS' own pair mliap nn (plain, one run 0): same network, same job
            _, ref = benchlib.run(SNAP_STRUCT.format(crystal=si_crystal(n), pair=MLIAP_NN, steps=0, extra=""),
                                  workdir=runner.workdir)
            check(f"nn t{threads} {natoms} atoms", "initial PE pair mliap nn vs snap/model/kk NN (eV)",
                  tagged(ref, "REVAL_BENCH_PE0")[None], pe["model_nn"], notes)
            rows.append(("nn: snap/model/kk NN vs snap/kk lin", threads, natoms, steps, pair["snapkk"],
                         pair["model_nn"], sps["snapkk"], sps["model_nn"], pair["snapkk"] / pair["model_nn"],
                         ">= 0.8x"))


def sites_case(runner, a, threads, rows, notes):
    n, steps = a.sites_cells, a.sites_steps
    natoms = 8 * n ** 3 - 1
    # remove one atom inside the box (site index = atom ID with create_atoms on one rank)
    gone = 8 * n ** 3 // 2 + 1
    configs = {}
    for k, (analysis, needles) in SITES.items():
        with_vac = k in ("kk", "plain")
        configs[k] = (SITES_STRUCT.format(crystal=si_crystal(n), gone=gone, steps=steps, analysis=analysis,
                                          after0=PRINT_VAC.format(tag="initial") if with_vac else "",
                                          after=PRINT_VAC.format(tag="final") if with_vac else ""), needles)
    outs = runner.alternate(configs, threads, f"sites t{threads}")
    modify = {k: median_of(v, lambda o: benchlib.section_time(o, "Modify")) for k, v in outs.items()}
    # per round differences to the no-analysis run of the same round, then medians
    cost = {k: statistics.median((benchlib.section_time(o, "Modify") - benchlib.section_time(o0, "Modify"))
                                 / (natoms * steps) * 1e6 for o, o0 in zip(outs[k], outs["none"]))
            for k in ("kk", "plain", "voronoi")}
    sps = {k: median_of(v, lambda o: steps / loop_time(o)) for k, v in outs.items()}
    print(f"  sites t{threads} {natoms} atoms: Modify medians none {modify['none']:.4f} s, kk {modify['kk']:.4f} s, "
          f"plain {modify['plain']:.4f} s, voronoi {modify['voronoi']:.4f} s")
    vk, vp = tagged(outs["kk"][-1], "REVAL_BENCH_VAC"), tagged(outs["plain"][-1], "REVAL_BENCH_VAC")
    print(f"  sites t{threads}: vacancies kk initial {vk['initial']:g} final {vk['final']:g}; "
          f"plain initial {vp['initial']:g} final {vp['final']:g}")
    if vk != vp or vk["initial"] != 1:
        msg = (f"WARNING: sites t{threads}: vacancy counts differ (kk {vk}, plain {vp}; 1 expected initially): "
               f"not the same job")
        print(msg)
        notes.append(msg)
    for ref, label in (("plain", "sites: kk vs plain computes"), ("voronoi", "sites: kk vs voronoi/atom occ")):
        ratio = cost[ref] / cost["kk"] if cost["kk"] > 0 else float("nan")
        rows.append((label, threads, natoms, steps, cost[ref], cost["kk"], sps[ref], sps["kk"], ratio, "-"))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--steps", type=int, default=None, help="MD steps for the 512-atom SNAP systems (default 40)")
    ap.add_argument("--threads", default="1,2", help="OpenMP thread counts, comma-separated (default 1,2); "
                    "g1 = one GPU (-k on g 1 -sf kk -pk kokkos newton on neigh half; REVAL_LMP and REVAL_PLUGIN "
                    "name the CUDA builds)")
    ap.add_argument("--cells", default="4,8", help="diamond cells per edge of the SNAP systems (default 4,8: 512 "
                    "and 4096 atoms; 16 = 32768 atoms, the GPU size)")
    ap.add_argument("--quick", action="store_true", help="smoke run: 1 round, 4 SNAP steps, 4 sites steps "
                                                          "(unless given)")
    ap.add_argument("--cases", default="linear,nn,sites")
    ap.add_argument("--no-large", action="store_true", help="skip the 4096-atom SNAP systems")
    ap.add_argument("--sites-cells", type=int, default=8, help="cells per edge of the sites system (default 8)")
    ap.add_argument("--sites-steps", type=int, default=None, help="MD steps of the sites case (default 50)")
    a = ap.parse_args()
    if a.quick:
        a.rounds = 1 if a.rounds == 3 else a.rounds
        a.steps = a.steps or 4
        a.sites_steps = a.sites_steps or 4
    a.steps = a.steps or 40
    a.sites_steps = a.sites_steps or 50
    cases = [c.strip() for c in a.cases.split(",") if c.strip()]
    unknown = [c for c in cases if c not in ("linear", "nn", "sites")]
    if unknown:
        sys.exit(f"unknown case(s) {unknown}; known: linear, nn, sites")
    threads = [t.strip() if t.strip().startswith("g") else int(t) for t in a.threads.split(",") if t.strip()]
    a.cells = [int(c) for c in a.cells.split(",") if c.strip()]
    os.environ["OMP_PROC_BIND"] = "false"

    lmp, plugin, pots, version = benchlib.check_lammps(kokkos_args(threads[0]) if threads else ())
    nn_files = ("si_synthetic.nn.mliap.model", "si_synthetic.mliap.descriptor")
    with benchlib.scratch("reval-bench-kokkos-", nn_files) as workdir:
        print(f"REVAL Kokkos styles vs LAMMPS styles under -k on t N -sf kk (OpenMP, OMP_PROC_BIND=false, "
              f"1 MPI rank): {version}, {lmp}\n  plugin {plugin}; threads {threads}; {a.rounds} round(s); SNAP: "
              f"{a.steps} steps at 512 atoms (scaled by 512/atoms), Pair time / (atoms*steps); sites: {a.sites_steps} "
              f"steps, (Modify time - Modify time without analysis) / (atoms*steps); medians")
        if benchlib.is_lammps_2021(version):
            print("  NOTE: in LAMMPS 29 Sep 2021, pair_style snap/kk on a host backend runs the plain PairSNAP code "
                  "on ONE thread whatever N is;\n        snap/model/kk and the REVAL computes /kk use the N threads.")
        rows, notes = [], []
        runner = Runner(workdir, a.rounds, notes)
        for t in threads:
            if "linear" in cases or "nn" in cases:
                snap_cases(runner, a, t, cases, rows, notes)
            if "sites" in cases:
                sites_case(runner, a, t, rows, notes)

        print()
        print(f"{'case':<37} {'thr':>3} {'atoms':>5} {'steps':>5} {'reference':>10} {'REVAL kk':>10} "
              f"{'ref':>8} {'REVAL kk':>8} {'ratio':>7}  target")
        print(f"{'':<37} {'':>3} {'':>5} {'':>5} {'us/at-st':>10} {'us/at-st':>10} {'steps/s':>8} {'steps/s':>8}")
        for name, t, natoms, steps, tr, tk, sr, sk, ratio, target in rows:
            print(f"{name:<37} {t:>3} {natoms:>5} {steps:>5} {tr:>10.4f} {tk:>10.4f} {sr:>8.2f} {sk:>8.2f} "
                  f"{ratio:>6.2f}x  {target}")
        print("reference = snap/kk linear (Si_Zuo) for the SNAP rows (Pair time); for the sites rows the plain\n"
              "vacancy/sites + re/atom (suffix off, same -k on run) or compute voronoi/atom occupation (analysis\n"
              "cost from the Modify time); ratio = reference / REVAL kk (> 1: REVAL faster); steps/s of the whole loop")
        for msg in notes:
            print(msg)
    return 0


if __name__ == "__main__":
    sys.exit(main())
