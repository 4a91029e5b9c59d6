#!/usr/bin/env python3
"""Benchmarks of the GPU kit (tools/gpu/device-run.sh runs them; any python3 >= 3.6, no numpy needed).

Each measurement is appended to OUT/results.tsv as soon as it is made (a stage cut off by its time limit still
leaves what it measured), one row per value:  stage  case  atoms  variant  np  metric  value  unit
`summary` turns results.tsv and stages.tsv into OUT/summary.md (the GPU section of bench/README.md).

  device_bench.py snap  --lmp L --plugin P --kokkos g1|N --cells 16,32,50 --steps 50,20,10 --out OUT --deadline T
      Si_Zuo_JPCA2020 (linear and quadratic) with LAMMPS' pair_style snap/kk and REVAL's snap/model/kk, and the
      synthetic NN SNAP (tests/unit/refdata) with snap/model/kk, on diamond Si of cells^3 x 8 atoms (NVE MD at
      300 K as bench/benchlib.py SNAP_MD): atom-steps/s of the loop, Pair µs/atom-step, peak GPU memory (MiB,
      nvidia-smi), and the initial energy of snap/kk and snap/model/kk (same job: rel. 1e-9).
  device_bench.py sites --lmp L --plugin P --kokkos g1|N --cells 16,50 --steps 20,5 --out OUT --deadline T
      compute vacancy/sites + re/atom every step (fix ave/time) on a crystal with one vacancy (pair sw, MD 1230 K)
      and on the heavy-damage configuration of issue 13 (0.81 Å displacements, pair zero): the /kk computes vs
      the plain computes in the same run (suffix off) vs no analysis; cost = loop-time difference per atom-step;
      vacancy and migrating-atom counts of both.
  device_bench.py mpi   --lmp L --plugin P --mpirun M --np 1,2,4,8,16 --cells 8,16 --steps 10,4 --out OUT --deadline T
      MPI strong scaling on the CPU cores: pair_style snap vs snap/model (Si_Zuo linear), and the plain site
      analysis on the damage configuration (20^3 cells).
  device_bench.py summary --out OUT
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "bench"))
sys.path.insert(0, os.path.join(REPO, "bench", "kokkos"))
sys.path.insert(0, os.path.join(REPO, "bench", "sites"))
import benchlib  # noqa: E402  (inputs shared with the CPU benchmarks)
import bench_kokkos  # noqa: E402
import bench_sites  # noqa: E402

ZUO = bench_kokkos.ZUO
ZUOQ = "Si_Zuo_JPCA2020.quadratic.snapcoeff Si_Zuo_JPCA2020.quadratic.snapparam Si"
# (variant, pair commands, style that must run: text of LAMMPS' neighbour-list report), bench/kokkos's pairs
SNAP_VARIANTS = [
    ("snap/kk linear",) + bench_kokkos.PAIRS["snapkk"],
    ("snap/model/kk linear",) + bench_kokkos.PAIRS["model_linear"],
    ("snap/model/kk nn",) + bench_kokkos.PAIRS["model_nn"],
    ("snap/kk quadratic", f"pair_style snap\npair_coeff * * {ZUOQ}", "pair snap/kk, perpetual"),
    ("snap/model/kk quadratic", f"pair_style snap/model\npair_coeff * * {ZUOQ}", "pair snap/model/kk, perpetual"),
    # the device default is 8192 atoms per launch; LAMMPS' snap/kk takes 32768 (chunksize)
    ("snap/model/kk linear chunksize 32768", f"pair_style snap/model chunksize 32768\npair_coeff * * {ZUO}",
     "pair snap/model/kk, perpetual"),
]
COUNTS = bench_sites.COUNTS


def crystal_sites(cells, steps, analysis):
    """bench/kokkos's sites system: one vacancy, SW MD at ~1230 K."""
    return bench_kokkos.SITES_STRUCT.format(crystal=benchlib.crystal("diamond", 5.431, cells, 28.0855), gone=1,
                                            steps=steps, analysis=analysis, after0="",
                                            after=COUNTS if analysis else "")


def damage_sites(cells, steps, analysis):
    """bench/sites's heavy-damage configuration (issue 13): 0.81 Å displacements, pair zero, static."""
    return (bench_sites.DAMAGE.format(crystal=benchlib.crystal("diamond", 5.431, cells, 28.0855), steps=steps)
            + analysis + f"run 0\nrun {steps}\n" + (COUNTS if analysis else ""))


