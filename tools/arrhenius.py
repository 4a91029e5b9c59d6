#!/usr/bin/python3
"""Arrhenius analysis of diffusivities measured by REVAL's fix re/stats at several temperatures.

    arrhenius.py T1:FILE1 T2:FILE2 ... [--extrapolate T ...] [--plot arrhenius.png] [--units metal]
    arrhenius.py --table data.txt ...          (columns: T D sigma_D)

FILE is the `file` output of fix re/stats; its last line gives D and sigma_D (He et al. 2018 error
bar). The fit is a weighted least-squares line log10 D = A + B (1000/T) with
sigma(log10 D) = log10(e) * sigma_D / D, giving Ea = -B * 1000 kB ln 10 and D0 = 10^A, their standard
errors, and extrapolated D(T) with a band from the full covariance of A and B:
sigma(log10 D(T)) = sqrt(var A + x^2 var B + 2 x cov(A, B)), x = 1000/T.
Prints the results and writes an Arrhenius plot (PNG) with error bars, the fit and its band.
"""
import argparse
import math
import sys

import numpy as np

KB_EV = 8.617333262e-5    # Boltzmann constant, eV/K
LOG10E = math.log10(math.e)
D_UNITS = {"metal": "A^2/ps", "real": "A^2/fs", "si": "m^2/s", "cgs": "cm^2/s", "electron": "Bohr^2/fs",
           "micro": "um^2/us", "nano": "nm^2/ns", "lj": "sigma^2/tau"}
D_UNITS_TEX = {"metal": r"$\mathrm{\AA^2/ps}$", "real": r"$\mathrm{\AA^2/fs}$", "si": r"$\mathrm{m^2/s}$",
               "cgs": r"$\mathrm{cm^2/s}$", "electron": r"$\mathrm{Bohr^2/fs}$", "micro": r"$\mathrm{\mu m^2/\mu s}$",
               "nano": r"$\mathrm{nm^2/ns}$", "lj": r"$\sigma^2/\tau$"}


def read_fix_file(path):
    """Last data line of a fix re/stats file: returns (D, sigma_D, N_eff)."""
    last = None
    with open(path) as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                last = line.split()
    if last is None:
        raise ValueError(f"{path}: no data lines (is it the 'file' output of fix re/stats?)")
    if len(last) < 7:
        raise ValueError(f"{path}: expected 'step time TMSD MSD D sigma_D N_eff ...', found {len(last)} columns")
    return float(last[4]), float(last[5]), float(last[6])


def arrhenius_fit(T, D, sD):
    """Weighted fit of log10 D = A + B*1000/T. Returns dict with A, B, cov (2x2), Ea, sEa, D0, chi2_dof."""
    T, D, sD = (np.asarray(v, dtype=float) for v in (T, D, sD))
    if len(T) < 2:
        raise ValueError("need at least two temperatures")
    if np.any(D <= 0) or np.any(sD <= 0) or np.any(T <= 0):
        raise ValueError("every temperature, D and sigma_D must be > 0 (too few hops gives D = 0: run longer)")
    x = 1000.0 / T
    y = np.log10(D)
    sy = LOG10E * sD / D
    w = 1.0 / sy ** 2
    X = np.vstack([np.ones_like(x), x]).T
    cov = np.linalg.inv(X.T @ (w[:, None] * X))
    A, B = cov @ (X.T @ (w * y))
    resid = y - (A + B * x)
    dof = max(len(T) - 2, 1)
    scale = 1000.0 * KB_EV * math.log(10.0)
    return {"A": A, "B": B, "cov": cov, "Ea": -B * scale, "sEa": math.sqrt(cov[1, 1]) * scale,
            "D0": 10 ** A, "log10D0": A, "slog10D0": math.sqrt(cov[0, 0]),
            "chi2_dof": float(np.sum(w * resid ** 2) / dof), "x": x, "y": y, "sy": sy}


def predict(fit, T):
    """log10 D and its standard deviation at temperatures T (covariance of A and B included)."""
    x = 1000.0 / np.asarray(T, dtype=float)
    c = fit["cov"]
    y = fit["A"] + fit["B"] * x
    s = np.sqrt(c[0, 0] + x ** 2 * c[1, 1] + 2 * x * c[0, 1])
    return y, s


