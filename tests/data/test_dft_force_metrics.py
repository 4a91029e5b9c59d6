"""examples/re-force-metrics, DFT variant, on the public Si vacancy rare-event set: runs prepare_dft.py and
in.dft-force-metrics (-var dump yes) in a temporary folder and checks what the example prints against an
independent numpy computation over the same atoms:

* the migrating flags (compute re/atom on the ideal diamond sites of each snapshot's cell, sites from a
  custom lattice that follows the box through 'rerun ... box yes') equal numpy's flags from the POSCAR
  fractional coordinates (compute re/atom's default rule, pairs any: d2 - d1 < 0.75 A), atom by atom;
* per snapshot, the vacancies (no atom within 1.1 A), doubly occupied sites and off-site atoms of the
  thermo table equal numpy's counts, and sites - atoms = 1 balances in every snapshot;
* the printed P scores and RMSEs (all atoms, migrating atoms) equal metrics() of
  test_si_re_vacancy_force_error.py on the SNAP forces of the rerun and the DFT K4 forces of DATA.json
  (rotated to the LAMMPS frame here, not read from the converted dump) to 1e-9.
It also prints how REVAL's flags compare with the authors' labels (r == 0) and P over the authors' labels.
Skips (77) when the data are absent. Usage: test_dft_force_metrics.py LMP PLUGIN"""
import os
import re
import subprocess
import sys
import tempfile

import numpy as np

from si_re_vacancy import SKIP, Snapshots, data_dir
from test_si_re_vacancy_force_error import metrics

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLE = os.path.normpath(os.path.join(HERE, "..", "..", "examples", "re-force-metrics"))
TOL = 1e-9
DRE, RVAC = 0.75, 1.1


def run(cmd, cwd):
    env = dict(os.environ, OMP_NUM_THREADS="1",
               LAMMPS_POTENTIALS=os.environ.get("LAMMPS_POTENTIALS", "/usr/share/lammps/potentials"))
    p = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    if p.returncode == SKIP:
        print(p.stdout, p.stderr)
        sys.exit(SKIP)
    if p.returncode != 0 or "ERROR" in p.stdout:
        print(" ".join(cmd), "failed:", p.returncode, p.stdout[-4000:], p.stderr[-2000:])
        sys.exit(1)
    return p.stdout


def read_frames(path, ncol):
    """dump with 'id a b c ...' rows: list of (timestep, rows sorted by id)."""
    out = []
    with open(path) as f:
        lines = f.read().split("\n")
    i = 0
    while i < len(lines):
        if lines[i].startswith("ITEM: TIMESTEP"):
            step, n = int(lines[i + 1]), int(lines[i + 3])
            rows = np.array([[float(v) for v in l.split()] for l in lines[i + 9:i + 9 + n]])
            assert rows.shape[1] == ncol, f"{path}: {rows.shape[1]} columns, expected {ncol}"
            out.append((step, rows[np.argsort(rows[:, 0])]))
            i += 9 + n
        else:
            i += 1
    return out


def site_analysis(H, frac_atoms, frac_sites):
    """numpy: migrating flags and (vacancies, doubly occupied, off-site) of one snapshot."""
    def dist(fa, fb):
        d = fa[:, None, :] - fb[None, :, :]
        d -= np.round(d)
        return np.linalg.norm(d @ H, axis=2)
    da = dist(frac_atoms, frac_sites)
    order = np.argsort(da, axis=1)
    s1, s2 = order[:, 0], order[:, 1]
    n = np.arange(len(da))
    d1, d2 = da[n, s1], da[n, s2]
    mig = d2 - d1 < DRE    # compute re/atom's default, pairs any (the example does not set pairs)
    occ = (da < RVAC).sum(axis=0)
    return mig, (int((occ == 0).sum()), int((occ >= 2).sum()), int((da.min(axis=1) >= RVAC).sum()))


