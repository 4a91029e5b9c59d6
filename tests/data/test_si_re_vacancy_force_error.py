"""compute force/error on the public Si vacancy rare-event set.

1. Model-free: DFT forces at lower accuracy (K1 Gamma-only, K2 2x2x2 k-points) as the "prediction" against
   K4, over all atoms and over the authors' migrating atoms (r == 0), all 100 snapshots accumulated by
   one rerun; every metric must equal an independent numpy computation.
2. rerun of the snapshots with LAMMPS pair_style snap (Si_Zuo_JPCA2020) accumulated over the frames must
   equal the pooled metrics of the SNAP forces computed snapshot by snapshot.
Usage: test_si_re_vacancy_force_error.py LMP PLUGIN"""
import os
import re
import subprocess
import sys
import tempfile

import numpy as np

from si_re_vacancy import Snapshots, rc

NAMES = ["counted", "undefined", "rmse", "mae", "maxerr", "mean_dF", "mean_dtheta", "f_dF", "f_t1", "f_t2",
         "nac_dF", "nac_dtheta", "P", "e_atom", "e_sqrtN", "f_sigma", "spearman"]


def metrics(F, P, nF=20, Fmax=1.0, nT=20, Tmax=90.0, thr=0.5, t1=15.0, t2=30.0, fmin=1e-6):
    """Independent numpy implementation of the global vector (science.md)."""
    F, P = np.asarray(F), np.asarray(P)
    d = P - F
    f, p = np.linalg.norm(F, axis=1), np.linalg.norm(P, axis=1)
    dF = np.abs(f - p)
    ok = (f >= fmin) & (p >= fmin)
    cos = np.clip(np.sum(F * P, axis=1)[ok] / (f[ok] * p[ok]), -1, 1)
    dT = np.degrees(np.arccos(cos))
    n = len(F)
    v = np.zeros(17)
    v[0], v[1] = n, n - ok.sum()
    v[2] = np.sqrt(np.mean(d ** 2))
    v[3] = np.mean(np.abs(d))
    v[4] = np.linalg.norm(d, axis=1).max()
    v[5] = dF.mean()
    v[6] = dT.mean()
    v[7] = np.mean(dF > thr)
    v[8], v[9] = np.mean(dT > t1), np.mean(dT > t2)
    v[10] = np.mean([np.mean(dF <= (k + 1) * Fmax / nF) for k in range(nF)])
    v[11] = np.mean([np.mean(dT <= (k + 1) * Tmax / nT) for k in range(nT)])
    v[12] = v[10] * v[11]
    return v


def write_frames(sn, work):
    """frames.dump (positions + mask as q), and the K4/K1/K2 forces as dumps, timestep = snapshot index."""
    paths = {k: os.path.join(work, f"{k}.dump") for k in ("frames", "DFT_K4", "DFT_K1", "DFT_K2")}
    for p in paths.values():
        open(p, "w").close()
    for i in range(sn.n):
        s = sn.snap[i]
        H, frac = s["H"], s["s"].frac
        rc.write_dump(paths["frames"], H, frac, {"q": sn.migrating(i).astype(float)}, timestep=i)
        for k in ("DFT_K4", "DFT_K1", "DFT_K2"):
            F = sn.forces(k, i)
            rc.write_dump(paths[k], H, frac, {"fx": F[:, 0], "fy": F[:, 1], "fz": F[:, 2]}, timestep=i)
    return paths


def run_lmp(lmp, work, script):
    with open(os.path.join(work, "in.lmp"), "w") as f:
        f.write(script)
    env = dict(os.environ, OMP_NUM_THREADS="1", LAMMPS_POTENTIALS=os.environ.get("LAMMPS_POTENTIALS", "/usr/share/lammps/potentials"))
    p = subprocess.run([lmp, "-in", "in.lmp", "-log", "log.lammps", "-echo", "none"], cwd=work, env=env,
                       capture_output=True, text=True)
    if p.returncode != 0 or "ERROR:" in p.stdout:
        print(p.stdout[-4000:], p.stderr[-2000:])
        raise SystemExit(1)
    vals = {}
    for m in re.finditer(r"^@@ (\S+) = (\S+)", p.stdout, re.M):
        vals[m.group(1)] = float(m.group(2))
    return vals


def prints(cid):
    return "\n".join(f'print "@@ {cid}.{k + 1} = $(c_{cid}[{k + 1}]:%.15g)"' for k in range(13))


def compare(label, got, want, fails):
    for k in range(13):
        a, b = got[k], want[k]
        if abs(a - b) > 1e-9 * max(1.0, abs(b)):
            fails.append(f"{label}: element {k + 1} ({NAMES[k]}) LAMMPS {a!r} numpy {b!r}")


