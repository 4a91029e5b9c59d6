#!/usr/bin/python3
"""Rank interatomic potentials on validation sets by the criteria of Liu, He & Mo, npj Comput. Mater. 9,
174 (2023): the validation step that selects, among fitted models, the one to run MD with.

Each model is evaluated with LAMMPS (`rerun` of every frame of a set) and REVAL's compute force/error (the
same metrics as in an MD run); energies come from LAMMPS' potential energy of each frame.

    reval_select.py --model NAME "pair_style ...; pair_coeff ..." [--model ...]
                    --set NAME FILE.xyz [--set ...] [--out table.md] [--plot ranks.png]
                    [--lmp LMP] [--plugin revalplugin.so] [--workdir DIR]

A set is an extended XYZ file (tools/reval_convert.py writes them) whose frames all hold the same atoms
(one LAMMPS rerun per set): reference forces (`forces`) and energies (`energy=`), and optionally a per-atom
integer column `re` (1 = rare-event, migrating, atom: e.g. the authors' labels of the Si RE test sets,
`reval_convert.py poscars ... --re-labels`). The pair lines run in the folder of the set file unless
--potentials-dir is given (LAMMPS_POTENTIALS is honoured as usual).

Criteria (REVAL's reading of the study's eight; with the paper's two RE sets, interstitial and vacancy,
there are eight):
  per set:                  energy RMSE per atom (eV/atom, lower is better),
                            force RMSE of components (eV/A, lower is better),
  per set with RE atoms:    NAC(dF) and NAC(dtheta) on the RE atoms (higher is better).
Each model gets its rank (1 = best) on every criterion; the table orders the models by their mean rank
and also reports P = NAC(dF) x NAC(dtheta) on the RE atoms of each set (the force performance score of
the study) and on all atoms.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reval_convert as rc  # noqa: E402

# compute force/error global vector (doc/compute_force_error.rst): 1-based elements
FE = {"n": 1, "rmse": 3, "mae": 4, "nac_df": 11, "nac_dt": 12, "p": 13}


class SelectError(Exception):
    pass


def lammps_env():
    """lmp and plugin of the REVAL build (tools/bootstrap.sh's env file), unless given."""
    env = {}
    path = os.path.expanduser("~/.cache/reval/lammps/current/reval-lammps.env")
    if os.path.isfile(path):
        for line in open(path):
            m = re.match(r'(?:export\s+)?(\w+)="?([^"\n]*)"?', line.strip())
            if m:
                env[m.group(1)] = m.group(2)
    return env


def prepare_set(name, path, workdir):
    """LAMMPS files of a set: data file (frame 0), positions dump (x y z, RE flag in vx), reference force
    dump (id fx fy fz), reference energies. Returns a dict."""
    frames = list(rc.read_extxyz(path))
    if not frames:
        raise SelectError(f"{path}: no frame")
    s0 = frames[0]
    for k, s in enumerate(frames):
        if s.species != s0.species:
            raise SelectError(f"{path}: frame {k} holds other atoms than frame 0 (one LAMMPS rerun per set: "
                              "split the set by composition)")
        if "forces" not in s.extra:
            raise SelectError(f"{path}: frame {k}: no forces (the reference)")
        if "energy" not in s.extra:
            raise SelectError(f"{path}: frame {k}: no energy= (the reference)")
    d = os.path.join(workdir, name)
    os.makedirs(d, exist_ok=True)
    H0, _ = rc.to_lammps_cell(s0.cell)
    # the dumps always give a triclinic box: the data file must be triclinic too
    types = rc.write_data(os.path.join(d, "set.data"), H0, s0.frac, s0.species, triclinic=True)
    pos, ref = os.path.join(d, "pos.dump"), os.path.join(d, "ref.dump")
    open(pos, "w").close()
    open(ref, "w").close()
    nre = 0
    for k, s in enumerate(frames):
        H, R = rc.to_lammps_cell(s.cell)
        F = s.extra["forces"] @ R.T
        flags = s.extra.get("re", np.zeros(len(s.species))).reshape(-1)
        nre += int(np.count_nonzero(flags))
        rc.write_dump(pos, H, s.frac, {"vx": flags.astype(float)}, timestep=k)
        rc.write_dump(ref, H, s.frac, {"fx": F[:, 0], "fy": F[:, 1], "fz": F[:, 2]}, timestep=k)
    return {"name": name, "dir": d, "frames": len(frames), "natoms": len(s0.species), "types": types,
            "energy": np.array([s.extra["energy"] for s in frames]), "nre": nre,
            "potdir": os.path.dirname(os.path.abspath(path))}


def evaluate(model, pair, st, lmp, plugin, potdir):
    """Runs LAMMPS on one set with one model: returns the metrics (dict)."""
    lines = [l.strip() for l in pair.replace(";", "\n").splitlines() if l.strip()]
    if not any(l.startswith("pair_style") for l in lines) or not any(l.startswith("pair_coeff") for l in lines):
        raise SelectError(f"model {model}: give 'pair_style ...; pair_coeff ...'")
    re_part = ""
    if st["nre"]:
        re_part = ("variable re atom vx\n"
                   "compute fre all force/error ref file ref.dump mask v_re accumulate yes\n")
    script = (f"plugin load {plugin}\nunits metal\natom_style atomic\natom_modify map array\n"
              f"read_data set.data\n" + "\n".join(lines) + "\n"
              "compute fe all force/error ref file ref.dump accumulate yes\n" + re_part +
              "thermo_style custom step pe\nthermo_modify format float %.17g norm no\nthermo 1\n"
              "rerun pos.dump dump x y z vx box yes\n" +
              "".join(f'print "@@fe {k} $(c_fe[{i}]:%.17g)"\n' for k, i in FE.items()) +
              ("".join(f'print "@@fre {k} $(c_fre[{i}]:%.17g)"\n' for k, i in FE.items()) if st["nre"] else ""))
    with open(os.path.join(st["dir"], "in.select"), "w") as f:
        f.write(script)
    env = dict(os.environ)
    env.setdefault("LAMMPS_POTENTIALS", potdir)
    # unbuffered output: LAMMPS' error message would be lost in the pipe's buffer when it aborts
    cmd = ([shutil.which("stdbuf"), "-o0", "-e0"] if shutil.which("stdbuf") else []) + \
        [lmp, "-in", "in.select", "-log", "none", "-nocite", "-echo", "none"]
    p = subprocess.run(cmd, cwd=st["dir"], capture_output=True, text=True, env=env)
    if p.returncode != 0:
        err = [l for l in (p.stdout + p.stderr).splitlines() if "ERROR" in l]
        raise SelectError(f"model {model} on set {st['name']}: LAMMPS failed: {err[-1] if err else p.stdout[-500:]}")
    out = {}
    for l in p.stdout.splitlines():
        m = re.match(r"@@(fe|fre) (\w+) (\S+)", l)
        if m:
            out[f"{m.group(1)}_{m.group(2)}"] = float(m.group(3))
    # potential energy per rerun frame: the thermo rows "step pe"
    pe = {}
    for l in p.stdout.splitlines():
        w = l.split()
        if len(w) == 2 and re.fullmatch(r"\d+", w[0]):
            try:
                pe[int(w[0])] = float(w[1])
            except ValueError:
                pass
    if sorted(pe) != list(range(st["frames"])):
        raise SelectError(f"model {model} on set {st['name']}: expected the energy of {st['frames']} frames")
    e = np.array([pe[k] for k in range(st["frames"])])
    out["energy_rmse"] = float(np.sqrt(np.mean(((e - st["energy"]) / st["natoms"]) ** 2)))
    return out


def criteria(sets):
    """(label, key in the per-set metrics, set name, higher is better)."""
    c = []
    for st in sets:
        c.append((f"E RMSE {st['name']} (eV/atom)", "energy_rmse", st["name"], False))
        c.append((f"F RMSE {st['name']} (eV/A)", "fe_rmse", st["name"], False))
    for st in sets:
        if st["nre"]:
            c.append((f"NAC(dF) RE {st['name']}", "fre_nac_df", st["name"], True))
            c.append((f"NAC(dtheta) RE {st['name']}", "fre_nac_dt", st["name"], True))
    return c


def rank(values, higher_better):
    """Competition ranks (1 = best; equal values share the best rank)."""
    order = sorted(values, reverse=higher_better)
    return [order.index(v) + 1 for v in values]


def table(models, sets, results):
    crit = criteria(sets)
    ranks = {m: [] for m in models}
    for label, key, sname, hb in crit:
        vals = [results[(m, sname)][key] for m in models]
        for m, r in zip(models, rank(vals, hb)):
            ranks[m].append(r)
    mean_rank = {m: float(np.mean(ranks[m])) for m in models}
    order = sorted(models, key=lambda m: (mean_rank[m], models.index(m)))
    head = ["model", "mean rank"] + [c[0] for c in crit]
    head += [f"P RE {s['name']}" for s in sets if s["nre"]] + [f"P all {s['name']}" for s in sets]
    rows = []
    for m in order:
        vals = [f"{mean_rank[m]:.2f}"]
        for (label, key, sname, hb), r in zip(crit, ranks[m]):
            vals.append(f"{results[(m, sname)][key]:.4g} ({r})")
        vals += [f"{results[(m, s['name'])]['fre_p']:.4f}" for s in sets if s["nre"]]
        vals += [f"{results[(m, s['name'])]['fe_p']:.4f}" for s in sets]
        rows.append([m] + vals)
    md = "| " + " | ".join(head) + " |\n|" + "---|" * len(head) + "\n"
    md += "".join("| " + " | ".join(r) + " |\n" for r in rows)
    return md, order, mean_rank, ranks, crit


def plot(path, models, sets, results, mean_rank):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    re_sets = [s for s in sets if s["nre"]]
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    x = np.arange(len(models))
    w = 0.8 / max(1, len(re_sets))
    for k, s in enumerate(re_sets):
        axes[0].bar(x + k * w, [results[(m, s["name"])]["fre_p"] for m in models], w, label=s["name"])
    axes[0].set_xticks(x + w * (len(re_sets) - 1) / 2)
    axes[0].set_xticklabels(models, rotation=30, ha="right")
    axes[0].set_ylabel("P on rare-event atoms")
    if re_sets:
        axes[0].legend()
    axes[1].bar(x, [mean_rank[m] for m in models], 0.6, color="gray")
    axes[1].set_xticks(x)
    axes[1].set_xticklabels(models, rotation=30, ha="right")
    axes[1].set_ylabel("mean rank over the criteria (1 = best)")
    fig.tight_layout()
    fig.savefig(path, dpi=120)


def main(argv=None):
    ap = argparse.ArgumentParser(prog="reval_select", description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", nargs=2, action="append", metavar=("NAME", "PAIR"), required=True)
    ap.add_argument("--set", nargs=2, action="append", metavar=("NAME", "FILE"), required=True)
    ap.add_argument("--out", help="markdown table (default: stdout only)")
    ap.add_argument("--plot", help="PNG with P on RE atoms and the mean rank per model")
    ap.add_argument("--lmp")
    ap.add_argument("--plugin")
    ap.add_argument("--potentials-dir", help="folder the pair lines' files are read from (default: each set's folder)")
    ap.add_argument("--workdir", help="keep the LAMMPS inputs here (default: a temporary folder, removed)")
    a = ap.parse_args(argv)
    env = lammps_env()
    lmp = a.lmp or os.environ.get("REVAL_LMP") or env.get("LMP")
    plugin = a.plugin or os.environ.get("REVAL_PLUGIN")
    if not lmp or not plugin:
        ap.error("give --lmp and --plugin (or REVAL_LMP / REVAL_PLUGIN)")
    names = [m[0] for m in a.model]
    if len(set(names)) != len(names) or len({s[0] for s in a.set}) != len(a.set):
        ap.error("model and set names must be unique")
    workdir = a.workdir or tempfile.mkdtemp(prefix="reval-select-")
    try:
        sets = [prepare_set(n, p, workdir) for n, p in a.set]
        results = {}
        for name, pair in a.model:
            for st in sets:
                potdir = a.potentials_dir or st["potdir"]
                results[(name, st["name"])] = evaluate(name, pair, st, lmp, os.path.abspath(plugin), potdir)
        md, order, mean_rank, _, _ = table(names, sets, results)
        print(md, end="")
        print(f"selected: {order[0]}")
        if a.out:
            with open(a.out, "w") as f:
                f.write("# Model selection (tools/reval_select.py)\n\n" + md + f"\nselected: {order[0]}\n")
        if a.plot:
            plot(a.plot, names, sets, results, mean_rank)
    except (SelectError, rc.DataError, ValueError, OSError) as e:
        ap.error(str(e))
    finally:
        if not a.workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
