"""tools/gpu/bundle.py: the GPU bundle's manifest and its check (archive size limit, sm_90 machine code only in
every CUDA object, manifest consistent with the archived bytes).

Synthetic bundles are made of small ELF files whose .nv_fatbin sections hold fatbin entries of chosen kinds and
architectures (the layout nvcc writes: checked against nvcc 13.0 output when the bundle parser was written).
The bundle built by tools/gpu/build-bundle.sh is checked too when it exists (REVAL_GPU_BUNDLE, or
.gpu-carry/reval-gpu-bundle.tar.xz in the repository); it is not built in CI (35+ minutes of nvcc)."""
import os
import struct
import subprocess
import sys
import tarfile
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(REPO, "tools", "gpu"))
import bundle  # noqa: E402

TOOL = os.path.join(REPO, "tools", "gpu", "bundle.py")


def fatbin(entries):
    """A fatbin: entries [(kind, arch)] with kind 2 = ELF machine code, 1 = PTX."""
    body = b""
    for kind, arch in entries:
        payload = bytes(range(48))
        head = struct.pack("<HHIQ", kind, 0x0101, 64, len(payload)) + bytes(12) + struct.pack("<I", arch)
        body += head + bytes(64 - len(head)) + payload
    return struct.pack("<IHHQ", bundle.FATBIN_MAGIC, 1, 16, len(body)) + body


def elf(sections):
    """A 64-bit little-endian ELF image with the given {name: bytes} sections (plus the null section and
    .shstrtab)."""
    names = [".shstrtab"] + list(sections)
    shstr = b"\0" + b"".join(n.encode() + b"\0" for n in names)
    offsets, blob, pos = {}, b"", 64
    for n in names:
        data = shstr if n == ".shstrtab" else sections[n]
        offsets[n] = (pos + len(blob), len(data))
        blob += data + bytes((-len(data)) % 8)
    shoff = 64 + len(blob)
    ident = b"\x7fELF" + bytes([2, 1, 1]) + bytes(9)
    header = ident + struct.pack("<HHIQQQIHHHHHH", 3, 62, 1, 0, 0, shoff, 0, 64, 0, 0, 64, len(names) + 1, 1)
    shdrs = bytes(64)
    for n in names:
        name_off = shstr.index(n.encode() + b"\0")
        off, size = offsets[n]
        shdrs += struct.pack("<IIQQQQIIQQ", name_off, 3 if n == ".shstrtab" else 1, 0 if n == ".shstrtab" else 2,
                             0, off, size, 0, 0, 8, 0)
    return header + blob + shdrs


KEYS = ["reval_commit=abc123", "lammps=29 Sep 2021 - Update 2", "kokkos=3.4.01", "cuda=13.0", "cuda_arch=sm_90",
        "built=now"]


class Bundle:
    """A staged bundle in a temporary folder: required programs, a CUDA plugin, a CPU plugin."""

    def __init__(self, d, plugin_code=((2, 90), (2, 90), (1, 90)), keys=KEYS):
        self.stage = os.path.join(d, "stage")
        files = {
            "gpu/bin/lmp": elf({".text": b"\x90" * 32}),
            "gpu/revalplugin.so": elf({".text": b"\x90" * 32, ".nv_fatbin": fatbin(plugin_code)}),
            "gpu/lib/liblammps.so.0": elf({".nv_fatbin": fatbin([(2, 90)])}),
            "cpu/bin/lmp": elf({".text": b"\x90" * 16}),
            "cpu/revalplugin.so": elf({".text": b"\x90" * 16}),
            "potentials/Si.sw": b"Si Si Si 2.1683 2.0951 1.80 21.0 1.20 -0.333333333333 7.049556277 0.6022245584 4.0 0.0 0.0\n",
        }
        for rel, data in files.items():
            os.makedirs(os.path.dirname(os.path.join(self.stage, rel)), exist_ok=True)
            with open(os.path.join(self.stage, rel), "wb") as f:
                f.write(data)
        bundle.write_manifest(self.stage, keys)
        self.archive = os.path.join(d, "bundle.tar.xz")
        self.pack()

    def pack(self):
        with tarfile.open(self.archive, "w:xz") as tar:
            tar.add(self.stage, arcname=".")


