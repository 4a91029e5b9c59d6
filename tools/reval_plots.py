#!/usr/bin/python3
"""Publication plots of REVAL outputs (Debian's matplotlib).

    reval_plots.py cdf REPORT[:LABEL] ... -o cdf.png
        CDFs of the force magnitude error dF and direction error dtheta from compute force/error
        reports ('file' keyword), one curve per report, NAC in the legend.
    reval_plots.py itypes STATS[:LABEL] ... -o itypes.png
        occurrence of interstitial types from fix re/stats 'file' outputs (grouped bars, one group per file).
    reval_plots.py calibration DUMP -o calibration.png [--sigma COL] [--error COL] [--mask COL]
        ensemble uncertainty sigma vs the actual error |P - F| from a per-atom dump (default columns
        'sigma' and 'c_fe[3]'): scatter, binned mean error, the line |e| = sigma; fraction |e| <= sigma,
        Spearman rho and mean |e| / mean sigma in the title; with --mask (e.g. c_re[1]) the atoms with
        a nonzero value (migrating atoms) are highlighted and summarized apart.
    reval_plots.py rsrv DUMP ... -o rsrv.png [--rs COL] [--rv COL] [--rmax R]
        2-D distribution of r_s (distance to the nearest site) and r_v (distance to the nearest vacancy)
        of the atoms near vacancies (r_v < rmax), from per-atom dumps of compute re/atom (default
        columns 'c_re[2]' and 'c_re[3]'): the vibration analysis of Liu, He & Mo (2023).
"""
import argparse
import os
import sys

import numpy as np

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

ANGSTROM = "\u00c5"


def _labelled(items):
    out = []
    for it in items:
        path, _, label = it.partition(":")
        out.append((path, label or os.path.splitext(os.path.basename(path))[0]))
    return out


# ---------------------------------------------------------------- readers

def read_report(path):
    """compute force/error report: {'values': {label: value}, 'cdf_dF': (edges, cdf), 'cdf_dtheta': ...}"""
    values, tables, current = {}, {}, None
    with open(path) as f:
        for line in f:
            s = line.rstrip("\n")
            if s.startswith("# CDF of dF"):
                current = "cdf_dF"
                tables[current] = []
            elif s.startswith("# CDF of dtheta"):
                current = "cdf_dtheta"
                tables[current] = []
            elif s.startswith("#") or not s.strip():
                continue
            elif current:
                a, b = s.split()
                tables[current].append((float(a), float(b)))
            else:
                label, value = s[:34].strip(), s[34:].strip()
                try:
                    values[label] = float(value.split()[0])
                except (ValueError, IndexError):
                    pass
    if "cdf_dF" not in tables or "cdf_dtheta" not in tables:
        raise ValueError(f"{path}: not a compute force/error report (no CDF tables)")
    return {"values": values, **{k: np.array(v) for k, v in tables.items()}}


def read_stats(path):
    """fix re/stats file: header labels and per-sample rows."""
    header, rows = None, []
    with open(path) as f:
        for line in f:
            if line.startswith("# fix re/stats"):
                header = line.split(":", 1)[1].split()
            elif line.strip() and not line.startswith("#"):
                rows.append([float(v) for v in line.split()])
    if header is None or not rows:
        raise ValueError(f"{path}: not a fix re/stats file (header and samples expected)")
    return header, np.array(rows)


def read_dump_columns(path, wanted):
    """All frames of a LAMMPS text dump: {column: concatenated values}."""
    out = {w: [] for w in wanted}
    with open(path) as f:
        lines = f.readlines()
    i = 0
    while i < len(lines):
        if lines[i].startswith("ITEM: NUMBER OF ATOMS"):
            n = int(lines[i + 1])
        if lines[i].startswith("ITEM: ATOMS"):
            cols = lines[i].split()[2:]
            for w in wanted:
                if w not in cols:
                    raise ValueError(f"{path}: no column '{w}' (columns: {' '.join(cols)})")
            idx = [cols.index(w) for w in wanted]
            for r in range(n):
                vals = lines[i + 1 + r].split()
                for w, k in zip(wanted, idx):
                    out[w].append(float(vals[k]))
            i += n
        i += 1
    return {w: np.array(v) for w, v in out.items()}


