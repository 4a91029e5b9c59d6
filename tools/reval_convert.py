#!/usr/bin/python3
"""Convert atomistic structures (VASP POSCAR, extended XYZ) to LAMMPS input files for REVAL.

LAMMPS needs a right-handed box with its first edge along x and the second in the xy plane
("triclinic convention"); cells in other orientations are rotated, and so are vectors given with
them (forces). Library use:

    from reval_convert import read_poscar, to_lammps_cell, write_data
    s = read_poscar("0.POSCAR.vasp")
    cell, rot = to_lammps_cell(s.cell)         # rot: 3x3, v_lammps = rot @ v
    write_data("0.data", cell, s.frac, s.species, masses={"Si": 28.0855})

Command line:

    reval_convert.py poscar IN.vasp OUT.data [--forces F.npy] [--dump OUT.dump]
    reval_convert.py extxyz IN.xyz OUT.data OUT.dump
    reval_convert.py mlearn training.json OUT.xyz | --by-group DIR     (training data for reval-fit)
    reval_convert.py poscars structure_poscars.zip DATA.json OUT.xyz [--key DFT_K4] [--re-labels]

Training data (reval-fit, FitSNAP's XYZ scraper, ASE) is extended XYZ as ASE writes it: line 1 the atom
count, line 2 `Lattice="ax ay az bx by bz cx cy cz" Properties=species:S:1:pos:R:3:forces:R:3
energy=E pbc="T T T"` (+ `config_type`, `source`), then one row per atom; energies in eV, forces in eV/Å,
Cartesian, in the frame of the cell given (no rotation). Sources:
- `mlearn`: the pymatgen-JSON data sets of materialsvirtuallab/mlearn (`structure.lattice.matrix`,
  `structure.sites[k].xyz`, `outputs.energy`, `outputs.forces`; `group` -> config_type). The virial
  stresses are not converted (their component order and sign are not documented in the data set).
- `poscars`: N.POSCAR.vasp files in a zip + DATA.json with `Energies.KEY[N]` and `Forces.KEY[N]` (the
  Si RE-enhanced sets of Liu, He & Mo 2023; KEY defaults to DFT_K4).
Bad data (missing or NaN forces, wrong counts, unknown elements) is an error naming the file and frame.
"""
import argparse
import sys
from dataclasses import dataclass, field

import numpy as np

MASSES = {"H": 1.008, "C": 12.011, "N": 14.007, "O": 15.999, "Al": 26.982, "Si": 28.0855, "Ti": 47.867,
          "Fe": 55.845, "Ni": 58.693, "Cu": 63.546, "Ge": 72.63, "Mo": 95.95, "Ta": 180.948, "W": 183.84}

# chemical symbols, Z = 1..118 (an "unknown element" is a name not in this list)
ELEMENTS = set("""H He Li Be B C N O F Ne Na Mg Al Si P S Cl Ar K Ca Sc Ti V Cr Mn Fe Co Ni Cu Zn Ga Ge As Se Br
Kr Rb Sr Y Zr Nb Mo Tc Ru Rh Pd Ag Cd In Sn Sb Te I Xe Cs Ba La Ce Pr Nd Pm Sm Eu Gd Tb Dy Ho Er Tm Yb Lu Hf
Ta W Re Os Ir Pt Au Hg Tl Pb Bi Po At Rn Fr Ra Ac Th Pa U Np Pu Am Cm Bk Cf Es Fm Md No Lr Rf Db Sg Bh Hs Mt
Ds Rg Cn Nh Fl Mc Lv Ts Og""".split())


@dataclass
class Structure:
    cell: np.ndarray                       # 3x3, rows = cell vectors (Å)
    frac: np.ndarray                       # N x 3 fractional coordinates
    species: list                          # N element names
    extra: dict = field(default_factory=dict)   # per-atom arrays (e.g. forces, N x 3, original frame)


