#!/usr/bin/python3
"""The GPU bundle's manifest (tools/gpu/build-bundle.sh writes it, tools/gpu/device-run.sh prints it) and its
check (tests/tools/test_gpu_bundle.py, and build-bundle.sh before it reports success).

  bundle.py manifest STAGE_DIR KEY=VALUE ...   writes STAGE_DIR/MANIFEST.txt: the KEY=VALUE lines given (versions,
                                              flags), then one line per file: size, sha256 prefix and, for ELF
                                              files with CUDA code, the code it holds read from the file's
                                              .nv_fatbin section (e.g. "sm_90 x12, compute_90 x3")
  bundle.py check ARCHIVE [--limit-mib 60] [--arch 90]
                                              the archive is at most the limit; MANIFEST.txt lists every file with
                                              its size; every ELF file that holds CUDA code holds machine code
                                              for sm_<arch> only (no other machine code, PTX of compute_<arch> at
                                              most), read again from the archived bytes, and the manifest says
                                              the same; the bundle holds at least one CUDA object. Exit 0 and
                                              "bundle OK ..." or exit 1 with one line per problem.

No cuobjdump is needed (the project machines' CUDA toolkit has none): the fatbin headers are read directly
(magic 0xBA55ED50; per entry: kind 1 = PTX, 2 = ELF machine code, header size, payload size, arch at byte 28).
"""
import hashlib
import io
import os
import struct
import sys
import tarfile

LIMIT_MIB = 60  # issue 18: the archive travels to the GPU machine (64 MiB carried in all)
FATBIN_MAGIC = 0xBA55ED50
MANIFEST = "MANIFEST.txt"
# what device-run.sh needs from a bundle
REQUIRED = ("gpu/bin/lmp", "gpu/revalplugin.so", "cpu/bin/lmp", "cpu/revalplugin.so")


def elf_section(data, name):
    """Bytes of the section `name` of a 64-bit little-endian ELF image, or None (not ELF, or no such section)."""
    if len(data) < 64 or data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        return None
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
    if shoff == 0 or shnum == 0 or shoff + shnum * shentsize > len(data):
        return None

    def header(i):
        # sh_name, sh_type, sh_flags, sh_addr, sh_offset, sh_size
        return struct.unpack_from("<IIQQQQ", data, shoff + i * shentsize)

    str_off, str_size = header(shstrndx)[4], header(shstrndx)[5]
    strtab = data[str_off:str_off + str_size]
    for i in range(shnum):
        h = header(i)
        end = strtab.find(b"\0", h[0])
        if strtab[h[0]:end].decode("ascii", "replace") == name:
            return data[h[4]:h[4] + h[5]] if h[1] != 8 else b""  # SHT_NOBITS holds nothing
    return None


def fatbin_code(data):
    """CUDA code in an ELF image: {("sm", arch) or ("compute", arch): count}; {} when there is none."""
    sec = elf_section(data, ".nv_fatbin")
    code = {}
    if not sec:
        return code
    p = 0
    while p + 16 <= len(sec):
        magic, _version, hsize, fsize = struct.unpack_from("<IHHQ", sec, p)
        if magic != FATBIN_MAGIC:
            p += 8  # fatbins are 8-byte aligned in the section
            continue
        q, end = p + hsize, p + hsize + fsize
        while q + 32 <= min(end, len(sec)):
            kind, _v, ehs, psize = struct.unpack_from("<HHIQ", sec, q)
            arch, = struct.unpack_from("<I", sec, q + 28)
            key = ("sm" if kind == 2 else "compute", arch)
            code[key] = code.get(key, 0) + 1
            if ehs == 0:
                break
            q += ehs + psize
        p = max(end, p + 8)
    return code


def code_text(code):
    return ", ".join(f"{k}_{a} x{n}" for (k, a), n in sorted(code.items())) if code else "-"


def write_manifest(stage, pairs):
    files = []
    for root, _dirs, names in os.walk(stage):
        for n in names:
            path = os.path.join(root, n)
            rel = os.path.relpath(path, stage)
            if rel == MANIFEST or os.path.islink(path):
                continue
            with open(path, "rb") as f:
                data = f.read()
            files.append((rel, len(data), hashlib.sha256(data).hexdigest()[:16], fatbin_code(data)))
    files.sort()
    cuda = [f for f in files if f[3]]
    lines = ["# REVAL GPU bundle (tools/gpu/build-bundle.sh); checked by tools/gpu/bundle.py check"]
    lines += [p if "=" in p else p + "=" for p in pairs]
    lines.append(f"files={len(files)}")
    lines.append(f"cuda_objects={len(cuda)}")
    lines.append(f"unpacked_bytes={sum(f[1] for f in files)}")
    lines.append("# file size sha256[:16] cuda-code")
    lines += [f"file {rel} {size} {sha} {code_text(code).replace(' ', '')}" for rel, size, sha, code in files]
    with open(os.path.join(stage, MANIFEST), "w") as f:
        f.write("\n".join(lines) + "\n")
    return len(files), len(cuda)


