#!/usr/bin/python3
"""Benchmark (issue: pair_style snap/model): cost per atom-step of REVAL's pair_style snap/model versus the
LAMMPS built-in pair style that does the same job, in MD on the same machine, alternating the two in
every round.

What is timed: the "Pair" section of LAMMPS' timing breakdown of an NVE run (velocity create 300 K,
fix nve, timestep 0.5 fs, neighbor 1.0 bin, thermo output only at the ends of the run unless stated,
OMP_NUM_THREADS=1, one MPI rank), divided by atoms * steps, in µs per atom-step. A `run 0` before the
timed run takes the set-up out and gives the initial potential energy, which must agree between the two
styles to a relative 1e-9 (else a WARNING is printed): the benchmark proves that it times the same job.
Medians over the rounds are reported (timing noise on the project machines is up to ~5%).

Cases and targets (nothing asserts on time; the targets are printed next to the results):
  linear     Si_Zuo_JPCA2020 (twojmax 8), diamond Si a=5.431, 512 and 4096 atoms, vs pair_style snap
             target: speedup >= 1.0x
  quadratic  Si_Zuo_JPCA2020.quadratic, same systems, vs pair_style snap (quadraticflag 1)
             target: speedup >= 1.0x
  nn-cu      Cu.nn.mliap.model + Cu.snap.mliap.descriptor, fcc Cu a=3.621, 500 and 4000 atoms,
             vs pair_style mliap model nn ... descriptor sna ...      target: speedup >= 1.4x
  nn-si      tests/unit/refdata si_synthetic (55-64-32-1 tanh) network, diamond Si, 512 (and 4096)
             atoms, vs pair_style mliap model nn                     target: speedup >= 1.4x
  committee  a committee of 4 linear Si_Zuo-like models (the original + 3 copies with coefficients
             perturbed by a relative 1% Gaussian) vs the single Si_Zuo linear model, both snap/model,
             512 atoms:  (a) no compute committee/atom (the mean drives MD, one force pass)
                         target: cost committee/single <= 1.3x
                         (b) compute committee/atom printed in thermo every step (sigma every step),
                         compared with the single model also with thermo every step
             check: committee mean energy == mean of the members' energies (pair_style snap).
speedup = built-in / REVAL; for the committee, cost = committee / single model.

usage: bench_snap_model.py [--rounds R] [--steps N] [--quick] [--cases linear,quadratic,...] [--no-large]
       (--steps is for the ~512-atom systems; larger ones run N*512/atoms steps, at least 2)
Against another LAMMPS (e.g. 4 Feb 2025, built by tools/check-lammps-compat.sh): REVAL_LMP=<its lmp>
REVAL_PLUGIN=<revalplugin.so built against it> bench_snap_model.py ... (bench/README.md); the LAMMPS
version is printed in the header, and a plugin that does not load into that lmp stops the run at once.
"""
import argparse
import os
import random
import shutil
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import benchlib  # noqa: E402

REFDATA = benchlib.REFDATA

STRUCT = benchlib.SNAP_MD

SI = dict(lattice="diamond", a=5.431, mass=28.0855, el="Si", per_cell=8)
CU = dict(lattice="fcc", a=3.621, mass=63.546, el="Cu", per_cell=4)


def snap_pair(stem, el):
    return f"pair_style snap\npair_coeff * * {stem}.snapcoeff {stem}.snapparam {el}"


def model_snap_pair(stem, el):
    return f"pair_style snap/model\npair_coeff * * {stem}.snapcoeff {stem}.snapparam {el}"


def mliap_pair(model, desc, el):
    return f"pair_style mliap model nn {model} descriptor sna {desc}\npair_coeff * * {el}"


def model_nn_pair(model, desc, el):
    return f"pair_style snap/model\npair_coeff * * nn {model} {desc} {el}"