def read_poscar(path):
    """VASP POSCAR/CONTCAR (VASP 5 format with element names; direct or Cartesian)."""
    with open(path) as f:
        lines = [l.rstrip("\n") for l in f]
    scale = float(lines[1].split()[0])
    cell = np.array([[float(v) for v in lines[i].split()[:3]] for i in (2, 3, 4)])
    if scale < 0:                                   # negative scale = target volume
        scale = (-scale / abs(np.linalg.det(cell))) ** (1.0 / 3.0)
    cell *= scale
    names = lines[5].split()
    try:
        counts = [int(v) for v in lines[6].split()]
    except ValueError:
        raise ValueError(f"{path}: line 7 must hold the atom counts (VASP 5 format with element names on line 6)")
    if len(names) != len(counts):
        raise ValueError(f"{path}: {len(names)} element names but {len(counts)} counts")
    k = 7
    if lines[k].strip()[:1].lower() == "s":         # selective dynamics
        k += 1
    mode = lines[k].strip()[:1].lower()
    n = sum(counts)
    xyz = np.array([[float(v) for v in lines[k + 1 + i].split()[:3]] for i in range(n)])
    if mode in ("c", "k"):
        frac = np.linalg.solve(cell.T, (xyz * scale).T).T
    else:
        frac = xyz
    species = [e for e, c in zip(names, counts) for _ in range(c)]
    return Structure(cell, frac, species)


class DataError(ValueError):
    """Bad training or structure data; the message names the file and frame."""


def _where(path, frame):
    return f"{path}: frame {frame}" if frame is not None else f"{path}"


def _check_frame(path, frame, cell, pos, species, forces=None, energy=None):
    """Raises DataError naming file and frame for the defects a fitter must never see silently."""
    w = _where(path, frame)
    cell = np.asarray(cell, dtype=float)
    if cell.shape != (3, 3) or not np.all(np.isfinite(cell)) or abs(np.linalg.det(cell)) < 1e-12:
        raise DataError(f"{w}: the cell must be 3 finite, linearly independent vectors")
    pos = np.asarray(pos, dtype=float)
    if pos.ndim != 2 or pos.shape[1] != 3 or len(pos) == 0:
        raise DataError(f"{w}: positions must be N x 3 with N > 0 (got shape {pos.shape})")
    if len(species) != len(pos):
        raise DataError(f"{w}: {len(species)} species for {len(pos)} atoms")
    for e in species:
        if e not in ELEMENTS:
            raise DataError(f"{w}: unknown element '{e}'")
    if not np.all(np.isfinite(pos)):
        raise DataError(f"{w}: positions contain NaN or infinity")
    if forces is not None:
        forces = np.asarray(forces, dtype=float)
        if forces.shape != pos.shape:
            raise DataError(f"{w}: forces have shape {forces.shape}, expected {pos.shape}")
        if not np.all(np.isfinite(forces)):
            raise DataError(f"{w}: forces contain NaN or infinity")
    if energy is not None and not np.isfinite(energy):
        raise DataError(f"{w}: energy is NaN or infinite")


def _info_pairs(comment):
    """key=value pairs of an extended XYZ comment line (values may be "quoted")."""
    import shlex
    lex = shlex.shlex(comment, posix=True)
    lex.whitespace_split = True
    lex.wordchars += "=:.-+"
    out = {}
    for tok in lex:
        k, sep, v = tok.partition("=")
        out[k] = v if sep else "T"
    return out


