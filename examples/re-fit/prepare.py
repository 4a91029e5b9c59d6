#!/usr/bin/python3
"""Training and validation data of examples/re-fit from the public sets in ../shared/data (see README.md):

  data/<group>.xyz          mlearn-Si training set, one file per group (AIMD-NVT, Elastic, Surface, Vacancy)
  data/test-<group>.xyz     mlearn-Si test set, the same groups
  data/inter-re.xyz         Interstitial-enhanced set of Liu, He & Mo: its 120 rare-event (RE) snapshots
                            (65-atom 2x2x2 diamond supercells with an interstitial)
  data/inter-base.xyz       the other 99 configurations of that set (the original kinds of cells)
  data/vacancy-re.xyz       the vacancy RE test set (100 snapshots, 63 atoms) with the authors' per-atom
                            RE labels (column re), for the selection step (tools/reval_select.py)

usage: prepare.py [--shared DIR] [--out DIR]     (DIR defaults: ../../../shared/data, ./data)
"""
import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools"))
import reval_convert as rc  # noqa: E402


def write(path, frames, info_key):
    with open(path, "w") as f:
        for fr in frames:
            rc.write_extxyz(f, fr["cell"], fr["pos"], fr["species"], fr["forces"], fr["energy"],
                            {info_key: fr.get("group", fr.get("name", ""))}, {"re": fr["re"]} if "re" in fr else None)
    return len(frames)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default=os.path.join(HERE, "..", "..", "..", "shared", "data"))
    ap.add_argument("--out", default=os.path.join(HERE, "data"))
    a = ap.parse_args()
    tr = os.path.join(a.shared, "si-training")
    if not os.path.isdir(tr) or not os.path.isdir(os.path.join(a.shared, "si-re-vacancy")):
        sys.exit(f"prepare.py: {a.shared} does not hold si-training/ and si-re-vacancy/")
    os.makedirs(a.out, exist_ok=True)
    for prefix, name in (("", "training.json"), ("test-", "test.json")):
        groups = {}
        for fr in rc.read_mlearn(os.path.join(tr, "mlearn-Si", name)):
            groups.setdefault(fr["group"], []).append(fr)
        for g, frs in sorted(groups.items()):
            n = write(os.path.join(a.out, f"{prefix}{g}.xyz"), frs, "config_type")
            print(f"{prefix}{g}.xyz: {n} configurations")
    inter = os.path.join(tr, "Interstitial-enhanced_Training_Set")
    frames = list(rc.read_poscar_set(os.path.join(inter, "structure_poscars.zip"), os.path.join(inter, "DATA.json")))
    # the RE snapshots: 65 atoms (64 sites + 1 interstitial) in a near-cubic 2x2x2 supercell
    def is_re(fr):
        c = fr["cell"]
        lengths = [sum(v * v for v in row) ** 0.5 for row in c]
        return len(fr["species"]) == 65 and all(abs(x - 10.95) < 0.1 for x in lengths)
    re_frames = [fr for fr in frames if is_re(fr)]
    base = [fr for fr in frames if not is_re(fr)]
    print(f"inter-re.xyz: {write(os.path.join(a.out, 'inter-re.xyz'), re_frames, 'source')} configurations")
    print(f"inter-base.xyz: {write(os.path.join(a.out, 'inter-base.xyz'), base, 'source')} configurations")
    vac = os.path.join(a.shared, "si-re-vacancy")
    vframes = list(rc.read_poscar_set(os.path.join(vac, "structure_poscars.zip"), os.path.join(vac, "DATA.json"),
                                      re_labels=True))
    print(f"vacancy-re.xyz: {write(os.path.join(a.out, 'vacancy-re.xyz'), vframes, 'source')} configurations")


if __name__ == "__main__":
    main()