# ---------------------------------------------------------------- plots


def plot_cdf(items, out):
    fig, axes = plt.subplots(1, 2, figsize=(9.0, 3.8), dpi=150)
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for n, (path, label) in enumerate(_labelled(items)):
        r = read_report(path)
        v = r["values"]
        c = colors[n % len(colors)]
        for ax, key, nac in ((axes[0], "cdf_dF", "NAC(dF)"), (axes[1], "cdf_dtheta", "NAC(dtheta)")):
            edges, cdf = r[key][:, 0], r[key][:, 1]
            extra = ""
            if key == "cdf_dtheta":
                extra = (f", P = {v.get('P score = NAC(dF) * NAC(dtheta)', float('nan')):.3f}, "
                         f"N = {int(v.get('atoms counted', 0))}")
            ax.step(np.concatenate([[0.0], edges]), np.concatenate([[0.0], cdf]), where="pre", color=c,
                    label=f"{label}: NAC {v.get(nac, float('nan')):.3f}{extra}")
    axes[0].set_xlabel(f"force magnitude error $\\Delta F$ (eV/{ANGSTROM})")
    axes[1].set_xlabel("force direction error $\\Delta\\theta$ (degrees)")
    for ax in axes:
        ax.set_ylabel("cumulative fraction of atoms")
        ax.set_ylim(0, 1.02)
        ax.grid(alpha=0.3)
        ax.legend(frameon=False, fontsize=7.5, loc="best")
    axes[0].set_title("magnitude")
    axes[1].set_title("direction")
    fig.tight_layout()
    fig.savefig(out)
    plt.close(fig)


def plot_itypes(items, out):
    groups = []
    for path, label in _labelled(items):
        header, rows = read_stats(path)
        k = header.index("interstitials")
        types = header[k + 1:]
        if not types:
            raise ValueError(f"{path}: the fix classified no interstitial types (itypes none)")
        with_int = rows[:, k] > 0
        n = max(with_int.sum(), 1)
        frac = rows[:, k + 1:].sum(axis=0) / n
        groups.append((label, types, frac, int(with_int.sum())))
    types = groups[0][1]
    fig, ax = plt.subplots(figsize=(6.0, 3.8), dpi=150)
    width = 0.8 / len(groups)
    x = np.arange(len(types))
    for g, (label, _, frac, n) in enumerate(groups):
        bars = ax.bar(x + (g - (len(groups) - 1) / 2) * width, 100 * frac, width, label=f"{label} ({n} samples)")
        for b, v in zip(bars, frac):
            ax.annotate(f"{100 * v:.0f}", (b.get_x() + b.get_width() / 2, b.get_height()), ha="center",
                        va="bottom", fontsize=7)
    nice = {"split-110": "split-<110>", "tetrahedral": "tetrahedral", "hexagonal": "hexagonal", "other": "other"}
    ax.set_xticks(x)
    ax.set_xticklabels([nice.get(t, t) for t in types])
    ax.set_ylabel("occurrence (% of samples with an interstitial)")
    ax.set_ylim(0, 110)
    ax.legend(frameon=False, fontsize=8)
    ax.grid(alpha=0.3, axis="y")
    fig.tight_layout()
    fig.savefig(out)
    plt.close(fig)


def spearman(x, y):
    def ranks(v):
        order = np.argsort(v, kind="mergesort")
        r = np.empty(len(v))
        r[order] = np.arange(1, len(v) + 1)
        for val in np.unique(v):    # average ranks of ties
            m = v == val
            if m.sum() > 1:
                r[m] = r[m].mean()
        return r
    rx, ry = ranks(np.asarray(x)), ranks(np.asarray(y))
    return float(np.corrcoef(rx, ry)[0, 1]) if len(x) > 1 else 0.0