def plot(fit, T, D, sD, path, extra_T=(), units="metal"):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    x = 1000.0 / np.asarray(T, dtype=float)
    xs = [*x, *(1000.0 / np.asarray(extra_T, dtype=float))] if len(extra_T) else list(x)
    lo, hi = min(xs), max(xs)
    pad = 0.05 * (hi - lo if hi > lo else 1.0)
    grid = np.linspace(lo - pad, hi + pad, 200)
    y, s = predict(fit, 1000.0 / grid)
    fig, ax = plt.subplots(figsize=(6.0, 4.5), dpi=150)
    ax.fill_between(grid, 10 ** (y - s), 10 ** (y + s), color="tab:blue", alpha=0.2, label="fit $\\pm 1\\sigma$")
    ax.plot(grid, 10 ** y, color="tab:blue",
            label=f"$E_a$ = {fit['Ea']:.3f} $\\pm$ {fit['sEa']:.3f} eV")
    ax.errorbar(x, D, yerr=sD, fmt="o", color="k", capsize=3, label="MD (He et al. error bars)")
    if len(extra_T):
        ye, se = predict(fit, extra_T)
        ax.errorbar(1000.0 / np.asarray(extra_T, dtype=float), 10 ** ye,
                    yerr=[10 ** ye - 10 ** (ye - se), 10 ** (ye + se) - 10 ** ye], fmt="s", color="tab:red",
                    capsize=3, label="extrapolated")
    ax.set_yscale("log")
    ax.set_xlabel("1000 / T  (1/K)")
    ax.set_ylabel(f"D  ({D_UNITS_TEX.get(units, 'length$^2$/time')})")
    secx = ax.secondary_xaxis("top", functions=(lambda v: 1000.0 / np.maximum(v, 1e-9),
                                                lambda v: 1000.0 / np.maximum(v, 1e-9)))
    # a few round temperatures, spaced evenly enough in 1000/T not to collide
    nice = [200, 250, 300, 400, 500, 600, 700, 800, 1000, 1200, 1500, 2000, 2500, 3000, 4000, 5000]
    x0, x1 = grid[0], grid[-1]
    ticks, last = [], None
    for t in sorted(nice, reverse=True):
        xv = 1000.0 / t
        if x0 <= xv <= x1 and (last is None or xv - last > 0.08 * (x1 - x0)):
            ticks.append(t)
            last = xv
    secx.set_ticks(ticks)
    secx.set_xlabel("T  (K)")
    ax.legend(frameon=False, fontsize=8)
    ax.grid(alpha=0.3, which="both")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("inputs", nargs="*", help="T:FILE pairs (fix re/stats 'file' outputs)")
    ap.add_argument("--table", help="text file with columns T D sigma_D instead of T:FILE pairs")
    ap.add_argument("--extrapolate", nargs="*", type=float, default=[], help="temperatures (K) to extrapolate to")
    ap.add_argument("--plot", default="arrhenius.png", help="PNG file (default arrhenius.png; 'none' for no plot)")
    ap.add_argument("--units", default="metal", help="LAMMPS units of D (default metal: A^2/ps)")
    a = ap.parse_args(argv)
    T, D, sD = [], [], []
    try:
        if a.table:
            data = np.atleast_2d(np.loadtxt(a.table))
            T, D, sD = list(data[:, 0]), list(data[:, 1]), list(data[:, 2])
        for item in a.inputs:
            if ":" not in item:
                raise ValueError(f"'{item}': expected T:FILE")
            t, path = item.split(":", 1)
            d, s, neff = read_fix_file(path)
            T.append(float(t))
            D.append(d)
            sD.append(s)
        fit = arrhenius_fit(T, D, sD)
    except (ValueError, OSError) as e:
        print(f"arrhenius: error: {e}", file=sys.stderr)
        return 2
    u = D_UNITS.get(a.units, "length^2/time")
    print(f"# Arrhenius fit of {len(T)} temperatures: log10 D = A + B * 1000/T")
    for t, d, s in sorted(zip(T, D, sD)):
        print(f"T = {t:8.2f} K   D = {d:.6g} +- {s:.3g} {u}")
    print(f"Ea = {fit['Ea']:.4f} +- {fit['sEa']:.4f} eV")
    print(f"D0 = {fit['D0']:.6g} {u}  (log10 D0 = {fit['log10D0']:.4f} +- {fit['slog10D0']:.4f})")
    print(f"cov(A, B) = {fit['cov'][0, 1]:.6g}   chi2/dof = {fit['chi2_dof']:.3g}")
    for t in a.extrapolate:
        y, s = predict(fit, [t])
        print(f"extrapolated D({t:g} K) = {10 ** y[0]:.4g} {u}  (1-sigma band {10 ** (y[0] - s[0]):.4g} .. "
              f"{10 ** (y[0] + s[0]):.4g})")
    if a.plot and a.plot != "none":
        plot(fit, T, D, sD, a.plot, a.extrapolate, a.units)
        print(f"plot: {a.plot}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