def read_extxyz(path):
    """Extended XYZ frames (ASE convention): yields Structure with extra arrays (forces etc.) and
    scalars (energy, config_type, ...). Raises DataError naming the file and frame on bad input."""
    with open(path) as f:
        frame = 0
        while True:
            line = f.readline()
            if not line:
                return
            if not line.strip():
                continue
            w = _where(path, frame)
            try:
                n = int(line)
            except ValueError:
                raise DataError(f"{w}: first line must be the atom count, got '{line.strip()}'")
            if n <= 0:
                raise DataError(f"{w}: atom count must be positive, got {n}")
            info = _info_pairs(f.readline())
            if "Lattice" not in info:
                raise DataError(f"{w}: frame without Lattice=\"...\"")
            try:
                cell = np.array([float(v) for v in info["Lattice"].split()]).reshape(3, 3)
            except ValueError:
                raise DataError(f"{w}: Lattice must hold 9 numbers")
            spec = info.get("Properties", "species:S:1:pos:R:3").split(":")
            if len(spec) % 3:
                raise DataError(f"{w}: Properties must be name:type:count triples")
            fields = [(spec[i].lower(), spec[i + 1], int(spec[i + 2])) for i in range(0, len(spec), 3)]
            width = sum(c for _, _, c in fields)
            rows = []
            for k in range(n):
                r = f.readline().split()
                if len(r) != width:
                    raise DataError(f"{w}: atom row {k + 1} has {len(r)} columns, Properties need {width}")
                rows.append(r)
            col, data = 0, {}
            for name, kind, cnt in fields:
                vals = [r[col:col + cnt] for r in rows]
                try:
                    data[name] = np.array(vals, dtype=float if kind in "RI" else object)
                except ValueError:
                    raise DataError(f"{w}: column '{name}' is not numeric")
                col += cnt
            if "pos" not in data or "species" not in data:
                raise DataError(f"{w}: Properties must include species and pos")
            pos = data.pop("pos").astype(float)
            species = [str(v[0]) for v in data.pop("species")]
            energy = None
            if "energy" in info:
                try:
                    energy = float(info["energy"])
                except ValueError:
                    raise DataError(f"{w}: energy '{info['energy']}' is not a number")
            _check_frame(path, frame, cell, pos, species, data.get("forces"), energy)
            frac = np.linalg.solve(cell.T, pos.T).T
            s = Structure(cell, frac, species, {k: v.astype(float) for k, v in data.items()})
            if energy is not None:
                s.extra["energy"] = energy
            for k in ("config_type", "source"):
                if k in info:
                    s.extra[k] = info[k]
            yield s
            frame += 1


def write_extxyz(f, cell, pos, species, forces=None, energy=None, info=None, ints=None):
    """Appends one frame (ASE convention, full precision) to the open text file f; `ints` adds per-atom
    integer columns {name: values} (e.g. re: 1 for a rare-event atom)."""
    cell = np.asarray(cell, dtype=float)
    ints = ints or {}
    props = "species:S:1:pos:R:3" + (":forces:R:3" if forces is not None else "")
    props += "".join(f":{k}:I:1" for k in ints)
    head = f'Lattice="{" ".join(repr(float(v)) for v in cell.reshape(-1))}" Properties={props}'
    if energy is not None:
        head += f" energy={float(energy)!r}"
    for k, v in (info or {}).items():
        v = str(v)
        head += f' {k}="{v}"' if (" " in v or not v) else f" {k}={v}"
    head += ' pbc="T T T"'
    f.write(f"{len(species)}\n{head}\n")
    for k, e in enumerate(species):
        row = [e] + [repr(float(v)) for v in pos[k]]
        if forces is not None:
            row += [repr(float(v)) for v in forces[k]]
        row += [str(int(v[k])) for v in ints.values()]
        f.write(" ".join(row) + "\n")