def plot_calibration(path, out, sig_col, err_col, nbins=12, mask_col=None, mask_label="masked atoms"):
    """sigma vs |error| per atom sample. With mask_col, the samples with a nonzero value in that column
    (e.g. migrating atoms, c_re[1]) are drawn on top in another colour and summarized apart.
    Returns ((within, rho, mean_err, mean_sig, n), same for the masked samples or None)."""
    cols = [sig_col, err_col] + ([mask_col] if mask_col else [])
    d = read_dump_columns(path, cols)
    s, e = d[sig_col], d[err_col]
    keep = s > 0
    m = (d[mask_col] != 0)[keep] if mask_col else None
    s, e = s[keep], e[keep]
    if len(s) == 0:
        raise ValueError(f"{path}: no atoms with sigma > 0")

    def summary(ss, ee):
        return (float(np.mean(ee <= ss)), spearman(ss, ee), float(ee.mean()), float(ss.mean()), len(ss))

    res = summary(s, e)
    res_m = summary(s[m], e[m]) if m is not None and m.any() else None
    fig, ax = plt.subplots(figsize=(5.4, 5.0), dpi=150)
    alpha = float(np.clip(400.0 / len(s), 0.08, 0.5))
    ax.scatter(s, e, s=4, alpha=alpha, color="tab:gray", lw=0,
               label=f"all atom samples (N = {res[4]})")
    if res_m:
        ax.scatter(s[m], e[m], s=9, alpha=0.8, color="tab:orange", lw=0,
                   label=f"{mask_label} (N = {res_m[4]}): {100 * res_m[0]:.0f}% within, $\\rho$ = {res_m[1]:.2f}")
    edges = np.unique(np.quantile(s, np.linspace(0, 1, nbins + 1)))
    mid, mean, sem = [], [], []
    for a, b in zip(edges[:-1], edges[1:]):
        sel = (s >= a) & (s <= b)
        if sel.any():
            mid.append(s[sel].mean())
            mean.append(e[sel].mean())
            sem.append(e[sel].std() / np.sqrt(sel.sum()))
    ax.errorbar(mid, mean, yerr=sem, fmt="o-", ms=4, color="tab:red", capsize=2,
                label="mean $|\\varepsilon|$ in bins of $\\sigma$")
    lim = float(max(s.max(), e.max())) * 1.05
    ax.plot([0, lim], [0, lim], "k--", lw=1, label="$|\\varepsilon| = \\sigma$")
    ax.set_xlim(0, lim)
    ax.set_ylim(0, lim)
    ax.set_aspect("equal")
    ax.set_xlabel(f"ensemble uncertainty $\\sigma_F$ (eV/{ANGSTROM})")
    ax.set_ylabel(f"actual error $|\\mathbf{{P}} - \\mathbf{{F}}|$ (eV/{ANGSTROM})")
    ax.set_title(f"{100 * res[0]:.1f}% within $\\sigma$, Spearman $\\rho$ = {res[1]:.2f}; "
                 f"mean $|\\varepsilon|$ / mean $\\sigma$ = {res[2] / res[3]:.2f}", fontsize=9.5)
    leg = ax.legend(frameon=True, framealpha=0.85, edgecolor="none", fontsize=8, loc="lower right")
    for h in getattr(leg, "legend_handles", getattr(leg, "legendHandles", [])):
        h.set_alpha(1.0)           # faint scatter points, visible legend markers
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(out)
    plt.close(fig)
    return res, res_m


