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
    if not (np.all(np.isfinite(D)) and np.all(np.isfinite(sD)) and np.all(np.isfinite(T))):
        raise ValueError("every temperature, D and sigma_D must be finite numbers (fix re/stats reports D = nan "
                         "while the fit window holds too few samples: run longer)")
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


def _temperature_ticks(x0, x1, max_ticks=6):
    """Round temperatures (K) whose 1000/T lie in [x0, x1], evenly enough spaced not to collide."""
    t_lo, t_hi = 1000.0 / x1, 1000.0 / x0
    for step in (5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000):
        ticks = [t for t in np.arange(math.ceil(t_lo / step) * step, t_hi + 1e-9, step)]
        if len(ticks) <= max_ticks:
            break
    out, last = [], None
    for t in sorted(ticks, reverse=True):          # increasing 1000/T
        xv = 1000.0 / t
        if last is None or xv - last > 0.09 * (x1 - x0):
            out.append(float(t))
            last = xv
    return out


def _tex_number(v):
    """2 significant digits, as m x 10^e in mathtext when |e| >= 3."""
    m, e = f"{v:.1e}".split("e")
    e = int(e)
    return f"{v:.2g}" if -3 < e < 3 else f"${m} \\times 10^{{{e}}}$"


def plot(fit, T, D, sD, path, extra_T=(), units="metal", neff=None):
    """Arrhenius plot: D on a log axis vs 1000/T, error bars of +-1 sigma in log10 D (the weights of the
    fit), the fitted line and its 1-sigma band (slope-intercept covariance included)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    T, D, sD = (np.asarray(v, dtype=float) for v in (T, D, sD))
    x = 1000.0 / T
    xs = [*x, *(1000.0 / np.asarray(extra_T, dtype=float))] if len(extra_T) else list(x)
    lo, hi = min(xs), max(xs)
    pad = 0.06 * (hi - lo if hi > lo else 1.0)
    grid = np.linspace(lo - pad, hi + pad, 200)
    y, s = predict(fit, 1000.0 / grid)
    sy = LOG10E * sD / D
    with plt.rc_context({"font.size": 11, "axes.labelsize": 12, "legend.fontsize": 9.5,
                         "xtick.labelsize": 10, "ytick.labelsize": 10}):
        fig, ax = plt.subplots(figsize=(6.4, 4.8), dpi=150)
        ax.fill_between(grid, 10 ** (y - s), 10 ** (y + s), color="tab:blue", alpha=0.18, lw=0,
                        label="fit $\\pm 1\\sigma$ (covariance of slope and intercept)")
        ax.plot(grid, 10 ** y, color="tab:blue", lw=1.8,
                label=f"fit: $E_a$ = {fit['Ea']:.2f} $\\pm$ {fit['sEa']:.2f} eV, "
                      f"$D_0$ = {_tex_number(fit['D0'])} {D_UNITS_TEX.get(units, '')}")
        ax.errorbar(x, D, yerr=[D - D * 10 ** (-sy), D * 10 ** sy - D], fmt="o", ms=6, color="k", capsize=4,
                    lw=1.3, zorder=3, label="MD, $\\pm 1\\sigma$ (He et al. 2018)")
        if neff is not None:
            for xi, di, ni in zip(x, D, neff):
                ax.annotate(f"$N_\\mathrm{{eff}}$ = {ni:.0f}", (xi, di), textcoords="offset points", xytext=(7, 5),
                            fontsize=9, color="0.25", va="bottom")
        if len(extra_T):
            ye, se = predict(fit, extra_T)
            ax.errorbar(1000.0 / np.asarray(extra_T, dtype=float), 10 ** ye,
                        yerr=[10 ** ye - 10 ** (ye - se), 10 ** (ye + se) - 10 ** ye], fmt="s", ms=6,
                        color="tab:red", capsize=4, lw=1.3, zorder=3,
                        label=f"extrapolated to {', '.join(f'{t:g}' for t in extra_T)} K, $\\pm 1\\sigma$")
        ax.set_yscale("log")
        ax.set_xlim(grid[0], grid[-1])
        ax.set_xlabel("1000 / T  (K$^{-1}$)")
        ax.set_ylabel(f"diffusivity D  ({D_UNITS_TEX.get(units, 'length$^2$/time')})")
        if units == "metal":     # 1 A^2/ps = 1e-4 cm^2/s
            secy = ax.secondary_yaxis("right", functions=(lambda v: v * 1e-4, lambda v: v * 1e4))
            secy.set_ylabel("D  (cm$^2$/s)")
        secx = ax.secondary_xaxis("top", functions=(lambda v: 1000.0 / np.maximum(v, 1e-9),
                                                    lambda v: 1000.0 / np.maximum(v, 1e-9)))
        secx.set_ticks(_temperature_ticks(grid[0], grid[-1]))
        secx.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:g}"))
        secx.xaxis.set_minor_locator(matplotlib.ticker.NullLocator())
        secx.set_xlabel("T  (K)")
        ax.legend(loc="lower left", frameon=True, framealpha=0.85, edgecolor="none")
        ax.grid(alpha=0.3, which="major")
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
    T, D, sD, neffs = [], [], [], []
    try:
        if a.table:
            data = np.atleast_2d(np.loadtxt(a.table))
            T, D, sD = list(data[:, 0]), list(data[:, 1]), list(data[:, 2])
            neffs = [float("nan")] * len(T)
        for item in a.inputs:
            if ":" not in item:
                raise ValueError(f"'{item}': expected T:FILE")
            t, path = item.split(":", 1)
            d, s, neff = read_fix_file(path)
            T.append(float(t))
            D.append(d)
            sD.append(s)
            neffs.append(neff)
        fit = arrhenius_fit(T, D, sD)
    except (ValueError, OSError) as e:
        print(f"arrhenius: error: {e}", file=sys.stderr)
        return 2
    u = D_UNITS.get(a.units, "length^2/time")
    print(f"# Arrhenius fit of {len(T)} temperatures: log10 D = A + B * 1000/T")
    for t, d, s, n in sorted(zip(T, D, sD, neffs)):
        print(f"T = {t:8.2f} K   D = {d:.6g} +- {s:.3g} {u}" + ("" if math.isnan(n) else f"   N_eff = {n:.1f}")
              + ("   (N_eff < 10: too few hops, D unresolved)" if n < 10 else ""))
    print(f"Ea = {fit['Ea']:.4f} +- {fit['sEa']:.4f} eV")
    print(f"D0 = {fit['D0']:.6g} {u}  (log10 D0 = {fit['log10D0']:.4f} +- {fit['slog10D0']:.4f})")
    print(f"cov(A, B) = {fit['cov'][0, 1]:.6g}   chi2/dof = {fit['chi2_dof']:.3g}")
    for t in a.extrapolate:
        y, s = predict(fit, [t])
        print(f"extrapolated D({t:g} K) = {10 ** y[0]:.4g} {u}  (1-sigma band {10 ** (y[0] - s[0]):.4g} .. "
              f"{10 ** (y[0] + s[0]):.4g})")
    if a.plot and a.plot != "none":
        plot(fit, T, D, sD, a.plot, a.extrapolate, a.units, None if a.table else neffs)
        print(f"plot: {a.plot}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
