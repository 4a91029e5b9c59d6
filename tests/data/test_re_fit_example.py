"""examples/re-fit end to end in its CI-sized variant (run.sh --quick: twojmax 4, 2 ps of MD) on the public
training and test sets in ../shared/data: the six fits, the selection on the vacancy RE test set and the two
MD runs all complete, and their figures are sane (finite RMSEs, P in (0, 1], the interstitial-enhanced
training sets carry RE atoms, a model is selected, both MD runs report their interstitial statistics).
The full experiment (twojmax 8, 40 ps) is `bash examples/re-fit/run.sh` (README there).
Usage: test_re_fit_example.py LMP PLUGIN  (exit 77 = skipped: no shared data)"""
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "examples", "re-fit"))
import summary  # noqa: E402

MODELS = ["mlearn-linear", "mlearn-quadratic", "inter-linear", "inter-linear-re", "inter-quadratic", "inter-quadratic-re"]


def main(lmp, plugin):
    shared = os.environ.get("REVAL_SHARED_DATA", os.path.join(REPO, "..", "shared", "data"))
    if not os.path.isdir(os.path.join(shared, "si-training")) or not os.path.isdir(os.path.join(shared, "si-re-vacancy")):
        print(f"skipped: no si-training / si-re-vacancy under {shared}")
        return 77
    build = os.path.dirname(os.path.abspath(plugin))
    run = tempfile.mkdtemp(prefix="reval-re-fit-")
    env = dict(os.environ, REVAL_BUILD_DIR=build, REVAL_SHARED_DATA=shared, RE_FIT_RUN=run, LMP=lmp,
               OMP_NUM_THREADS="1")
    p = subprocess.run(["bash", os.path.join(REPO, "examples", "re-fit", "run.sh"), "--quick"], env=env,
                       capture_output=True, text=True)
    print(p.stdout[-6000:], p.stderr[-3000:])
    if p.returncode != 0:
        print(f"FAIL: run.sh --quick exited with {p.returncode}")
        return 1
    bad = []
    for m in MODELS:
        x = summary.metrics(os.path.join(run, m + ".md"))
        f = float(x["f_test"])
        if not 0.0 < f < 1.0:
            bad.append(f"{m}: testing force RMSE {f}")
        if m.startswith("inter") and (int(x["n_re"]) < 100 or not 0.0 < float(x["p_re_train"]) <= 1.0):
            bad.append(f"{m}: {x['n_re']} RE atoms, P {x['p_re_train']}")
        for ext in (".snapcoeff", ".snapparam"):
            if not os.path.isfile(os.path.join(run, m + ext)):
                bad.append(f"{m}{ext} missing")
    rows, selected = summary.selection(os.path.join(run, "selection.md"))
    if sorted(rows) != sorted(MODELS):
        bad.append(f"selection lists {sorted(rows)}")
    for m, r in rows.items():
        pre = float(r["P RE vacancy-RE"])
        if not 0.0 < pre <= 1.0:
            bad.append(f"{m}: P on the vacancy RE atoms {pre}")
    if selected not in MODELS:
        bad.append(f"selected '{selected}'")
    mds = [d for d in os.listdir(run) if d.startswith("md-")]
    if len(mds) != 2:
        bad.append(f"MD runs: {mds}")
    for d in mds:
        v = summary.md(os.path.join(run, d, "screen.txt"))
        fr = sum(float(v.get(k, "nan")) for k in ("split", "tetrahedral", "hexagonal", "other"))
        if abs(fr - 1.0) > 1e-3 or int(float(v.get("samples", "0"))) < 20:
            bad.append(f"{d}: interstitial fractions sum {fr}, samples {v.get('samples')}")
    for b in bad:
        print("FAIL:", b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