class Out:
    def __init__(self, out):
        self.dir = out
        os.makedirs(out, exist_ok=True)
        self.tsv = os.path.join(out, "results.tsv")
        if not os.path.exists(self.tsv):
            with open(self.tsv, "w") as f:
                f.write("stage\tcase\tatoms\tvariant\tnp\tmetric\tvalue\tunit\n")

    def row(self, stage, case, atoms, variant, np, metric, value, unit):
        with open(self.tsv, "a") as f:
            f.write(f"{stage}\t{case}\t{atoms}\t{variant}\t{np}\t{metric}\t{value}\t{unit}\n")
        print(f"  {stage} | {case} | {atoms} atoms | {variant} | np {np} | {metric} = {value} {unit}", flush=True)

    def log(self, text):
        with open(os.path.join(self.dir, "bench.log"), "a") as f:
            f.write(text.rstrip() + "\n")


class GpuMemory:
    """Peak device memory in use during a run (nvidia-smi sampled every 100 ms), minus the level before."""

    def __init__(self, enabled):
        self.enabled = enabled and shutil.which("nvidia-smi") is not None
        self.proc = None

    def _query(self):
        p = subprocess.run(["nvidia-smi", "--query-gpu=memory.used", "--format=csv,noheader,nounits"],
                           capture_output=True, text=True, timeout=20)
        return float(p.stdout.split()[0])

    def __enter__(self):
        if self.enabled:
            try:
                self.base = self._query()
                self.file = tempfile.TemporaryFile(mode="w+")
                self.proc = subprocess.Popen(["nvidia-smi", "--query-gpu=memory.used", "--format=csv,noheader,nounits",
                                              "-lms", "100"], stdout=self.file, stderr=subprocess.DEVNULL)
            except (OSError, ValueError, IndexError, subprocess.SubprocessError):
                self.proc = None
        return self

    def __exit__(self, *exc):
        self.peak = None
        if self.proc:
            self.proc.terminate()
            self.proc.wait()
            self.file.seek(0)
            vals = [float(v) for v in self.file.read().split() if re.match(r"^[0-9.]+$", v)]
            if vals:
                self.peak = max(vals) - self.base


def run_lmp(a, script, args=(), np=1, timeout=60.0, label=""):
    """benchlib.run in a scratch folder holding the synthetic NN files (lmp and plugin: REVAL_LMP and
    REVAL_PLUGIN, set from --lmp and --plugin; the bundle's libraries for lmp only); logs the timing lines to
    bench.log; returns the output or raises RuntimeError naming the run and LAMMPS' error."""
    env = {"LD_LIBRARY_PATH": os.environ["REVAL_LD_LIBRARY_PATH"]} if os.environ.get("REVAL_LD_LIBRARY_PATH") else {}
    t0 = time.time()
    with benchlib.scratch("reval-gpu-", ("si_synthetic.nn.mliap.model", "si_synthetic.mliap.descriptor")) as d:
        try:
            _, out = benchlib.run(script, np=np, args=args, workdir=d, threads=bench_kokkos.omp_threads(a.kokkos),
                                  launcher=a.mpirun.split() if a.mpirun else None, timeout=max(timeout, 1.0), env=env)
        except RuntimeError as e:
            a.outobj.log(f"===== {label} ({time.time() - t0:.1f} s): {str(e)[-1500:]}")
            lines = str(e).splitlines()
            why = [line for line in lines if "ERROR" in line or "what()" in line] or lines[:1]
            raise RuntimeError(f"{label}: {why[0].strip()}")
    a.outobj.log(f"===== {label} ({time.time() - t0:.1f} s)\n"
                 + "\n".join(line for line in out.splitlines()
                             if re.match(r"^(Loop time|Pair |Modify|Neigh |Comm |Per MPI|REVAL_|WARNING|"
                                         r"Performance|LAMMPS \(|  \d+ atoms|Created)", line)))
    return out


def remaining(a):
    return a.deadline - time.time()


def listed(text, kind=int):
    return [kind(v) for v in str(text).split(",") if v.strip()]