def parse_manifest(text):
    keys, files = {}, {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("file "):
            w = line.split()
            if len(w) != 5:
                raise ValueError(f"bad manifest line: {line}")
            files[w[1]] = (int(w[2]), w[3], w[4])
        elif "=" in line:
            k, v = line.split("=", 1)
            keys[k] = v
        else:
            raise ValueError(f"bad manifest line: {line}")
    return keys, files


def check(archive, limit_mib=LIMIT_MIB, arch=90):
    """Problems of a bundle archive (empty list: OK) and a one-line summary."""
    problems = []
    size = os.path.getsize(archive)
    if size > limit_mib * 1024 * 1024:
        problems.append(f"{archive}: {size / 2**20:.1f} MiB, over the {limit_mib} MiB limit")
    # one pass over the stream (random access into a compressed tar decompresses from the start each time)
    data = {}  # name -> (size, CUDA code or None for a non-ELF file)
    manifest_text = None
    with tarfile.open(archive, "r|*") as tar:
        for m in tar:
            if not m.isfile():
                continue
            name = os.path.normpath(m.name)
            content = tar.extractfile(m).read()
            if name == MANIFEST:
                manifest_text = content.decode()
            else:
                data[name] = (m.size, fatbin_code(content) if content[:4] == b"\x7fELF" else None)
    if manifest_text is None:
        return problems + [f"{archive}: no {MANIFEST}"], ""
    keys, listed = parse_manifest(manifest_text)
    for k in ("reval_commit", "lammps", "kokkos", "cuda", "cuda_arch", "built"):
        if not keys.get(k):
            problems.append(f"{MANIFEST}: no {k}= line")
    if keys.get("cuda_arch") and keys["cuda_arch"] != f"sm_{arch}":
        problems.append(f"{MANIFEST}: cuda_arch={keys['cuda_arch']}, expected sm_{arch}")
    for r in REQUIRED:
        if r not in data:
            problems.append(f"{archive}: no {r}")
    ncuda = 0
    for name, (msize, code) in sorted(data.items()):
        if name not in listed:
            problems.append(f"{name}: in the archive but not in {MANIFEST}")
            continue
        lsize, _sha, lcode = listed[name]
        if lsize != msize:
            problems.append(f"{name}: {msize} bytes, {MANIFEST} says {lsize}")
        if code is None:
            if lcode != "-":
                problems.append(f"{name}: not an ELF file, {MANIFEST} says it holds CUDA code ({lcode})")
            continue
        if code_text(code).replace(" ", "") != lcode:
            problems.append(f"{name}: holds {code_text(code)}, {MANIFEST} says {lcode}")
        if not code:
            continue
        ncuda += 1
        other = [f"{k}_{a}" for (k, a) in code if a != arch]
        if other:
            problems.append(f"{name}: CUDA code for {', '.join(sorted(other))} (only sm_{arch} is wanted: "
                            f"native code, no PTX compiled at start-up)")
        if ("sm", arch) not in code:
            problems.append(f"{name}: no sm_{arch} machine code")
    for name in listed:
        if name not in data:
            problems.append(f"{name}: in {MANIFEST} but not in the archive")
    if ncuda == 0:
        problems.append(f"{archive}: no CUDA object at all")
    summary = (f"bundle OK: {archive}: {size / 2**20:.1f} MiB (limit {limit_mib}), {len(listed)} files, "
               f"{ncuda} CUDA objects, all sm_{arch}; LAMMPS {keys.get('lammps')}, Kokkos {keys.get('kokkos')}, "
               f"CUDA {keys.get('cuda')}, REVAL {keys.get('reval_commit')}")
    return problems, summary


def main(argv):
    if len(argv) >= 2 and argv[0] == "manifest":
        nfiles, ncuda = write_manifest(argv[1], argv[2:])
        print(f"[gpu-bundle] manifest: {nfiles} files, {ncuda} CUDA objects")
        return 0
    if len(argv) >= 2 and argv[0] == "check":
        limit, arch, rest = LIMIT_MIB, 90, list(argv[1:])
        archive = None
        while rest:
            a = rest.pop(0)
            if a == "--limit-mib":
                limit = float(rest.pop(0))
            elif a == "--arch":
                arch = int(rest.pop(0))
            else:
                archive = a
        if not archive or not os.path.isfile(archive):
            print(f"bundle.py check: no archive {archive}", file=sys.stderr)
            return 2
        problems, summary = check(archive, limit, arch)
        for p in problems:
            print("bundle problem: " + p)
        if not problems:
            print(summary)
        return 1 if problems else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
