"""Helpers for REVAL benchmarks: run lmp on an input several times, alternating configurations (timing
noise on the project machines is up to ~5%), and report the median loop time."""
import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def lammps_env():
    cache = os.environ.get("REVAL_CACHE", os.path.join(os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")), "reval"))
    env_file = os.path.join(cache, "lammps", "current", "reval-lammps.env")
    env = {}
    if not os.path.isfile(env_file) and "REVAL_LMP" in os.environ:
        return env  # e.g. on a GPU machine: lmp named by REVAL_LMP, no bootstrap cache
    with open(env_file) as f:
        for line in f:
            if "=" in line and not line.startswith("#"):
                k, v = line.strip().split("=", 1)
                env[k] = v
    return env


def paths():
    env = lammps_env()
    lmp = os.environ.get("REVAL_LMP") or env["LMP"]
    plugin = os.path.abspath(os.environ.get("REVAL_PLUGIN", os.path.join(os.environ.get("REVAL_BUILD_DIR", os.path.join(REPO, "build")), "revalplugin.so")))
    if not os.path.isfile(plugin):
        sys.exit(f"benchmark: {plugin} not found: run tools/build.sh first")
    return lmp, plugin, os.environ.get("LAMMPS_POTENTIALS") or env.get("LAMMPS_POTENTIALS", "/usr/share/lammps/potentials")


def lammps_version(lmp):
    """The banner of lmp's LAMMPS, e.g. 'LAMMPS (4 Feb 2025)' or 'LAMMPS (29 Sep 2021 - Update 2)'."""
    with tempfile.TemporaryDirectory(prefix="reval-bench-version-") as d:
        p = subprocess.run([lmp, "-log", "none", "-echo", "none", "-nocite"], cwd=d, input="", capture_output=True,
                           text=True)
    for line in p.stdout.splitlines():
        if line.strip().startswith("LAMMPS ("):
            return line.strip()
    sys.exit(f"benchmark: {lmp} does not run as LAMMPS (exit {p.returncode}):\n{(p.stdout + p.stderr)[-1500:]}")


def check_lammps(args=()):
    """lmp, plugin and potentials of paths(), LAMMPS' version banner, and a check that the plugin loads into
    that lmp (with `args`, e.g. -k on t 1): REVAL_LMP names another LAMMPS (e.g. the 4 Feb 2025 build of
    tools/check-lammps-compat.sh), and the plugin must be the one built against it (REVAL_PLUGIN); a
    mismatch stops here with LAMMPS' message instead of failing in the first timed run.
    Returns (lmp, plugin, potentials, version)."""
    lmp, plugin, pots = paths()
    version = lammps_version(lmp)
    with tempfile.TemporaryDirectory(prefix="reval-bench-load-") as d:
        p = subprocess.run([lmp, "-log", "none", "-echo", "none", "-nocite", *args], cwd=d,
                           input=f"plugin load {plugin}\nplugin list\n", capture_output=True, text=True,
                           env=dict(os.environ, OMP_NUM_THREADS="1"))
    out = p.stdout + p.stderr
    # LAMMPS only warns when a plugin does not load ("Open of file ... failed"): check that it registered styles
    errors = [line for line in out.splitlines() if "ERROR" in line or ("Open of file" in line and "failed" in line)]
    if p.returncode != 0 or errors or "snap/model" not in out:
        sys.exit(f"benchmark: {plugin} does not load into {lmp} ({version}):\n  "
                 + "\n  ".join(errors[:3] or [(p.stdout + p.stderr)[-800:]])
                 + "\n  The plugin must be built against the LAMMPS it runs in: with REVAL_LMP naming another "
                   "LAMMPS, set REVAL_PLUGIN to the revalplugin.so built against it (bench/README.md).")
    return lmp, plugin, pots, version


def is_lammps_2021(version):
    """True for LAMMPS 29 Sep 2021 (the project's default build), whose snap/kk has no host-thread path."""
    return "Sep 2021" in version


@contextlib.contextmanager
def scratch(prefix, refdata=()):
    """A temporary run folder holding copies of tests/unit/refdata files; removed afterwards."""
    workdir = tempfile.mkdtemp(prefix=prefix)
    try:
        for f in refdata:
            shutil.copy(os.path.join(REFDATA, f), workdir)
        yield workdir
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def crystal(lattice, a, n, mass):
    """Input lines: load the plugin (lmp gets -var plugin from run()) and build an n x n x n crystal of one
    atom type in metal units."""
    return (f"plugin load ${{plugin}}\nunits metal\natom_style atomic\natom_modify map array\nboundary p p p\n"
            f"lattice {lattice} {a}\nregion box block 0 {n} 0 {n} 0 {n}\ncreate_box 1 box\ncreate_atoms 1 box\n"
            f"mass 1 {mass}\n")


REFDATA = os.path.join(REPO, "tests", "unit", "refdata")

# NVE MD of a crystal ({crystal}) perturbed by 0.05 Å with a pair style ({pair}); prints the initial energy
# (REVAL_BENCH_PE0) so that benchmarks check that the variants they compare do the same job
SNAP_MD = """{crystal}displace_atoms all random 0.05 0.05 0.05 12345 units box
{pair}
neighbor 1.0 bin
velocity all create 300 4928459 loop geom
fix nve all nve
timestep 0.0005
{extra}thermo_modify format float %.17g
run 0
print "REVAL_BENCH_PE0 $(pe:%.17g)"
run {steps}
"""

# site analyses invoked every step through fix ave/time: REVAL's and LAMMPS' voronoi/atom occupation
SITE_ANALYSES = {
    "reval": """compute s all vacancy/sites
compute re all re/atom s
compute nm all reduce sum c_re[1]
fix ave all ave/time 1 1 1 c_s c_nm
""",
    "voronoi": """compute v all voronoi/atom occupation
compute occ all reduce sum c_v[1]
fix ave all ave/time 1 1 1 c_occ
""",
}


def section_time(output, section):
    """Average time (s) of a section ("Pair", "Modify", ...) of the last run's timing breakdown."""
    rows = re.findall(rf"^{section}\s*\|\s*([0-9.eE+-]+)\s*\|\s*([0-9.eE+-]+)", output, re.M)
    return float(rows[-1][1]) if rows else 0.0


def run(script, np=1, args=(), workdir=None, threads=1, launcher=None, timeout=None, env=None):
    """Runs lmp on `script`; returns (loop time of the last run in s, full output). `launcher`: the MPI
    launcher's words before -np (default mpirun; given, it is used at np 1 too); `timeout`: seconds, then
    RuntimeError; `env`: more environment for lmp (e.g. LD_LIBRARY_PATH)."""
    lmp, plugin, pots = paths()
    workdir = workdir or tempfile.mkdtemp(prefix="reval-bench-")
    with open(os.path.join(workdir, "in.bench"), "w") as f:
        f.write(script)
    cmd = [lmp, "-in", "in.bench", "-log", "none", "-echo", "none", "-nocite", "-var", "plugin", plugin, *args]
    if np > 1 or launcher:
        cmd = list(launcher or ["mpirun"]) + ["-np", str(np), "--oversubscribe"] + \
            (["--allow-run-as-root"] if os.geteuid() == 0 else []) + cmd
    env = dict(os.environ, LAMMPS_POTENTIALS=pots, OMP_NUM_THREADS=str(threads), **(env or {}))
    try:
        p = subprocess.run(cmd, cwd=workdir, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise RuntimeError(f"lmp timed out after {timeout:.0f} s")
    if p.returncode != 0 or "ERROR" in p.stdout:
        raise RuntimeError(f"lmp failed ({p.returncode}):\n{p.stdout[-2000:]}\n{p.stderr[-2000:]}")
    times = re.findall(r"Loop time of ([0-9.eE+-]+) on", p.stdout)
    return float(times[-1]), p.stdout


def alternate(configs, repeats=3, section=None, **kw):
    """configs: {name: script}; runs them round-robin `repeats` times; returns {name: fastest time}
    (the minimum is the least noisy estimate of a deterministic workload's cost). With `section`
    ("Modify", "Pair", ...), the time of that section of LAMMPS' timing breakdown instead of the loop."""
    t = {k: [] for k in configs}
    for _ in range(repeats):
        for k, s in configs.items():
            loop, out = run(s, **kw)
            t[k].append(section_time(out, section) if section else loop)
    return {k: min(v) for k, v in t.items()}