def read_mlearn(path):
    """Frames of a mlearn (pymatgen JSON) data set: yields dicts cell, pos, species, forces, energy,
    group. Raises DataError naming the file and frame (list index) on bad data."""
    import json
    with open(path) as f:
        try:
            items = json.load(f)
        except json.JSONDecodeError as e:
            raise DataError(f"{path}: not valid JSON ({e})")
    if not isinstance(items, list):
        raise DataError(f"{path}: expected a JSON list of configurations")
    for k, it in enumerate(items):
        w = _where(path, k)
        try:
            st = it["structure"]
            cell = np.array(st["lattice"]["matrix"], dtype=float)
            pos = np.array([s["xyz"] for s in st["sites"]], dtype=float)
            species = [s["species"][0]["element"] for s in st["sites"]]
            out = it["outputs"]
            energy = float(out["energy"])
        except (KeyError, TypeError, IndexError, ValueError) as e:
            raise DataError(f"{w}: missing or malformed field ({e!r})")
        forces = out.get("forces")
        if forces is None:
            raise DataError(f"{w}: no forces (outputs.forces)")
        if "num_atoms" in it and int(it["num_atoms"]) != len(pos):
            raise DataError(f"{w}: num_atoms = {it['num_atoms']} but {len(pos)} sites")
        _check_frame(path, k, cell, pos, species, forces, energy)
        yield {"cell": cell, "pos": pos, "species": species, "forces": np.array(forces, dtype=float),
               "energy": energy, "group": str(it.get("group", "all"))}


def read_poscar_set(zip_path, data_path, key="DFT_K4", re_labels=False):
    """Frames N = 0, 1, ... of a zip of N.POSCAR.vasp files with DATA.json (Energies.KEY[N], Forces.KEY[N]):
    yields dicts cell, pos, species, forces, energy, name. DataError names the file and frame."""
    import json
    import os
    import re
    import tempfile
    import zipfile
    with open(data_path) as f:
        data = json.load(f)
    try:
        energies, forces = data["Energies"][key], data["Forces"][key]
    except (KeyError, TypeError):
        raise DataError(f"{data_path}: no Energies.{key} / Forces.{key}")
    if len(energies) != len(forces):
        raise DataError(f"{data_path}: {len(energies)} energies but {len(forces)} force sets under {key}")
    with zipfile.ZipFile(zip_path) as z:
        names = {}
        for nm in z.namelist():
            m = re.fullmatch(r"(?:.*/)?(\d+)\.POSCAR\.vasp", nm)
            if m:
                names[int(m.group(1))] = nm
        if sorted(names) != list(range(len(energies))):
            raise DataError(f"{zip_path}: POSCARs 0..{len(energies) - 1} expected for the {len(energies)} "
                            f"entries of {data_path}, found {len(names)}")
        with tempfile.TemporaryDirectory() as tmp:
            for k in range(len(energies)):
                where = f"{zip_path}:{names[k]}"
                p = os.path.join(tmp, "POSCAR")
                with open(p, "wb") as f:
                    f.write(z.read(names[k]))
                try:
                    s = read_poscar(p)
                except (ValueError, IndexError) as e:
                    raise DataError(f"{where}: frame {k}: {e}".replace(p, where))
                pos = s.frac @ s.cell
                try:
                    e = float(energies[k])
                    fk = np.array(forces[k], dtype=float)
                except (TypeError, ValueError):
                    raise DataError(f"{data_path}: frame {k}: energy or forces not numeric")
                _check_frame(f"{zip_path}:{names[k]}", k, s.cell, pos, s.species, fk, e)
                fr = {"cell": s.cell, "pos": pos, "species": s.species, "forces": fk, "energy": e, "name": names[k]}
                if re_labels:
                    if "r" not in data or k >= len(data["r"]) or len(data["r"][k]) != len(pos):
                        raise DataError(f"{data_path}: frame {k}: no per-atom 'r' labels for its {len(pos)} atoms")
                    fr["re"] = [1 if float(v) == 0.0 else 0 for v in data["r"][k]]
                yield fr


def to_lammps_cell(cell):
    """Returns (H, R): H rows = LAMMPS cell vectors (a along x, b in xy), R the rotation with
    v_lammps = R @ v_original for any vector (positions, forces)."""
    a, b, c = cell
    ax = np.linalg.norm(a)
    ahat = a / ax
    bx = b @ ahat
    by = np.linalg.norm(np.cross(ahat, b))
    cx = c @ ahat
    cy = (b @ c - bx * cx) / by
    cz = np.sqrt(max(c @ c - cx * cx - cy * cy, 0.0))
    H = np.array([[ax, 0, 0], [bx, by, 0], [cx, cy, cz]])
    if np.linalg.det(cell) < 0:
        raise ValueError("left-handed cell: LAMMPS needs a right-handed one (swap two cell vectors)")
    R = np.linalg.solve(cell, H).T      # H = cell @ R^T
    return H, R