def main(lmp, plugin):
    d = data_dir()                       # exits 77 when absent
    work = tempfile.mkdtemp(prefix="reval-dft-fm-")
    run([sys.executable, os.path.join(EXAMPLE, "prepare_dft.py"), "--data", d, "--out", work], work)
    out = run([lmp, "-in", os.path.join(EXAMPLE, "in.dft-force-metrics"), "-var", "plugin", plugin,
               "-var", "dump", "yes", "-log", "log.lammps"], work)
    vals = {m.group(1): float(m.group(2)) for m in re.finditer(r"^@@ (\S+) = (\S+)", out, re.M)}
    thermo = []
    t = False
    for line in out.split("\n"):
        if line.split()[:3] == ["Step", "PotEng", "c_sites[1]"]:   # header, aligned differently by version
            t = True
        elif line.startswith("Loop time"):
            t = False
        elif t and len(line.split()) == 8:
            thermo.append([float(v) for v in line.split()])
    thermo = np.array(thermo)

    sn = Snapshots(os.path.join(work, "raw"))
    sites = sn.ideal_sites_frac()
    frames = read_frames(os.path.join(work, "dft-snap.dump"), 5)
    fails = []
    if [s for s, _ in frames] != list(range(sn.n)) or len(thermo) != sn.n:
        fails.append(f"expected snapshots 0..{sn.n - 1} in dft-snap.dump and the thermo table, got "
                     f"{len(frames)} and {len(thermo)}")
        frames = frames[:0]
    F, P, ours, theirs = [], [], [], []
    flag_mismatch, count_mismatch, unbalanced, nvac = 0, 0, 0, []
    for i, rows in frames:
        s = sn.snap[i]
        mig, counts = site_analysis(s["H"], s["s"].frac, sites)
        lmp_mig = rows[:, 4] > 0.5
        flag_mismatch += int(np.sum(mig != lmp_mig))
        if tuple(int(v) for v in thermo[i, [2, 3, 4]]) != counts or int(thermo[i, 5]) != int(mig.sum()):
            count_mismatch += 1
        vac, dbl, off = counts
        unbalanced += (vac - off + dbl) != 1
        nvac.append(vac)
        F.append(sn.forces("DFT_K4", i))      # DATA.json forces rotated here, not read from dft-forces.dump
        P.append(rows[:, 1:4])
        ours.append(mig)
        theirs.append(sn.migrating(i))
    if flag_mismatch:
        fails.append(f"{flag_mismatch} migrating flags of compute re/atom differ from numpy's")
    if count_mismatch:
        fails.append(f"{count_mismatch} snapshots where vacancies/doubly/off-site/migrating differ from numpy's")
    if unbalanced:
        fails.append(f"{unbalanced} snapshots where vacancies - off-site + doubly != 64 sites - 63 atoms")
    if fails:
        for f in fails:
            print("FAIL:", f)
        return 1
    F, P = np.concatenate(F), np.concatenate(P)
    ours, theirs = np.concatenate(ours), np.concatenate(theirs)

    want_all, want_mig = metrics(F, P), metrics(F[ours], P[ours])
    checks = [("frames", sn.n), ("migrating", ours.sum()), ("P_all", want_all[12]),
              ("P_migrating", want_mig[12]), ("rmse_all", want_all[2]), ("rmse_migrating", want_mig[2])]
    for name, want in checks:
        got = vals.get(name)
        if got is None or abs(got - want) > TOL:
            fails.append(f"{name}: printed {got!r}, numpy {want!r}")
    for f, v, cid in (("report-dft-all.txt", want_all, "all"), ("report-dft-migrating.txt", want_mig, "mig")):
        txt = open(os.path.join(work, f)).read()
        m = re.search(r"^P score = NAC\(dF\) \* NAC\(dtheta\)\s+(\S+)", txt, re.M)
        if not m or abs(float(m.group(1)) - v[12]) > 1e-5:
            fails.append(f"{f}: P score {m.group(1) if m else 'missing'}, numpy {v[12]:.6f}")

    tp, fp, fn = int(np.sum(ours & theirs)), int(np.sum(ours & ~theirs)), int(np.sum(~ours & theirs))
    auth = metrics(F[theirs], P[theirs])
    both = metrics(F[ours & theirs], P[ours & theirs])
    print(f"SNAP vs DFT K4, {sn.n} snapshots: P all {vals['P_all']:.4f} (RMSE {vals['rmse_all']:.4f}), "
          f"P migrating (REVAL flags, {int(ours.sum())} samples) {vals['P_migrating']:.4f} "
          f"(RMSE {vals['rmse_migrating']:.4f}); numpy agrees to {TOL:g}")
    print(f"vacancies per snapshot (rvac {RVAC}): {np.bincount(nvac).tolist()} (index = count); "
          f"sites - atoms balance 1 in all {sn.n}")
    print(f"REVAL flags vs authors' labels (r == 0, {int(theirs.sum())} samples): both {tp}, REVAL only {fp}, "
          f"authors only {fn}; precision {tp / max(tp + fp, 1):.3f}, recall {tp / max(tp + fn, 1):.3f}")
    print(f"P over the authors' migrating atoms {auth[12]:.4f} (dF>0.5 {100 * auth[7]:.1f}%, dtheta>15 "
          f"{100 * auth[8]:.1f}%), over the atoms both flag {both[12]:.4f}")
    if not want_mig[12] < want_all[12]:
        fails.append("expected a lower P on the migrating atoms than over all atoms")
    for f in fails:
        print("FAIL:", f)
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
