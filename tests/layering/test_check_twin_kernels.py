#!/usr/bin/env python3
"""Tests of check_twin_kernels.py: it passes on a tree whose twins share their kernels and fails, naming
rule, class, method and kernel, on planted divergences: in a small synthetic tree with exact expectations,
and in copies of the real src/ (a /kk method that reaches a kernel its CPU twin does not, a CPU method
that computes a quantity with its own code instead of the kernel its /kk twin calls, a functor with
physics and no kernel)."""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.normpath(os.environ.get("REVAL_SRC", os.path.join(HERE, "..", "..", "src")))
sys.path.insert(0, HERE)
import check_twin_kernels as ctk    # noqa: E402


def write(root, rel, text):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(textwrap.dedent(text))


def run_check(src):
    p = subprocess.run([sys.executable, os.path.join(HERE, "check_twin_kernels.py"), "--src", src],
                       capture_output=True, text=True)
    return p.returncode, p.stdout + p.stderr


class Synthetic(unittest.TestCase):
    """A twin pair written by hand: CPU style, /kk twin, functor, point kernels, a core helper."""

    def setUp(self):
        self.root = tempfile.mkdtemp(prefix="twin-synthetic-")
        write(self.root, "kernels/point/k.hpp", """
            #pragma once
            #include "kernels/point/reval_function.hpp"
            namespace reval { namespace kernels {
            REVAL_FUNCTION double dist2(const double a[3]) { return a[0] * a[0] + a[1] * a[1] + a[2] * a[2]; }
            REVAL_FUNCTION double other(double a) { return dist2(&a); }
            }}
            """)
        write(self.root, "core/helper.h", "#pragma once\nnamespace reval { double helper(const double *x); }\n")
        write(self.root, "core/helper.cpp", """
            #include "core/helper.h"
            #include "kernels/point/k.hpp"
            namespace reval { double helper(const double *x) { return kernels::dist2(x); } }
            """)
        write(self.root, "lammps/compute_thing.h", """
            #include "compute.h"
            namespace LAMMPS_NS {
            class ComputeThing : public Compute {
             public:
              void compute_peratom() override;
             protected:
              virtual void sums(double *s);
            };
            }
            """)
        write(self.root, "lammps/compute_thing.cpp", """
            #include "compute_thing.h"
            #include "core/helper.h"
            using namespace LAMMPS_NS;
            void ComputeThing::compute_peratom() { double s[3]; sums(s); }
            void ComputeThing::sums(double *s) { for (int i = 0; i < 3; ++i) s[i] = reval::helper(s); }
            """)
        write(self.root, "kernels/kokkos/thing_kokkos.hpp", """
            #pragma once
            #include "kernels/point/k.hpp"
            namespace reval { namespace kokkos {
            template <class DeviceType, class XView> struct ThingFunctor {
              XView x;
              KOKKOS_INLINE_FUNCTION void operator()(const int i, double &s) const { s += kernels::dist2(&x(i, 0)); }
            };
            }}
            """)
        write(self.root, "lammps/kokkos/compute_thing_kokkos.h", """
            #include "compute_thing.h"
            namespace LAMMPS_NS {
            template <class DeviceType> class ComputeThingKokkos : public ComputeThing {
             protected:
              void sums(double *s) override;
            };
            }
            """)
        write(self.root, "lammps/kokkos/compute_thing_kokkos.cpp", """
            #include "kokkos/compute_thing_kokkos.h"
            #include "kernels/kokkos/thing_kokkos.hpp"
            using namespace LAMMPS_NS;
            template <class DeviceType> void ComputeThingKokkos<DeviceType>::sums(double *s)
            {
              using F = reval::kokkos::ThingFunctor<DeviceType, decltype(x)>;
              F f;
              Kokkos::parallel_reduce(3, f, s[0]);
            }
            """)

    def tearDown(self):
        shutil.rmtree(self.root)

    def replace(self, rel, old, new):
        path = os.path.join(self.root, rel)
        text = ctk.read(path)
        self.assertIn(old, text)
        with open(path, "w") as f:
            f.write(text.replace(old, new))

    def test_twins_on_one_kernel_pass(self):
        result = ctk.analyse(self.root)
        self.assertEqual(result["violations"], [])
        (pair,) = result["pairs"]
        self.assertEqual(pair["methods"]["sums"], {"cpu": ["dist2"], "kk": ["dist2"], "functors": ["ThingFunctor"]})
        self.assertEqual(pair["functors"], ["ThingFunctor"])

    def expect_violations(self, rel, old, new, *patterns):
        """After replacing `old` by `new` in `rel`, the check fails with every regex of `patterns`."""
        self.replace(rel, old, new)
        rc, out = run_check(self.root)
        self.assertEqual(rc, 1, out)
        for pattern in patterns:
            self.assertRegex(out, pattern)

    def test_cpu_own_formula_fails(self):
        # the CPU twin computes the quantity itself instead of through the core helper's kernel
        self.expect_violations("lammps/compute_thing.cpp", "reval::helper(s)", "s[0] * s[0] + s[1] * s[1] + s[2] * s[2]",
                               r"R1 ComputeThing::sums .* CPU only \[\], /kk only \['dist2'\]")

    def test_kk_other_kernel_fails(self):
        self.expect_violations("kernels/kokkos/thing_kokkos.hpp", "kernels::dist2(&x(i, 0))", "kernels::other(x(i, 0))",
                               r"R1 ComputeThing::sums .* CPU only \['dist2'\], /kk only \['other'\]",
                               r"R2 ComputeThingKokkos .* never calls: \['other'\]")

    def test_functor_without_kernel_fails(self):
        self.expect_violations("kernels/kokkos/thing_kokkos.hpp", "s += kernels::dist2(&x(i, 0));",
                               "s += x(i, 0) * x(i, 0) + x(i, 1) * x(i, 1) + x(i, 2) * x(i, 2);",
                               r"R3 functor ThingFunctor")

    def test_comments_and_strings_do_not_count(self):
        self.expect_violations("lammps/compute_thing.cpp", "s[i] = reval::helper(s);",
                               's[i] = 0.0;    // was reval::helper(s)\n  const char *t = "kernels::dist2(s)";',
                               r"R1 ComputeThing::sums")