class FatbinTest(unittest.TestCase):
    def test_code_read_from_elf(self):
        data = elf({".text": b"x", ".nv_fatbin": fatbin([(2, 90), (2, 80), (1, 90)])})
        self.assertEqual(bundle.fatbin_code(data), {("sm", 90): 1, ("sm", 80): 1, ("compute", 90): 1})
        self.assertEqual(bundle.fatbin_code(elf({".text": b"x"})), {})
        self.assertEqual(bundle.fatbin_code(b"#!/bin/sh\n"), {})

    def test_nvcc_output_when_available(self):
        """The parser against real nvcc output (skipped where no nvcc is installed)."""
        if not subprocess.run(["sh", "-c", "command -v nvcc"], capture_output=True).stdout:
            self.skipTest("no nvcc here")
        with tempfile.TemporaryDirectory() as d:
            src = os.path.join(d, "k.cu")
            with open(src, "w") as f:
                f.write("__global__ void k(float *x) { x[threadIdx.x] *= 2; }\n")
            for flags, want in ((["-arch=sm_90"], {"sm_90", "compute_90"}),
                                (["-gencode", "arch=compute_80,code=sm_80"], {"sm_80"})):
                obj = os.path.join(d, "k.o")
                subprocess.run(["nvcc", "-c", src, "-o", obj, *flags], check=True, capture_output=True)
                with open(obj, "rb") as f:
                    got = {f"{k}_{a}" for (k, a) in bundle.fatbin_code(f.read())}
                self.assertEqual(got, want, flags)


class CheckTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.d = self.tmp.name

    def tearDown(self):
        self.tmp.cleanup()

    def check(self, archive, *extra):
        return subprocess.run([sys.executable, TOOL, "check", archive, *extra], capture_output=True, text=True)

    def test_good_bundle_passes(self):
        b = Bundle(self.d)
        r = self.check(b.archive)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("bundle OK", r.stdout)
        self.assertIn("2 CUDA objects, all sm_90", r.stdout)
        with open(os.path.join(b.stage, bundle.MANIFEST)) as f:
            text = f.read()
        self.assertIn("file gpu/revalplugin.so ", text)
        self.assertIn("compute_90x1,sm_90x2", text)
        self.assertIn("cuda_objects=2", text)

    def test_default_limit_is_60_mib(self):
        self.assertEqual(bundle.LIMIT_MIB, 60)

    def test_over_the_size_limit_fails(self):
        b = Bundle(self.d)
        r = self.check(b.archive, "--limit-mib", "0.001")
        self.assertEqual(r.returncode, 1)
        self.assertIn("over the 0.001 MiB limit", r.stdout)

    def test_other_architecture_fails(self):
        b = Bundle(self.d, plugin_code=((2, 90), (2, 80)))
        r = self.check(b.archive)
        self.assertEqual(r.returncode, 1)
        self.assertIn("gpu/revalplugin.so: CUDA code for sm_80", r.stdout)

    def test_ptx_only_fails(self):
        b = Bundle(self.d, plugin_code=((1, 90),))
        r = self.check(b.archive)
        self.assertEqual(r.returncode, 1)
        self.assertIn("gpu/revalplugin.so: no sm_90 machine code", r.stdout)

    def test_manifest_must_match_the_bytes(self):
        b = Bundle(self.d)
        # the plugin replaced after the manifest was written: other size and other code
        with open(os.path.join(b.stage, "gpu/revalplugin.so"), "wb") as f:
            f.write(elf({".nv_fatbin": fatbin([(2, 90), (2, 90), (2, 90), (1, 90)])}))
        # a file the manifest does not list
        with open(os.path.join(b.stage, "potentials/extra.sw"), "w") as f:
            f.write("x\n")
        b.pack()
        r = self.check(b.archive)
        self.assertEqual(r.returncode, 1)
        self.assertIn("gpu/revalplugin.so: holds compute_90 x1, sm_90 x3, MANIFEST.txt says compute_90x1,sm_90x2",
                      r.stdout)
        self.assertIn("potentials/extra.sw: in the archive but not in MANIFEST.txt", r.stdout)
        self.assertIn("gpu/revalplugin.so: ", r.stdout)

    def test_missing_keys_and_programs_fail(self):
        b = Bundle(self.d, keys=["reval_commit=abc"])
        os.remove(os.path.join(b.stage, "cpu/bin/lmp"))
        bundle.write_manifest(b.stage, ["reval_commit=abc"])
        b.pack()
        r = self.check(b.archive)
        self.assertEqual(r.returncode, 1)
        self.assertIn("no cuda_arch= line", r.stdout)
        self.assertIn("no cpu/bin/lmp", r.stdout)

    def test_no_archive(self):
        r = self.check(os.path.join(self.d, "none.tar.xz"))
        self.assertEqual(r.returncode, 2)


class BuiltBundleTest(unittest.TestCase):
    def test_built_bundle(self):
        path = os.environ.get("REVAL_GPU_BUNDLE", os.path.join(REPO, ".gpu-carry", "reval-gpu-bundle.tar.xz"))
        if not os.path.isfile(path):
            self.skipTest(f"no bundle at {path} (tools/gpu/build-bundle.sh builds it; not in CI)")
        r = subprocess.run([sys.executable, TOOL, "check", path], capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertRegex(r.stdout, r"bundle OK: .* [1-9][0-9]* CUDA objects, all sm_90")


if __name__ == "__main__":
    unittest.main(verbosity=2)