def cmd_snap(a):
    o = a.outobj
    gpu = str(a.kokkos).startswith("g")
    for cells, steps in zip(listed(a.cells), listed(a.steps)):
        n = 8 * cells ** 3
        pe0 = {}
        for variant, pair, needle in SNAP_VARIANTS:
            if remaining(a) < 5:
                o.row("snap", "Si diamond", n, variant, 1, "skipped", "time limit", "")
                continue
            script = benchlib.SNAP_MD.format(crystal=benchlib.crystal("diamond", 5.431, cells, 28.0855), pair=pair,
                                             extra="", steps=steps)
            try:
                with GpuMemory(gpu) as mem:
                    out = run_lmp(a, script, bench_kokkos.kokkos_args(a.kokkos), timeout=remaining(a) - 2,
                                  label=f"snap {variant} {n} atoms")
            except RuntimeError as e:
                o.row("snap", "Si diamond", n, variant, 1, "failed", str(e).splitlines()[0][:300], "")
                continue
            if needle not in out:
                o.row("snap", "Si diamond", n, variant, 1, "failed", f"'{needle}' did not run", "")
                continue
            loop = bench_kokkos.loop_time(out)
            o.row("snap", "Si diamond", n, variant, 1, "atom-steps/s", f"{n * steps / loop:.4g}", "1/s")
            o.row("snap", "Si diamond", n, variant, 1, "pair", f"{1e6 * benchlib.section_time(out, 'Pair') / (n * steps):.5g}",
                  "us/atom-step")
            if mem.enabled and mem.peak is not None:
                o.row("snap", "Si diamond", n, variant, 1, "gpu memory", f"{mem.peak:.0f}", "MiB")
            pe0[variant] = bench_kokkos.tagged(out, "REVAL_BENCH_PE0")[None]
        for model in ("linear", "quadratic"):
            ref, new = pe0.get(f"snap/kk {model}"), pe0.get(f"snap/model/kk {model}")
            if ref is not None and new is not None:
                rel = abs(new - ref) / max(abs(ref), 1e-300)
                o.row("snap", "Si diamond", n, f"snap/model/kk {model}", 1, "initial energy vs snap/kk",
                      f"{rel:.2e} ({'same' if rel < 1e-9 else 'DIFFERENT'})", "rel")


def cmd_sites(a):
    o = a.outobj
    gpu = str(a.kokkos).startswith("g")
    sites = benchlib.SITE_ANALYSES["reval"]
    variants = [("none", ""), ("kk", sites), ("plain", "suffix off\n" + sites + "suffix on\n")]
    # heavy damage first (issue 13's configuration), before the stage's time limit can cut it
    for case, make in (("damage", damage_sites), ("crystal", crystal_sites)):
        for cells, steps in zip(listed(a.cells), listed(a.steps)):
            n = 8 * cells ** 3 - (1 if case == "crystal" else 0)
            loops = {}
            for variant, analysis in variants:
                if remaining(a) < 5:
                    o.row("sites", case, n, variant, 1, "skipped", "time limit", "")
                    continue
                script = make(cells, steps, analysis)
                try:
                    with GpuMemory(gpu) as mem:
                        out = run_lmp(a, script, bench_kokkos.kokkos_args(a.kokkos), timeout=remaining(a) - 2,
                                      label=f"sites {case} {variant} {n} atoms")
                except RuntimeError as e:
                    o.row("sites", case, n, variant, 1, "failed", str(e).splitlines()[0][:300], "")
                    continue
                loops[variant] = bench_kokkos.loop_time(out)
                c = bench_sites.counts(out)
                if c:
                    o.row("sites", case, n, variant, 1, "vacancies, migrating atoms", f"{c[0]:.0f} {c[1]:.0f}", "")
                if variant == "kk" and mem.enabled and mem.peak is not None:
                    o.row("sites", case, n, variant, 1, "gpu memory", f"{mem.peak:.0f}", "MiB")
            for variant in ("kk", "plain"):
                if variant in loops and "none" in loops:
                    cost = 1e6 * (loops[variant] - loops["none"]) / (n * steps)
                    o.row("sites", case, n, variant, 1, "analysis cost", f"{cost:.4g}", "us/atom-step")