class RealTree(unittest.TestCase):
    """The real src/: passes as it is; fails on divergences planted in a copy."""

    @classmethod
    def setUpClass(cls):
        cls.result = ctk.analyse(SRC)

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="twin-real-")
        self.src = os.path.join(self.tmp, "src")
        shutil.copytree(SRC, self.src)

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def test_real_tree_passes(self):
        self.assertGreaterEqual(len(self.result["pairs"]), 5, [p["style"] for p in self.result["pairs"]])
        self.assertEqual(self.result["violations"], [])
        for p in self.result["pairs"]:
            self.assertTrue(p["cpu_kernels"], p["style"] + ": no kernel found on the CPU side: the scan is broken")

    def test_developer_doc_table_is_current(self):
        doc = os.path.join(SRC, "..", "doc", "developer.md")
        self.assertEqual(ctk.doc_table(doc), ctk.markdown(self.result),
                         "doc/developer.md's twin table is out of date: run "
                         "tests/layering/check_twin_kernels.py --update-doc doc/developer.md")

    def edit_method(self, rel, cls, method, edit):
        """Applies edit(body) -> body to the definition of cls::method in rel (first one)."""
        path = os.path.join(self.src, rel)
        text = ctk.read(path)
        m = re.search(r"\b" + cls + r"(?:<\w+>)?::" + method + r"\s*\(", text)
        self.assertIsNotNone(m, f"{cls}::{method} not found in {rel}")
        start = text.index("{", m.end())
        end = ctk.matching_brace(ctk.strip_code(text), start)
        with open(path, "w") as f:
            f.write(text[:start + 1] + edit(text[start + 1:end]) + text[end:])

    def shared_methods(self):
        for p in self.result["pairs"]:
            for name, sets in p["methods"].items():
                yield p, name, sets

    def test_kk_reaching_a_kernel_its_cpu_twin_does_not_fails(self):
        # a /kk override launches a functor that calls a kernel the CPU method never reaches
        p, name, sets = next((p, n, s) for p, n, s in self.shared_methods() if s["kk"])
        tree = ctk.Tree(SRC)
        extra = sorted(tree.kernels - set(p["cpu_kernels"]))[0]
        write(self.src, "kernels/kokkos/zz_planted_kokkos.hpp", f"""
            #pragma once
            namespace reval {{ namespace kokkos {{
            struct PlantedFunctor {{
              KOKKOS_INLINE_FUNCTION void operator()(const int i) const {{ reval::kernels::{extra}(i); }}
            }};
            }}}}
            """)
        self.edit_method(p["kk"], p["kk_class"], name,
                         lambda body: "\n  reval::kokkos::PlantedFunctor planted;" + body)
        rc, out = run_check(self.src)
        self.assertEqual(rc, 1, out)
        self.assertRegex(out, rf"R1 {p['cpu_class']}::{name} .*/kk only \[[^]]*'{extra}'")
        self.assertRegex(out, rf"R2 {p['kk_class']} .*never calls: \[[^]]*'{extra}'")

    def test_cpu_computing_a_quantity_itself_fails(self):
        # a CPU override that calls a kernel directly (not through anything else) now spells it out itself
        tree = ctk.Tree(SRC)
        found = None
        for p, name, sets in self.shared_methods():
            cpu_files = tree.closure(p["cpu"], ("kernels/kokkos/", "lammps/kokkos/"))
            side = ctk.Side(tree, cpu_files, p["cpu_class"])
            f = side.methods(p["cpu_class"])[name]
            kernels, callees, _ = side.direct(f)
            via_callees = set().union(*[side.reach(g) for g in callees]) if callees else set()
            only_here = sorted(k for k in kernels - via_callees if k in sets["kk"])
            if only_here:
                found = (p, name, only_here[0])
                break
        self.assertIsNotNone(found, "no CPU override calls a kernel directly: nothing to plant")
        p, name, kernel = found
        self.edit_method(p["cpu"], p["cpu_class"], name,
                         lambda body: re.sub(r"(?:\b\w+\s*::\s*)*\b" + kernel + r"\s*\(", "planted_own_formula(", body))
        rc, out = run_check(self.src)
        self.assertEqual(rc, 1, out)
        self.assertRegex(out, rf"R1 {p['cpu_class']}::{name} .*/kk only \[[^]]*'{kernel}'")

    def test_snap_host_layouts_reach_the_kernels_they_stand_for(self):
        # the plain SNAP engine without its portable branches (#else): its host SIMD layouts (HOST_LAYOUTS, the
        # kernels the /kk twin's host path runs too) reach the portable point kernels of the /kk twin's device
        # path; a replacement of one of them by the engine's own code does not
        path = os.path.join(self.src, "core", "snap_engine.cpp")
        with open(path) as f:
            lines, keep, skip = f.read().split("\n"), [], False
        for line in lines:
            if line.startswith("#else"):
                skip = True
            elif line.startswith("#endif") and skip:
                skip = False
            elif not skip:
                keep.append(line)
        text = "\n".join(keep)
        self.assertIn("snap_host_dedr(", text)
        self.assertNotRegex(text, r"\bsnap_deidrj\s*\(")
        with open(path, "w") as f:
            f.write(text)
        rc, out = run_check(self.src)
        self.assertEqual(rc, 0, out)
        with open(path, "w") as f:
            f.write(text.replace("snap_host_dedr(", "planted_own_deidrj("))
        rc, out = run_check(self.src)
        self.assertEqual(rc, 1, out)
        self.assertRegex(out, r"R1 PairSNAPModel::compute .*/kk only \[[^]]*'snap_deidrj'")

    def test_functor_with_physics_and_no_kernel_fails(self):
        p = self.result["pairs"][0]
        name = next(iter(p["methods"]))
        write(self.src, "kernels/kokkos/zz_planted_kokkos.hpp", """
            #pragma once
            namespace reval { namespace kokkos {
            template <class XView, class OutView> struct PlantedInlineFunctor {
              XView x;
              OutView out;
              KOKKOS_INLINE_FUNCTION void operator()(const int i) const { out(i) = x(i, 0) * x(i, 0) + x(i, 1) * x(i, 1); }
            };
            }}
            """)
        self.edit_method(p["kk"], p["kk_class"], name,
                         lambda body: "\n  reval::kokkos::PlantedInlineFunctor<XV, OV> planted;" + body)
        rc, out = run_check(self.src)
        self.assertEqual(rc, 1, out)
        self.assertIn(f"R3 functor PlantedInlineFunctor (kernels/kokkos/zz_planted_kokkos.hpp), launched by {p['kk_class']}",
                      out)


if __name__ == "__main__":
    unittest.main(verbosity=2)