def main(lmp, plugin):
    work = tempfile.mkdtemp(prefix="reval-si-fe-")
    sn = Snapshots(work)
    paths = write_frames(sn, work)
    first = os.path.join(work, "snap0")
    sn.write_lammps(0, first)
    with open(first + ".data") as f:
        data = f.read().replace("Atoms # atomic", "Atoms # charge")
    # atom_style charge rows: id type q x y z
    lines = data.split("\n")
    out, in_atoms = [], False
    for l in lines:
        if l.startswith("Atoms"):
            in_atoms = True
            out.append(l)
            continue
        w = l.split()
        if in_atoms and len(w) == 5:
            out.append(f"{w[0]} {w[1]} 0.0 {w[2]} {w[3]} {w[4]}")
        else:
            out.append(l)
    with open(first + ".charge.data", "w") as f:
        f.write("\n".join(out))

    computes = []
    for k in ("K1", "K2"):
        for m, mask in (("all", ""), ("mig", " mask v_m")):
            computes.append((f"{k}_{m}", f"compute {k}_{m} all force/error ref file {paths['DFT_K4']} "
                                          f"pred file {paths['DFT_' + k]} accumulate yes{mask}"))
    script = "\n".join([
        f"plugin load {plugin}", "units metal", "atom_style charge", f"read_data {first}.charge.data",
        "pair_style zero 6.0", "pair_coeff * *", "variable m atom q",
        *[c for _, c in computes],
        "compute snap_unused all pe",
        "thermo 1", "thermo_style custom step " + " ".join(f"c_{n}[1]" for n, _ in computes),
        f"rerun {paths['frames']} dump x y z q box yes",
        *[prints(n) for n, _ in computes]]) + "\n"
    vals = run_lmp(lmp, work, script)

    fails = []
    R = {}
    print("model-free check (DFT K1/K2 as prediction, K4 reference, 100 snapshots):")
    for k in ("K1", "K2"):
        for m in ("all", "mig"):
            F = np.concatenate([sn.forces("DFT_K4", i)[(sn.migrating(i) if m == "mig" else slice(None))] for i in range(sn.n)])
            P = np.concatenate([sn.forces("DFT_" + k, i)[(sn.migrating(i) if m == "mig" else slice(None))] for i in range(sn.n)])
            want = metrics(F, P)
            got = [vals[f"{k}_{m}.{j + 1}"] for j in range(13)]
            compare(f"{k} {m}", got, want, fails)
            R[(k, m)] = got
            print(f"  {k} vs K4, {'migrating atoms' if m == 'mig' else 'all atoms'} (N={int(got[0])}): "
                  f"dF>0.5: {100 * got[7]:.2f}%, dtheta>15: {100 * got[8]:.2f}%, dtheta>30: {100 * got[9]:.2f}%, "
                  f"NAC(dF) {got[10]:.4f}, NAC(dtheta) {got[11]:.4f}, P {got[12]:.4f}, RMSE {got[2]:.4f}")
    # The paper's point, on this vacancy set: errors concentrate on the migrating atoms (K1: direction errors
    # > 15 degrees are ~4x as frequent there as over all atoms), and K2 is far closer to K4 than K1.
    # (science.md's ~5% / ~30% figures are for the interstitial set, not this one.) Measured: K1 migrating
    # dF>0.5 1.37%, dtheta>15 20.55%, P 0.8288; all atoms 0.08%, 5.17%, P 0.9044; K2 migrating P 0.9846.
    if not R[("K1", "mig")][8] > 3 * R[("K1", "all")][8]:
        fails.append("K1: direction errors are not concentrated on migrating atoms")
    if not (R[("K1", "mig")][12] < R[("K1", "all")][12] and R[("K2", "mig")][12] > R[("K1", "mig")][12] + 0.1):
        fails.append("P scores: expected P(K1, migrating) < P(K1, all) and P(K2) well above P(K1)")

    # 2. SNAP: rerun accumulated vs snapshot by snapshot
    snap = "pair_style snap\npair_coeff * * Si_Zuo_JPCA2020.snapcoeff Si_Zuo_JPCA2020.snapparam Si"
    script = "\n".join([
        f"plugin load {plugin}", "units metal", "atom_style charge", f"read_data {first}.charge.data", snap,
        f"compute fe all force/error ref file {paths['DFT_K4']} accumulate yes",
        "variable m atom q",
        f"compute fem all force/error ref file {paths['DFT_K4']} accumulate yes mask v_m",
        "thermo 1", "thermo_style custom step pe c_fe[1] c_fem[1]",
        f"dump f all custom 1 {work}/snap_forces.dump id fx fy fz", "dump_modify f sort id format float %.17g",
        f"rerun {paths['frames']} dump x y z q box yes", prints("fe"), prints("fem")]) + "\n"
    vals = run_lmp(lmp, work, script)
    # snapshot by snapshot: each its own LAMMPS system, forces written out, pooled here
    lines = []
    for i in range(sn.n):
        p = os.path.join(work, f"snap{i}")
        sn.write_lammps(i, p)
        lines += ["clear", f"plugin load {plugin}", "units metal", "atom_style atomic", f"read_data {p}.data", snap,
                  f"dump f all custom 1 {p}.forces id fx fy fz", "dump_modify f sort id format float %.17g",
                  "run 0 post no", "undump f"]
    run_lmp(lmp, work, "\n".join(lines) + "\n")
    F = np.concatenate([sn.forces("DFT_K4", i) for i in range(sn.n)])
    P = np.concatenate([np.loadtxt(os.path.join(work, f"snap{i}.forces"), skiprows=9)[:, 1:4] for i in range(sn.n)])
    mig = np.concatenate([sn.migrating(i) for i in range(sn.n)])
    compare("SNAP rerun vs snapshot by snapshot, all", [vals[f"fe.{j + 1}"] for j in range(13)], metrics(F, P), fails)
    compare("SNAP rerun vs snapshot by snapshot, migrating", [vals[f"fem.{j + 1}"] for j in range(13)],
            metrics(F[mig], P[mig]), fails)
    g, gm = [vals[f"fe.{j + 1}"] for j in range(13)], [vals[f"fem.{j + 1}"] for j in range(13)]
    print(f"Si_Zuo_JPCA2020 SNAP vs DFT K4: all atoms RMSE {g[2]:.4f} eV/A, P {g[12]:.4f}; migrating atoms "
          f"RMSE {gm[2]:.4f}, dF>0.5: {100 * gm[7]:.2f}%, dtheta>15: {100 * gm[8]:.2f}%, P {gm[12]:.4f}")
    for f in fails:
        print("FAIL:", f)
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
