"""compute vacancy/sites + re/atom on the public Si vacancy rare-event set: agreement with the authors'
migrating-atom flags (precision, recall) under both migrating rules (pairs any = default, the authors'
rule; pairs neighbours) and vacancy lists. Levels reached are asserted so that regressions fail.
Usage: test_si_re_vacancy_sites.py LMP PLUGIN"""
import os
import subprocess
import sys
import tempfile

import numpy as np

from si_re_vacancy import Snapshots

# levels measured with this implementation (see the closing note of issue 13); a regression fails
MIN_LEVELS = {  # rule: (precision, recall)
    "any": (0.95, 0.94),          # measured 0.9583, 0.9452 (138 of 146 labelled atoms, 6 extra)
    "neighbours": (0.95, 0.93),   # measured 0.9580, 0.9384 (137 of 146 labelled atoms, 6 extra)
}
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
                  "compute rn all re/atom s pairs neighbours",
                  f"dump d all custom 1 {p}.re id c_re[1] c_rn[1] c_re[2] c_re[3] c_re[4] c_re[5]",
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

    counts = {rule: [0, 0, 0, 0] for rule in MIN_LEVELS}   # tp fp fn tn
    identical = {rule: 0 for rule in MIN_LEVELS}
    nvac = nmatched = 0
    for i in range(sn.n):
        p = os.path.join(work, f"snap{i}")
        re = np.loadtxt(p + ".re", skiprows=9)
        re = re[np.argsort(re[:, 0])]
        theirs = sn.migrating(i)
        for rule, col in (("any", 1), ("neighbours", 2)):
            ours = re[:, col] > 0.5
            c = counts[rule]
            c[0] += np.sum(ours & theirs)
            c[1] += np.sum(ours & ~theirs)
            c[2] += np.sum(~ours & theirs)
            c[3] += np.sum(~ours & ~theirs)
            identical[rule] += np.array_equal(ours, theirs)
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
    ok = True
    recall = {}
    for rule, (tp, fp, fn, tn) in counts.items():
        precision = tp / max(tp + fp, 1)
        recall[rule] = tp / max(tp + fn, 1)
        agree = (tp + tn) / (tp + tn + fp + fn)
        print(f"pairs {rule}: snapshots {sn.n}; atoms {tp + tn + fp + fn}; authors' migrating atoms {tp + fn}; "
              f"ours {tp + fp}")
        print(f"    migrating-atom flags: precision {precision:.4f}, recall {recall[rule]:.4f}, "
              f"per-atom agreement {agree:.4f}, snapshots identical {identical[rule]}/{sn.n}")
        pmin, rmin = MIN_LEVELS[rule]
        if precision < pmin or recall[rule] < rmin:
            print(f"FAIL: pairs {rule} below the asserted levels (precision >= {pmin}, recall >= {rmin})")
            ok = False
    # the authors' rule also flags their atoms near tetrahedral sites, which the neighbour rule misses
    if recall["any"] <= recall["neighbours"]:
        print("FAIL: pairs any should recover more of the authors' migrating atoms than pairs neighbours")
        ok = False
    match = nmatched / max(nvac, 1)
    print(f"vacancies found: {nvac} ({nvac / sn.n:.2f} per snapshot); in the authors' lists: {match:.4f}")
    if match < MIN_VACANCY_MATCH:
        print(f"FAIL: vacancy match below {MIN_VACANCY_MATCH}")
        ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