def plot_rsrv(paths, out, rs_col, rv_col, rmax, shells=()):
    """2-D histogram of r_s (distance to the nearest site) against r_v (distance to the nearest vacancy) of
    the atoms within rmax of a vacancy; `shells`: ideal neighbour distances of a site (dashed lines), and
    the line r_s + r_v = first shell, where an atom moving straight from its site into the vacancy lies."""
    rs, rv = [], []
    for p in paths:
        d = read_dump_columns(p, [rs_col, rv_col])
        rs.append(d[rs_col])
        rv.append(d[rv_col])
    rs, rv = np.concatenate(rs), np.concatenate(rv)
    near = rv < rmax
    if not near.any():
        raise ValueError("no atom closer than rmax to a vacancy")
    fig, ax = plt.subplots(figsize=(5.2, 4.2), dpi=150)
    h = ax.hist2d(rv[near], rs[near], bins=[40, 40], range=[[0, rmax], [0, max(rs[near].max(), 0.5)]],
                  cmap="viridis", cmin=1)
    fig.colorbar(h[3], ax=ax, label="atom samples")
    ax.set_xlabel(f"$r_v$, distance to the nearest vacancy ({ANGSTROM})")
    ax.set_ylabel(f"$r_s$, distance to the nearest site ({ANGSTROM})")
    if shells:
        ymax = ax.get_ylim()[1]
        inside = [d for d in shells if d < rmax]
        for k, d in enumerate(inside):
            ax.axvline(d, color="0.35", ls="--", lw=0.8,
                       label=f"neighbour shells ({', '.join(f'{x:g}' for x in inside)} {ANGSTROM})" if k == 0 else None)
        ax.plot([0, shells[0]], [shells[0], 0], color="tab:red", ls=":", lw=1.0,
                label=f"$r_s + r_v$ = {shells[0]:g} {ANGSTROM} (hop path)")
        ax.set_ylim(0, 1.3 * ymax)  # room for the legend above the data
        ax.legend(loc="upper right", fontsize=7.5, frameon=False)
    ax.set_title(f"vibrations near vacancies ({int(near.sum())} atom samples)", fontsize=10)
    fig.tight_layout()
    fig.savefig(out)
    plt.close(fig)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="what", required=True)
    p = sub.add_parser("cdf")
    p.add_argument("reports", nargs="+")
    p.add_argument("-o", "--output", default="cdf.png")
    p = sub.add_parser("itypes")
    p.add_argument("stats", nargs="+")
    p.add_argument("-o", "--output", default="itypes.png")
    p = sub.add_parser("calibration")
    p.add_argument("dump")
    p.add_argument("--sigma", default="sigma")
    p.add_argument("--error", default="c_fe[3]")
    p.add_argument("--mask", help="column: atoms with a nonzero value (e.g. c_re[1]) are shown and summarized apart")
    p.add_argument("--mask-label", default="migrating atoms", help="legend label of the --mask atoms")
    p.add_argument("-o", "--output", default="calibration.png")
    p = sub.add_parser("rsrv")
    p.add_argument("dumps", nargs="+")
    p.add_argument("--rs", default="c_re[2]")
    p.add_argument("--rv", default="c_re[3]")
    p.add_argument("--rmax", type=float, default=5.5)
    p.add_argument("--shells", default="", help="comma-separated neighbour-shell distances of the lattice "
                   "(e.g. 2.352,3.840,4.503 for diamond Si a=5.431): dashed lines and the hop path")
    p.add_argument("-o", "--output", default="rsrv.png")
    a = ap.parse_args(argv)
    try:
        if a.what == "cdf":
            plot_cdf(a.reports, a.output)
        elif a.what == "itypes":
            plot_itypes(a.stats, a.output)
        elif a.what == "calibration":
            res, res_m = plot_calibration(a.dump, a.output, a.sigma, a.error, mask_col=a.mask,
                                          mask_label=a.mask_label)
            for label, r in (("", res), (f"{a.mask_label}: ", res_m)):
                if r:
                    print(f"{label}fraction |e| <= sigma: {r[0]:.4f}, Spearman rho: {r[1]:.4f}, "
                          f"mean |e| = {r[2]:.4g}, mean sigma = {r[3]:.4g}, samples = {r[4]}")
        else:
            shells = [float(x) for x in a.shells.split(",") if x.strip()]
            plot_rsrv(a.dumps, a.output, a.rs, a.rv, a.rmax, shells)
    except (ValueError, OSError) as e:
        print(f"reval_plots: error: {e}", file=sys.stderr)
        return 2
    print(f"plot: {a.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
