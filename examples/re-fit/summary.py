#!/usr/bin/python3
"""Tables 6a-6d of examples/re-fit from the files run.sh wrote in RUN (metrics of reval-fit, selection.md of
tools/reval_select.py, the MD runs' screen output).   usage: summary.py RUN MODEL..."""
import os
import re
import sys


def cells(line):
    return [c.strip() for c in line.strip().strip("|").split("|")]


def metrics(path):
    """(energy RMSE, force RMSE) of the pooled testing set and P on the pooled training RE atoms."""
    out = {"e_test": "-", "f_test": "-", "p_re_train": "-", "n_re": "0"}
    if not os.path.isfile(path):
        return out
    section = ""
    for line in open(path):
        if line.startswith("## "):
            section = line
        c = cells(line) if line.startswith("|") else []
        if len(c) > 2 and c[0] == "**all**":
            if "Energies" in section and c[1] == "testing":
                out["e_test"], out["f_test"] = c[4], c[5]
            if "Rare-event" in section and c[1] == "training":
                out["n_re"], out["p_re_train"] = c[2], c[-1]
    return out


def selection(path):
    rows, head, selected = {}, None, ""
    for line in open(path):
        if line.startswith("| model"):
            head = cells(line)
        elif line.startswith("|") and head and not line.startswith("|---"):
            c = cells(line)
            rows[c[0]] = dict(zip(head, c))
        elif line.startswith("selected:"):
            selected = line.split(":", 1)[1].strip()
    return rows, selected


def md(path):
    vals = {}
    if os.path.isfile(path):
        for line in open(path):
            m = re.match(r"@@ (\w+) = (\S+)", line)
            if m:
                vals[m.group(1)] = m.group(2)
    return vals


def main():
    run, models = sys.argv[1], sys.argv[2:]
    names = (["Si_Zuo_JPCA2020"] if os.path.isfile(os.path.join(run, "Si_Zuo_JPCA2020.md")) else []) + models
    print("# examples/re-fit results\n")
    print("## 6a, 6b: fits (reval-fit metrics; testing = the mlearn-Si test set, RE = migrating atoms of the "
          "interstitial RE snapshots, training)\n")
    print("| model | energy RMSE test (eV/atom) | force RMSE test (eV/A) | RE atoms (training) | P on RE atoms (training) |")
    print("|---|---|---|---|---|")
    for m in names:
        x = metrics(os.path.join(run, m + ".md"))
        print(f"| {m} | {x['e_test']} | {x['f_test']} | {x['n_re']} | {x['p_re_train']} |")
    rows, selected = selection(os.path.join(run, "selection.md"))
    print("\n## 6c: the vacancy RE test set (authors' migrating atoms), ranked by tools/reval_select.py\n")
    keys = [k for k in next(iter(rows.values())).keys()] if rows else []
    print("| " + " | ".join(keys) + " |")
    print("|" + "---|" * len(keys))
    for r in rows.values():
        print("| " + " | ".join(r[k] for k in keys) + " |")
    print(f"\nselected: {selected}\n")
    print("## 6d: MD of a self-interstitial (examples/si-interstitial/in.si-interstitial, fix re/stats)\n")
    print("| model | time (ps) | hops | N_eff | D (A^2/ps) | sigma_D | split-<110> | tetrahedral | hexagonal | other |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for d in sorted(x for x in os.listdir(run) if x.startswith("md-")):
        v = md(os.path.join(run, d, "screen.txt"))
        t = max(0.0, float(v.get("samples", "0")) - 1) * 0.1    # samples every 0.1 ps from t = 0
        print(f"| {d[3:]} | {t:.1f} | {v.get('hops', '-')} | {v.get('N_eff', '-')} | {v.get('D', '-')} | "
              f"{v.get('sigma_D', '-')} | {v.get('split', '-')} | {v.get('tetrahedral', '-')} | {v.get('hexagonal', '-')} | "
              f"{v.get('other', '-')} |")


if __name__ == "__main__":
    main()
