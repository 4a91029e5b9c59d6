"""Docs and behaviour agree: every command in the Examples block of every style page in doc/ runs.

An Examples block lists alternative uses of a style. It is split into scenarios at blank lines (and at
comment lines that start a new use); each scenario runs in a fresh `lmp` after a fixture that gives it
what the example assumes (a small system, the files it names, the computes/fixes it refers to), and
is followed by a short run that exercises it. A command that redefines a compute or fix ID of the same
scenario is preceded by uncompute/unfix, as a user trying the alternatives one after the other would
do. The test fails on any LAMMPS ERROR, on a style page without an Examples block, and on a page
without a fixture here (so new pages must come with runnable examples).

usage: test_doc_examples.py LMP PLUGIN
"""
import math
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DOC = os.path.join(REPO, "doc")
POT = os.environ.get("LAMMPS_POTENTIALS", "/usr/share/lammps/potentials")

SI = """units metal
atom_modify map array
lattice diamond 5.431
region box block 0 2 0 2 0 2
create_box 1 box
create_atoms 1 box
mass 1 28.0855
group gone id 1
delete_atoms group gone
comm_modify cutoff 7.5
velocity all create 1500 4 loop geom
"""
SW = "pair_style sw\npair_coeff * * Si.sw Si\n"
SNAP_SI = "pair_style snap/model\npair_coeff * * Si_Zuo_JPCA2020.snapcoeff Si_Zuo_JPCA2020.snapparam Si\n"
COMMITTEE = ("pair_style snap/model\npair_coeff * * committee 2 Si_Zuo_JPCA2020.snapcoeff "
             "Si_Zuo_JPCA2020.snapparam member2.snapcoeff Si_Zuo_JPCA2020.snapparam Si\n")
REF = "run 0 post no\nfix ref all store/state 0 fx fy fz\n"


def bcc(a, elem_mass):
    return (f"units metal\natom_modify map array\nlattice bcc {a}\nregion box block 0 3 0 3 0 3\n"
            f"create_box 1 box\ncreate_atoms 1 box\nmass 1 {elem_mass}\nvelocity all create 300 4\n")


# page -> list of (fixture before the scenario, commands after it) per scenario, in order
FIXTURES = {
    "command_reval.rst": [(SI + SW + REF + "compute fe all force/error ref f_ref[1] f_ref[2] f_ref[3]\n"
                           "thermo_style custom step pe c_fe[1]\nrun 0 post no\n", "run 0 post no\n")],
    "compute_committee_atom.rst": [(SI + REF, "fix nve all nve\nrun 20 post no\n")],
    "compute_force_error.rst": [
        (SI + SW, ""),    # the scenario itself reruns frames.dump
        ("units metal\natom_style atomic\natom_modify map array\nlattice diamond 5.431\n",
         "mass 1 28.0855\n" + SW + "comm_modify cutoff 7.5\nthermo_style custom step pe c_fe_re[1]\nrun 0 post no\n"),
        (SI + COMMITTEE + REF + "variable edft equal pe+0.1\ncompute committee all committee/atom\n",
         "thermo_style custom step pe c_fe[1] c_fe[16]\nrun 100 post no\n"),
    ],
    "compute_re_atom.rst": [(SI + SW, "fix nve all nve\nthermo_style custom step c_nmig\nrun 200 post no\n")],
    "compute_vacancy_sites.rst": [(SI + SW, "fix nve all nve\nrun 200 post no\n")],
    "fix_re_stats.rst": [(SI + SW, "fix nve all nve\nrun 200 post no\n")],
    "fix_re_harvest.rst": [(SI + SW, "fix nve all nve\nrun 200 post no\n"),
                           (SI + COMMITTEE, "fix nve all nve\nrun 20 post no\n")],
    "pair_snap_model.rst": [
        (SI, "fix nve all nve\nrun 10 post no\n"),
        ("units metal\natom_modify map array\nlattice fcc 3.621\nregion box block 0 3 0 3 0 3\ncreate_box 1 box\n"
         "create_atoms 1 box\nmass 1 63.546\nvelocity all create 300 4\n", "fix nve all nve\nrun 10 post no\n"),
        (bcc(3.316, 180.95), "fix nve all nve\nrun 10 post no\n"),
        (SI, "fix nve all nve\nrun 10 post no\n"),
    ],
}


def examples_block(text):
    """The LAMMPS code block(s) of the Examples section, as a list of lines."""
    m = re.search(r'^Examples\n"+\n(.*?)^Description\n"', text, re.S | re.M)
    if not m:
        return None
    lines = []
    in_code = False
    for line in m.group(1).splitlines():
        if line.startswith(".. code-block::"):
            in_code = True
            continue
        if in_code and line and not line.startswith(" "):
            in_code = False
        if in_code:
            lines.append(line[3:] if line.startswith("   ") else line.strip())
    return lines


def scenarios(lines):
    """Blank lines (or a comment after a command) separate scenarios; '&' continuations are joined."""
    out, cur = [], []
    for line in lines:
        s = line.strip()
        if not s or (s.startswith("#") and any(not c.startswith("#") for c in cur)):
            if cur:
                out.append(cur)
            cur = [] if not s else [s]
            continue
        cur.append(s)
    if cur:
        out.append(cur)
    joined = []
    for sc in out:
        cmds, acc = [], ""
        for s in sc:
            if s.startswith("#"):
                continue
            acc = (acc + " " + s.rstrip("&").strip()) if acc else s.rstrip("&").strip()
            if not s.endswith("&"):
                cmds.append(acc)
                acc = ""
        joined.append(cmds)
    return [c for c in joined if c]