def frac_to_cart(H, frac):
    return frac @ H


def write_data(path, H, frac, species, masses=None, comment="REVAL reval_convert.py", triclinic=False):
    """LAMMPS data file (atom_style atomic) of the cell H (rows, LAMMPS convention); `triclinic` writes the
    tilt factors even when they are 0 (a triclinic box, e.g. to rerun dumps of triclinic frames)."""
    types = sorted(set(species), key=species.index)
    masses = masses or {}
    tmass = []
    for e in types:
        m = masses.get(e, MASSES.get(e))
        if m is None:
            raise ValueError(f"no mass known for element '{e}': pass masses={{'{e}': ...}}")
        tmass.append(m)
    x = frac_to_cart(H, np.mod(frac, 1.0))
    with open(path, "w") as f:
        f.write(f"{comment}\n\n{len(species)} atoms\n{len(types)} atom types\n\n")
        f.write(f"0.0 {H[0, 0]:.12f} xlo xhi\n0.0 {H[1, 1]:.12f} ylo yhi\n0.0 {H[2, 2]:.12f} zlo zhi\n")
        if triclinic or abs(H[1, 0]) > 0 or abs(H[2, 0]) > 0 or abs(H[2, 1]) > 0:
            f.write(f"{H[1, 0]:.12f} {H[2, 0]:.12f} {H[2, 1]:.12f} xy xz yz\n")
        f.write("\nMasses\n\n")
        for t, (e, m) in enumerate(zip(types, tmass), 1):
            f.write(f"{t} {m} # {e}\n")
        f.write("\nAtoms # atomic\n\n")
        for i, (e, p) in enumerate(zip(species, x), 1):
            f.write(f"{i} {types.index(e) + 1} {p[0]:.12f} {p[1]:.12f} {p[2]:.12f}\n")
    return types


def write_dump(path, H, frac, columns, timestep=0):
    """A LAMMPS text dump (one frame) with id, x y z and extra per-atom columns {name: array}."""
    x = frac_to_cart(H, np.mod(frac, 1.0))
    n = len(frac)
    xy, xz, yz = H[1, 0], H[2, 0], H[2, 1]
    lx, ly, lz = H[0, 0], H[1, 1], H[2, 2]
    names = list(columns)
    with open(path, "a") as f:
        f.write(f"ITEM: TIMESTEP\n{timestep}\nITEM: NUMBER OF ATOMS\n{n}\n")
        f.write("ITEM: BOX BOUNDS xy xz yz pp pp pp\n")
        xlo_b = min(0.0, xy, xz, xy + xz)
        xhi_b = lx + max(0.0, xy, xz, xy + xz)
        ylo_b, yhi_b = min(0.0, yz), ly + max(0.0, yz)
        f.write(f"{xlo_b:.12f} {xhi_b:.12f} {xy:.12f}\n{ylo_b:.12f} {yhi_b:.12f} {xz:.12f}\n0.0 {lz:.12f} {yz:.12f}\n")
        f.write("ITEM: ATOMS id x y z " + " ".join(names) + "\n")
        for i in range(n):
            vals = " ".join(f"{columns[c][i]:.12g}" for c in names)
            f.write(f"{i + 1} {x[i, 0]:.12f} {x[i, 1]:.12f} {x[i, 2]:.12f} {vals}\n")