def cmd_mpi(a):
    o = a.outobj
    nps = listed(a.np)
    for cells, steps in zip(listed(a.cells), listed(a.steps)):
        n = 8 * cells ** 3
        for np in nps:
            for variant, pair in (("pair snap", bench_kokkos.PAIRS["snapkk"][0]),
                                  ("snap/model", bench_kokkos.PAIRS["model_linear"][0])):
                if remaining(a) < 5:
                    o.row("mpi", "Si diamond snap", n, variant, np, "skipped", "time limit", "")
                    continue
                script = benchlib.SNAP_MD.format(crystal=benchlib.crystal("diamond", 5.431, cells, 28.0855),
                                                 pair=pair, extra="", steps=steps)
                try:
                    out = run_lmp(a, script, np=np, timeout=remaining(a) - 2, label=f"mpi {variant} {n} np {np}")
                except RuntimeError as e:
                    o.row("mpi", "Si diamond snap", n, variant, np, "failed", str(e).splitlines()[0][:300], "")
                    continue
                o.row("mpi", "Si diamond snap", n, variant, np, "pair",
                      f"{1e6 * benchlib.section_time(out, 'Pair') / (n * steps):.5g}", "us/atom-step")
                o.row("mpi", "Si diamond snap", n, variant, np, "atom-steps/s", f"{n * steps / bench_kokkos.loop_time(out):.4g}",
                      "1/s")
    cells, steps = a.sites_cells, a.sites_steps
    n = 8 * cells ** 3
    for np in nps:
        loops = {}
        for variant, analysis in (("none", ""), ("vacancy/sites + re/atom", benchlib.SITE_ANALYSES["reval"])):
            if remaining(a) < 5:
                o.row("mpi", "damage sites", n, variant, np, "skipped", "time limit", "")
                continue
            script = damage_sites(cells, steps, analysis)
            try:
                out = run_lmp(a, script, np=np, timeout=remaining(a) - 2, label=f"mpi sites {variant} np {np}")
            except RuntimeError as e:
                o.row("mpi", "damage sites", n, variant, np, "failed", str(e).splitlines()[0][:300], "")
                continue
            loops[variant] = benchlib.section_time(out, "Modify")
        if len(loops) == 2:
            cost = 1e6 * (loops["vacancy/sites + re/atom"] - loops["none"]) / (n * steps)
            o.row("mpi", "damage sites", n, "vacancy/sites + re/atom", np, "analysis cost (Modify)", f"{cost:.4g}",
                  "us/atom-step")


def read_rows(out):
    path = os.path.join(out, "results.tsv")
    if not os.path.exists(path):
        return []
    with open(path) as f:
        lines = f.read().splitlines()[1:]
    return [line.split("\t") for line in lines if line.count("\t") == 7]


def value(rows, stage, atoms, variant, np, metric):
    for r in rows:
        if r[0] == stage and r[2] == str(atoms) and r[3] == variant and r[4] == str(np) and r[5] == metric:
            try:
                return float(r[6])
            except ValueError:
                return None
    return None


