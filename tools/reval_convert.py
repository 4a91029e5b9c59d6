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
"""
import argparse
import sys
from dataclasses import dataclass, field

import numpy as np

MASSES = {"H": 1.008, "C": 12.011, "N": 14.007, "O": 15.999, "Al": 26.982, "Si": 28.0855, "Ti": 47.867,
          "Fe": 55.845, "Ni": 58.693, "Cu": 63.546, "Ge": 72.63, "Mo": 95.95, "Ta": 180.948, "W": 183.84}


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


def read_extxyz(path):
    """Extended XYZ frames: yields Structure with extra arrays (forces etc.) and info (energy)."""
    import re
    with open(path) as f:
        while True:
            line = f.readline()
            if not line:
                return
            if not line.strip():
                continue
            n = int(line)
            comment = f.readline()
            lat = re.search(r'Lattice="([^"]+)"', comment)
            if not lat:
                raise ValueError(f"{path}: frame without Lattice=\"...\"")
            cell = np.array([float(v) for v in lat.group(1).split()]).reshape(3, 3)
            props = re.search(r'Properties=(\S+)', comment)
            spec = (props.group(1) if props else "species:S:1:pos:R:3").split(":")
            fields = [(spec[i], spec[i + 1], int(spec[i + 2])) for i in range(0, len(spec), 3)]
            rows = [f.readline().split() for _ in range(n)]
            col, data = 0, {}
            for name, kind, width in fields:
                vals = [r[col:col + width] for r in rows]
                data[name] = np.array(vals, dtype=float if kind in "RI" else object)
                col += width
            pos = data.pop("pos").astype(float)
            species = [str(s[0]) for s in data.pop("species")]
            frac = np.linalg.solve(cell.T, pos.T).T
            s = Structure(cell, frac, species, {k: v.astype(float) for k, v in data.items()})
            m = re.search(r'energy=(\S+)', comment)
            if m:
                s.extra["energy"] = float(m.group(1))
            yield s


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


def write_data(path, H, frac, species, masses=None, comment="REVAL reval_convert.py"):
    types = sorted(set(species), key=species.index)
    masses = masses or {}
    x = frac_to_cart(H, np.mod(frac, 1.0))
    with open(path, "w") as f:
        f.write(f"{comment}\n\n{len(species)} atoms\n{len(types)} atom types\n\n")
        f.write(f"0.0 {H[0, 0]:.12f} xlo xhi\n0.0 {H[1, 1]:.12f} ylo yhi\n0.0 {H[2, 2]:.12f} zlo zhi\n")
        if abs(H[1, 0]) > 0 or abs(H[2, 0]) > 0 or abs(H[2, 1]) > 0:
            f.write(f"{H[1, 0]:.12f} {H[2, 0]:.12f} {H[2, 1]:.12f} xy xz yz\n")
        f.write("\nMasses\n\n")
        for t, e in enumerate(types, 1):
            f.write(f"{t} {masses.get(e, MASSES.get(e, 1.0))} # {e}\n")
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
    a = ap.parse_args(argv)
    try:
        convert(a)
    except (ValueError, OSError, IndexError) as e:
        ap.error(str(e))    # "reval_convert: error: ...", exit status 2
    return 0


def convert(a):
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