def main(argv=None):
    ap = argparse.ArgumentParser(prog="reval_convert", description="Convert structures to LAMMPS data/dump files")
    sub = ap.add_subparsers(dest="fmt", required=True)
    p = sub.add_parser("poscar", help="VASP POSCAR -> LAMMPS data file (+ dump with forces)")
    p.add_argument("input")
    p.add_argument("data")
    p.add_argument("--forces", help="N x 3 forces (text or .npy) in the POSCAR's frame, written rotated to --dump")
    p.add_argument("--dump", help="LAMMPS dump file with id x y z fx fy fz")
    x = sub.add_parser("extxyz", help="extended XYZ (all frames) -> data file of frame 1 + dump of all frames")
    x.add_argument("input")
    x.add_argument("data")
    x.add_argument("dump")
    m = sub.add_parser("mlearn", help="mlearn pymatgen JSON -> extended XYZ (training data for reval-fit)")
    m.add_argument("input")
    g = m.add_mutually_exclusive_group(required=True)
    g.add_argument("output", nargs="?", help="one extended XYZ file with every configuration")
    g.add_argument("--by-group", metavar="DIR", help="one file per mlearn group: DIR/<group>.xyz (FitSNAP groups)")
    q = sub.add_parser("poscars", help="zip of N.POSCAR.vasp + DATA.json -> extended XYZ")
    q.add_argument("zip")
    q.add_argument("data")
    q.add_argument("output")
    q.add_argument("--key", default="DFT_K4", help="the DATA.json level of theory (default DFT_K4)")
    q.add_argument("--re-labels", action="store_true",
                   help="add the per-atom column re (1 = rare-event atom) from DATA.json's r (0 marks a migrating "
                        "atom: the authors' labels of the RE test sets)")
    a = ap.parse_args(argv)
    try:
        convert(a)
    except (ValueError, OSError, IndexError) as e:
        ap.error(str(e))    # "reval_convert: error: ...", exit status 2
    return 0


def convert_mlearn(a):
    import os
    frames = list(read_mlearn(a.input))
    if a.output:
        with open(a.output, "w") as f:
            for fr in frames:
                write_extxyz(f, fr["cell"], fr["pos"], fr["species"], fr["forces"], fr["energy"],
                             {"config_type": fr["group"]})
        return
    os.makedirs(a.by_group, exist_ok=True)
    groups = {}
    for fr in frames:
        groups.setdefault(fr["group"], []).append(fr)
    for name, frs in groups.items():
        safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in name)
        with open(os.path.join(a.by_group, safe + ".xyz"), "w") as f:
            for fr in frs:
                write_extxyz(f, fr["cell"], fr["pos"], fr["species"], fr["forces"], fr["energy"],
                             {"config_type": name})


def convert_poscars(a):
    frames = list(read_poscar_set(a.zip, a.data, a.key, a.re_labels))
    with open(a.output, "w") as f:
        for fr in frames:
            write_extxyz(f, fr["cell"], fr["pos"], fr["species"], fr["forces"], fr["energy"],
                         {"source": fr["name"]}, {"re": fr["re"]} if "re" in fr else None)


def convert(a):
    if a.fmt == "mlearn":
        return convert_mlearn(a)
    if a.fmt == "poscars":
        return convert_poscars(a)
    if a.fmt == "poscar":
        s = read_poscar(a.input)
        H, R = to_lammps_cell(s.cell)
        write_data(a.data, H, s.frac, s.species)
        if a.forces:
            F = np.load(a.forces) if a.forces.endswith(".npy") else np.loadtxt(a.forces)
            F = F @ R.T
            if a.dump:
                open(a.dump, "w").close()
                write_dump(a.dump, H, s.frac, {"fx": F[:, 0], "fy": F[:, 1], "fz": F[:, 2]})
    else:
        open(a.dump, "w").close()
        for step, s in enumerate(read_extxyz(a.input)):
            H, R = to_lammps_cell(s.cell)
            if step == 0:
                write_data(a.data, H, s.frac, s.species)
            cols = {}
            if "forces" in s.extra:
                F = s.extra["forces"] @ R.T
                cols = {"fx": F[:, 0], "fy": F[:, 1], "fz": F[:, 2]}
            write_dump(a.dump, H, s.frac, cols, timestep=step)


if __name__ == "__main__":
    sys.exit(main())