def cmd_summary(a):
    rows = read_rows(a.out)
    md = ["## GPU kit results (tools/gpu/device-run.sh)", ""]
    stages = os.path.join(a.out, "stages.tsv")
    if os.path.exists(stages):
        md += ["| stage | status | seconds | note |", "|---|---|---|---|"]
        with open(stages) as f:
            for line in f.read().splitlines()[1:]:
                md.append("| " + " | ".join(line.split("\t")) + " |")
        md.append("")
    snap_atoms = sorted({int(r[2]) for r in rows if r[0] == "snap"})
    if snap_atoms:
        md += ["### SNAP (Si_Zuo_JPCA2020; NN: synthetic 55-64-32-1 on the same descriptors)", "",
               "| atoms | variant | atom-steps/s | Pair µs/atom-step | GPU MiB |", "|---|---|---|---|---|"]
        for n in snap_atoms:
            for v, _p, _n in SNAP_VARIANTS:
                s = value(rows, "snap", n, v, 1, "atom-steps/s")
                p = value(rows, "snap", n, v, 1, "pair")
                m = value(rows, "snap", n, v, 1, "gpu memory")
                fail = [r[6] for r in rows if r[0] == "snap" and r[2] == str(n) and r[3] == v and r[5] in ("failed", "skipped")]
                md.append(f"| {n} | {v} | {s if s is not None else (fail[0] if fail else '-')} | "
                          f"{p if p is not None else '-'} | {m if m is not None else '-'} |")
        md += ["", "| atoms | snap/model/kk linear vs snap/kk (target >= 1.0x) | quadratic vs snap/kk | "
                   "NN vs linear snap/kk (target >= 0.8x) |", "|---|---|---|---|"]
        for n in snap_atoms:
            def ratio(ref, new):
                r, x = value(rows, "snap", n, ref, 1, "atom-steps/s"), value(rows, "snap", n, new, 1, "atom-steps/s")
                return f"{x / r:.2f}x" if r and x else "-"
            md.append(f"| {n} | {ratio('snap/kk linear', 'snap/model/kk linear')} | "
                      f"{ratio('snap/kk quadratic', 'snap/model/kk quadratic')} | "
                      f"{ratio('snap/kk linear', 'snap/model/kk nn')} |")
        md.append("")
    site_rows = [r for r in rows if r[0] == "sites"]
    if site_rows:
        md += ["### Site analysis (compute vacancy/sites + re/atom every step)", "",
               "| case | atoms | kk µs/atom-step | plain µs/atom-step | plain / kk | counts (kk; plain) | "
               "kk / snap/model/kk linear step |", "|---|---|---|---|---|---|---|"]
        for case in ("crystal", "damage"):
            for n in sorted({int(r[2]) for r in site_rows if r[1] == case}):
                kk = value(rows, "sites", n, "kk", 1, "analysis cost")
                pl = value(rows, "sites", n, "plain", 1, "analysis cost")
                cnt = [r[6] for r in site_rows if r[1] == case and r[2] == str(n) and r[5].startswith("vacancies")]
                # the SNAP step of the nearest size measured
                snap = None
                for m in sorted(snap_atoms, key=lambda m: abs(m - n)):
                    s = value(rows, "snap", m, "snap/model/kk linear", 1, "atom-steps/s")
                    if s:
                        snap = 1e6 / s
                        break
                md.append(f"| {case} | {n} | {kk if kk is not None else '-'} | {pl if pl is not None else '-'} | "
                          f"{f'{pl / kk:.1f}x' if kk and pl else '-'} | {'; '.join(cnt) or '-'} | "
                          f"{f'{100 * kk / snap:.2f}%' if kk is not None and snap else '-'} |")
        md.append("")
    mpi_rows = [r for r in rows if r[0] == "mpi"]
    if mpi_rows:
        md += ["### MPI strong scaling on the CPU cores (plain styles)", "",
               "| atoms | np | pair snap µs/atom-step | snap/model | ratio | speed-up of snap/model vs np 1 |",
               "|---|---|---|---|---|---|"]
        for n in sorted({int(r[2]) for r in mpi_rows if r[1] == "Si diamond snap"}):
            base = value(rows, "mpi", n, "snap/model", 1, "pair")
            for np in sorted({int(r[4]) for r in mpi_rows if r[2] == str(n)}):
                ps = value(rows, "mpi", n, "pair snap", np, "pair")
                sm = value(rows, "mpi", n, "snap/model", np, "pair")
                md.append(f"| {n} | {np} | {ps if ps is not None else '-'} | {sm if sm is not None else '-'} | "
                          f"{f'{ps / sm:.2f}x' if ps and sm else '-'} | {f'{base / sm:.2f}' if base and sm else '-'} |")
        md += ["", "| damage sites atoms | np | vacancy/sites + re/atom µs/atom-step (Modify) |", "|---|---|---|"]
        for r in mpi_rows:
            if r[1] == "damage sites" and r[5].startswith("analysis"):
                md.append(f"| {r[2]} | {r[4]} | {r[6]} |")
        md.append("")
    notes = [r for r in rows if r[5] in ("failed",) or "DIFFERENT" in r[6]]
    if notes:
        md += ["### Problems", ""] + [f"- {r[0]} {r[1]} {r[2]} {r[3]} np {r[4]}: {r[5]} {r[6]}" for r in notes] + [""]
    with open(os.path.join(a.out, "summary.md"), "w") as f:
        f.write("\n".join(md) + "\n")
    print(f"[device-run] {os.path.join(a.out, 'summary.md')}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("command", choices=("snap", "sites", "mpi", "summary"))
    ap.add_argument("--out", required=True)
    ap.add_argument("--lmp")
    ap.add_argument("--plugin")
    ap.add_argument("--kokkos", default="g1", help="g1 (one GPU) or N (N OpenMP threads), as bench/kokkos --threads")
    ap.add_argument("--mpirun", default=None, help="MPI launcher's words before -np (mpi stage), e.g. 'mpirun --bind-to none'")
    ap.add_argument("--np", default="1,2,4,8,16")
    ap.add_argument("--cells", default="16,32,50")
    ap.add_argument("--steps", default="50,20,10")
    ap.add_argument("--sites-cells", type=int, default=20)
    ap.add_argument("--sites-steps", type=int, default=10)
    ap.add_argument("--deadline", type=float, default=None, help="epoch seconds by which the stage must end")
    a = ap.parse_args()
    a.outobj = Out(a.out)
    a.deadline = a.deadline or time.time() + 600
    if a.command == "summary":
        return cmd_summary(a)
    if not a.lmp or not a.plugin:
        ap.error("--lmp and --plugin are needed")
    os.environ["REVAL_LMP"], os.environ["REVAL_PLUGIN"] = a.lmp, a.plugin    # benchlib.paths()
    if len(listed(a.cells)) != len(listed(a.steps)):
        ap.error("--cells and --steps need as many entries")
    {"snap": cmd_snap, "sites": cmd_sites, "mpi": cmd_mpi}[a.command](a)
    return 0


if __name__ == "__main__":
    sys.exit(main())