def with_redefinitions(cmds):
    """uncompute/unfix before a command that reuses an ID defined earlier in the scenario."""
    seen = {"compute": set(), "fix": set(), "dump": set()}
    out = []
    for c in cmds:
        w = c.split()
        if w[0] in seen and len(w) > 1:
            if w[1] in seen[w[0]]:
                out.append({"compute": "uncompute", "fix": "unfix", "dump": "undump"}[w[0]] + " " + w[1])
            seen[w[0]].add(w[1])
        out.append(c)
    return out


def write_files(work):
    """The files the examples name: committee members, a sites file, dumps, a data file with forces."""
    src = os.path.join(POT, "Si_Zuo_JPCA2020.snapcoeff")
    lines = open(src).read().splitlines()
    for name, seed in (("member2.snapcoeff", 2), ("m2.snapcoeff", 2), ("m3.snapcoeff", 3)):
        out, header, k = [], 0, 0
        for line in lines:
            w = line.split()
            if not w or w[0].startswith("#") or header < 2 or len(w) != 1:
                if w and not w[0].startswith("#"):
                    header += 1
                out.append(line)
                continue
            out.append(repr(float(w[0]) * (1.0 + 0.02 * math.sin(1.7 * k + seed))))
            k += 1
        open(os.path.join(work, name), "w").write("\n".join(out) + "\n")
    basis = [(0, 0, 0), (0, .5, .5), (.5, 0, .5), (.5, .5, 0), (.25, .25, .25), (.25, .75, .75), (.75, .25, .75),
             (.75, .75, .25)]
    with open(os.path.join(work, "perfect.sites"), "w") as f:
        f.write("# diamond Si sites, 2x2x2 cells, a = 5.431\n")
        for i in range(2):
            for j in range(2):
                for k in range(2):
                    for b in basis:
                        f.write("%.6f %.6f %.6f\n" % ((i + b[0]) * 5.431, (j + b[1]) * 5.431, (k + b[2]) * 5.431))


def run_lmp(lmp, plugin, work, text, tag):
    path = os.path.join(work, f"in.{tag}")
    open(path, "w").write(f"plugin load {plugin}\n" + text)
    env = dict(os.environ, LAMMPS_POTENTIALS=POT, OMP_NUM_THREADS="1")
    for k in list(env):
        if k.startswith(("OMPI_", "PMIX_")) and k not in ("OMPI_ALLOW_RUN_AS_ROOT", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"):
            del env[k]
    p = subprocess.run([lmp, "-in", path, "-log", "none", "-screen", os.path.join(work, f"screen.{tag}")],
                       cwd=work, env=env, capture_output=True, text=True, timeout=600)
    screen = open(os.path.join(work, f"screen.{tag}")).read() if os.path.exists(os.path.join(work, f"screen.{tag}")) else ""
    out = screen + p.stdout + p.stderr
    err = [line for line in out.splitlines() if "ERROR" in line]
    return p.returncode, err, out


def prepare(lmp, plugin, work):
    """frames.dump / dft.dump (positions + forces) and test.data with a DFTForces section."""
    rc, err, out = run_lmp(lmp, plugin, work, SI + SW + "fix nve all nve\n"
                           "dump d all custom 10 frames.dump id x y z fx fy fz\ndump_modify d sort id\n"
                           "run 30 post no\nwrite_data test.data\n"
                           "write_dump all custom dftforces.txt id fx fy fz modify sort id\n", "prepare")
    if rc or err:
        sys.exit(f"preparation run failed: {err}\n{out[-2000:]}")
    with open(os.path.join(work, "frames.dump")) as f, open(os.path.join(work, "dft.dump"), "w") as g:
        g.write(f.read())
    forces = [line for line in open(os.path.join(work, "dftforces.txt")).read().splitlines()[9:] if line.strip()]
    with open(os.path.join(work, "test.data"), "a") as f:
        f.write("\nDFTForces\n\n" + "\n".join(forces) + "\n")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    lmp, plugin = sys.argv[1], sys.argv[2]
    pages = sorted(p for p in os.listdir(DOC) if p.endswith(".rst") and p.startswith(("compute_", "fix_", "pair_", "command_")))
    failures, ran = [], 0
    with tempfile.TemporaryDirectory(prefix="reval-doc-examples-") as work:
        write_files(work)
        prepare(lmp, plugin, work)
        for page in pages:
            lines = examples_block(open(os.path.join(DOC, page)).read())
            if not lines:
                failures.append(f"{page}: no Examples code block")
                continue
            if page not in FIXTURES:
                failures.append(f"{page}: no fixture in {os.path.basename(__file__)} (add one so its examples run)")
                continue
            scs = scenarios(lines)
            if len(scs) != len(FIXTURES[page]):
                failures.append(f"{page}: {len(scs)} example scenarios but {len(FIXTURES[page])} fixtures")
                continue
            for n, (cmds, (before, after)) in enumerate(zip(scs, FIXTURES[page])):
                tag = f"{page[:-4]}.{n + 1}"
                rc, err, out = run_lmp(lmp, plugin, work, before + "\n".join(with_redefinitions(cmds)) + "\n" + after, tag)
                ran += len(cmds)
                if rc or err:
                    failures.append(f"{page} example {n + 1} ({cmds[0]} ...): {err[:1] or ['exit status %d' % rc]}\n"
                                    + out[-1500:])
                else:
                    print(f"ok   {page} example {n + 1}: {len(cmds)} commands")
    print(f"{ran} example commands from {len(pages)} pages")
    if failures:
        print("\n".join("FAIL " + f for f in failures))
        sys.exit(1)


if __name__ == "__main__":
    main()