# name: (system, cells per edge (small, large), built-in pair, REVAL pair, target text)
CASES = {
    "linear": (SI, (4, 8), snap_pair("Si_Zuo_JPCA2020", "Si"), model_snap_pair("Si_Zuo_JPCA2020", "Si"),
               ">= 1.0x"),
    "quadratic": (SI, (4, 8), snap_pair("Si_Zuo_JPCA2020.quadratic", "Si"),
                  model_snap_pair("Si_Zuo_JPCA2020.quadratic", "Si"), ">= 1.0x"),
    "nn-cu": (CU, (5, 10), mliap_pair("Cu.nn.mliap.model", "Cu.snap.mliap.descriptor", "Cu"),
              model_nn_pair("Cu.nn.mliap.model", "Cu.snap.mliap.descriptor", "Cu"), ">= 1.4x"),
    "nn-si": (SI, (4, 8), mliap_pair("si_synthetic.nn.mliap.model", "si_synthetic.mliap.descriptor", "Si"),
              model_nn_pair("si_synthetic.nn.mliap.model", "si_synthetic.mliap.descriptor", "Si"), ">= 1.4x"),
}
NMEMBERS = 4


def pe0(output):
    for line in output.splitlines():
        if line.startswith("REVAL_BENCH_PE0"):
            return float(line.split()[1])
    raise RuntimeError("no initial energy in the LAMMPS output")


def perturbed_snapcoeff(src, dst, rel, rng):
    """Copies a single-element .snapcoeff file, multiplying every coefficient by (1 + rel * N(0,1)); the
    header (comments, blank lines, 'nelem ncoeff' line, element line) is kept verbatim."""
    with open(src) as f:
        lines = f.read().splitlines()
    out, counts_seen, elem_seen = [], False, False
    for line in lines:
        s = line.strip()
        if not s or s.startswith("#") or not elem_seen:
            out.append(line)
            if s and not s.startswith("#"):
                if counts_seen:
                    elem_seen = True
                else:
                    counts_seen = True
            continue
        c = float(s.split()[0])
        out.append(repr(c * (1.0 + rel * rng.gauss(0.0, 1.0))))
    with open(dst, "w") as f:
        f.write("\n".join(out) + "\n")


class Runner:
    def __init__(self, workdir, rounds):
        self.workdir, self.rounds = workdir, rounds

    def script(self, system, n, pair, steps, extra=""):
        crystal = benchlib.crystal(system["lattice"], system["a"], n, system["mass"])
        return STRUCT.format(crystal=crystal, pair=pair, steps=steps, extra=extra)

    def alternate(self, configs, natoms, steps):
        """configs: {key: script}; round-robin `rounds` times; returns ({key: median µs/atom-step},
        {key: initial energy})."""
        t = {k: [] for k in configs}
        e = {}
        for _ in range(self.rounds):
            for k, s in configs.items():
                _, out = benchlib.run(s, workdir=self.workdir, threads=1)
                t[k].append(benchlib.section_time(out, "Pair") / (natoms * steps) * 1e6)
                e[k] = pe0(out)
        return {k: statistics.median(v) for k, v in t.items()}, e


