"""compute vacancy/sites + re/atom on the public Si vacancy rare-event set: agreement with the authors'
migrating-atom flags (precision, recall) and vacancy lists. Levels reached are asserted so that
regressions fail. Usage: test_si_re_vacancy_sites.py LMP PLUGIN"""
import os
import subprocess
import sys
import tempfile

import numpy as np

from si_re_vacancy import Snapshots

# levels measured with this implementation (see the closing note of the issue); a regression fails
MIN_PRECISION = 0.95   # measured 0.958
MIN_RECALL = 0.93      # measured 0.938
MIN_VACANCY_MATCH = 1.0   # measured 1.000


def main(lmp, plugin):
    work = tempfile.mkdtemp(prefix="reval-si-re-")
    sn = Snapshots(work)
    lines = []
    for i in range(sn.n):
        p = os.path.join(work, f"snap{i}")
        sn.write_lammps(i, p)
        lines += ["clear", f"plugin load {plugin}", "units metal", "atom_style atomic", f"read_data {p}.data",
                  "pair_style zero 6.0", "pair_coeff * *", "comm_modify cutoff 8.0",
                  f"compute s all vacancy/sites sites file {p}.sites", "compute re all re/atom s",
                  f"dump d all custom 1 {p}.re id c_re[1] c_re[2] c_re[3] c_re[4] c_re[5]",
                  "dump_modify d sort id format float %.10g",
                  f"dump v all local 1 {p}.vac c_s[1] c_s[2] c_s[3] c_s[4]", "run 0 post no", "undump d", "undump v"]
    with open(os.path.join(work, "in.lmp"), "w") as f:
        f.write("\n".join(lines) + "\n")
    env = dict(os.environ, OMP_NUM_THREADS="1")
    out = subprocess.run([lmp, "-in", "in.lmp", "-log", "none", "-echo", "none", "-screen", "none"], cwd=work,
                         env=env, capture_output=True, text=True)
    if out.returncode != 0:
        print(out.stdout[-3000:], out.stderr[-3000:])
        return 1

    tp = fp = fn = tn = 0
    nvac = nmatched = 0
    per_snapshot_ok = 0
    for i in range(sn.n):
        p = os.path.join(work, f"snap{i}")
        re = np.loadtxt(p + ".re", skiprows=9)
        ours = re[np.argsort(re[:, 0]), 1] > 0.5
        theirs = sn.migrating(i)
        tp += np.sum(ours & theirs)
        fp += np.sum(ours & ~theirs)
        fn += np.sum(~ours & theirs)
        tn += np.sum(~ours & ~theirs)
        per_snapshot_ok += np.array_equal(ours, theirs)
        vac = np.atleast_2d(np.loadtxt(p + ".vac", skiprows=9))
        H = sn.snap[i]["H"]
        theirs_frac = sn.snap[i]["vac_frac"]
        for row in vac:
            if row.size < 4:
                continue
            nvac += 1
            f = np.linalg.solve(H.T, row[1:4])
            d = f - theirs_frac
            d -= np.round(d)
            dist = np.linalg.norm(d @ H, axis=1).min()
            nmatched += dist < 0.5
    precision = tp / max(tp + fp, 1)
    recall = tp / max(tp + fn, 1)
    agree = (tp + tn) / (tp + tn + fp + fn)
    match = nmatched / max(nvac, 1)
    print(f"snapshots: {sn.n}; atoms: {tp + tn + fp + fn}; authors' migrating atoms: {tp + fn}; ours: {tp + fp}")
    print(f"migrating-atom flags: precision {precision:.4f}, recall {recall:.4f}, "
          f"per-atom agreement {agree:.4f}, snapshots identical {per_snapshot_ok}/{sn.n}")
    print(f"vacancies found: {nvac} ({nvac / sn.n:.2f} per snapshot); in the authors' lists: {match:.4f}")
    ok = precision >= MIN_PRECISION and recall >= MIN_RECALL and match >= MIN_VACANCY_MATCH
    if not ok:
        print(f"FAIL: below the asserted levels (precision >= {MIN_PRECISION}, recall >= {MIN_RECALL}, "
              f"vacancy match >= {MIN_VACANCY_MATCH})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