def check(label, e_ref, e_new, notes):
    rel = abs(e_new - e_ref) / max(abs(e_ref), 1e-300)
    line = f"  {label}: initial PE reference {e_ref:.12f} eV, REVAL {e_new:.12f} eV, rel. diff {rel:.2e}"
    print(line)
    if not rel < 1e-9:
        msg = f"WARNING: {label}: initial energies differ by {rel:.2e} (> 1e-9): not the same job"
        print(msg)
        notes.append(msg)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--steps", type=int, default=None, help="MD steps for the ~512-atom systems (default 40)")
    ap.add_argument("--quick", action="store_true", help="smoke run: 1 round, 4 steps (unless given)")
    ap.add_argument("--cases", default="linear,quadratic,nn-cu,nn-si,committee")
    ap.add_argument("--no-large", action="store_true", help="skip the 4000/4096-atom systems")
    a = ap.parse_args()
    if a.quick:
        a.rounds = 1 if a.rounds == 3 else a.rounds
        a.steps = a.steps or 4
    a.steps = a.steps or 40
    cases = [c.strip() for c in a.cases.split(",") if c.strip()]
    unknown = [c for c in cases if c not in CASES and c != "committee"]
    if unknown:
        sys.exit(f"unknown case(s) {unknown}; known: {list(CASES) + ['committee']}")

    lmp, plugin, pots, version = benchlib.check_lammps()
    nn_files = ("si_synthetic.nn.mliap.model", "si_synthetic.mliap.descriptor")
    with benchlib.scratch("reval-bench-snap-model-", nn_files) as workdir:
        runner = Runner(workdir, a.rounds)
        print(f"pair_style snap/model vs LAMMPS built-ins: {version}, {lmp}\n  plugin {plugin}; {a.rounds} round(s), "
              f"{a.steps} steps at ~512 atoms (scaled by 512/atoms for larger systems); 1 MPI rank, 1 thread; "
              f"Pair time / (atoms*steps), medians")
        rows, notes = [], []

        for name in cases:
            if name == "committee":
                continue
            system, cells, builtin, reval, target = CASES[name]
            for n in (cells[:1] if a.no_large else cells):
                natoms = system["per_cell"] * n ** 3
                steps = max(2, round(a.steps * 512 / natoms))
                t, e = runner.alternate({"builtin": runner.script(system, n, builtin, steps),
                                         "reval": runner.script(system, n, reval, steps)}, natoms, steps)
                check(f"{name} {natoms} atoms", e["builtin"], e["reval"], notes)
                rows.append((name, natoms, steps, t["builtin"], t["reval"], t["builtin"] / t["reval"],
                             "speedup", target))

        if "committee" in cases:
            rng = random.Random(20240613)
            src = os.path.join(pots, "Si_Zuo_JPCA2020.snapcoeff")
            shutil.copy(src, workdir)
            shutil.copy(os.path.join(pots, "Si_Zuo_JPCA2020.snapparam"), workdir)
            stems = ["Si_Zuo_JPCA2020"]
            for m in range(1, NMEMBERS):
                stem = f"si_member{m}"
                perturbed_snapcoeff(src, os.path.join(workdir, stem + ".snapcoeff"), 0.01, rng)
                shutil.copy(os.path.join(pots, "Si_Zuo_JPCA2020.snapparam"), os.path.join(workdir, stem + ".snapparam"))
                stems.append(stem)
            specs = " ".join(f"{s}.snapcoeff {s}.snapparam" for s in stems)
            committee = f"pair_style snap/model\npair_coeff * * committee {NMEMBERS} {specs} Si"
            single = model_snap_pair("Si_Zuo_JPCA2020", "Si")
            unc = ("compute unc all committee/atom\n"
                   "thermo_style custom step pe c_unc[1] c_unc[2] c_unc[3] c_unc[4]\nthermo 1\n")
            every = "thermo 1\n"
            n, natoms, steps = 4, 512, a.steps
            # check: the committee mean energy is the mean of the members' energies (pair_style snap)
            e_members = []
            for s in stems:
                _, out = benchlib.run(runner.script(SI, n, snap_pair(s, "Si"), 0), workdir=workdir)
                e_members.append(pe0(out))
            t, e = runner.alternate({
                "single": runner.script(SI, n, single, steps),
                "committee": runner.script(SI, n, committee, steps),
                "single_every": runner.script(SI, n, single, steps, every),
                "committee_sigma": runner.script(SI, n, committee, steps, unc),
            }, natoms, steps)
            check(f"committee {NMEMBERS} members {natoms} atoms (mean of pair snap members vs snap/model "
                  f"committee)", sum(e_members) / len(e_members), e["committee"], notes)
            check("committee with committee/atom", e["committee"], e["committee_sigma"], notes)
            check("single model (Si_Zuo linear, pair snap vs snap/model)", e_members[0], e["single"], notes)
            rows.append((f"committee{NMEMBERS} (a) mean only", natoms, steps, t["single"], t["committee"],
                         t["committee"] / t["single"], "cost", "<= 1.3x"))
            rows.append((f"committee{NMEMBERS} (b) sigma every step", natoms, steps, t["single_every"],
                         t["committee_sigma"], t["committee_sigma"] / t["single_every"], "cost", "-"))

        print()
        print(f"{'case':<32} {'atoms':>6} {'steps':>5} {'built-in':>10} {'REVAL':>10} {'ratio':>7}  {'':8} target")
        print(f"{'':<32} {'':>6} {'':>5} {'us/at-st':>10} {'us/at-st':>10}")
        for name, natoms, steps, tb, tr, ratio, kind, target in rows:
            print(f"{name:<32} {natoms:>6} {steps:>5} {tb:>10.3f} {tr:>10.3f} {ratio:>6.2f}x  {kind:<8} {target}")
        print("built-in = pair snap / pair mliap nn; for committee rows: built-in column = single Si_Zuo model with "
              "snap/model, ratio = cost committee/single")
        for msg in notes:
            print(msg)
    return 0


if __name__ == "__main__":
    sys.exit(main())
