#!/usr/bin/env python3
"""Every preprocessor test of the LAMMPS version is in src/lammps/lammps_bridge.h (doc/developer.md):
no other file of src/ has an #if/#ifdef/#elif on REVAL_LAMMPS_VERSION, LAMMPS_VERSION, LAMMPS_UPDATE or
one of the bridge's REVAL_HAVE_* macros. The test also plants such a test in a copy and expects it found."""
import os
import re
import shutil
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.normpath(os.environ.get("REVAL_SRC", os.path.join(HERE, "..", "..", "src")))
BRIDGE = os.path.join("lammps", "lammps_bridge.h")
VERSION_TEST = re.compile(r"^\s*#\s*(?:if|ifdef|ifndef|elif)\b.*\b(?:REVAL_LAMMPS_VERSION|LAMMPS_VERSION|LAMMPS_UPDATE|"
                          r"REVAL_HAVE_\w+)\b")


def version_tests_outside_bridge(src):
    found = []
    for root, _, files in os.walk(src):
        for f in sorted(files):
            rel = os.path.relpath(os.path.join(root, f), src)
            if not f.endswith((".h", ".hpp", ".cpp")) or rel == BRIDGE:
                continue
            with open(os.path.join(root, f), encoding="utf-8", errors="replace") as fh:
                for n, line in enumerate(fh, 1):
                    if VERSION_TEST.search(line):
                        found.append(f"{rel}:{n}: {line.strip()}")
    return found


class VersionTests(unittest.TestCase):
    def test_only_the_bridge_tests_the_lammps_version(self):
        self.assertEqual(version_tests_outside_bridge(SRC), [],
                         "move these into src/lammps/lammps_bridge.h (a named function or macro there)")

    def test_a_planted_version_test_is_found(self):
        tmp = tempfile.mkdtemp(prefix="version-tests-")
        try:
            shutil.copytree(SRC, os.path.join(tmp, "src"))
            path = os.path.join(tmp, "src", "lammps", "plugin_info.cpp")
            with open(path, "a") as f:
                f.write("\n#if REVAL_LAMMPS_VERSION >= 20220324\nint planted;\n#endif\n")
            found = version_tests_outside_bridge(os.path.join(tmp, "src"))
            self.assertEqual(len(found), 1, found)
            self.assertIn("plugin_info.cpp", found[0])
        finally:
            shutil.rmtree(tmp)


if __name__ == "__main__":
    unittest.main(verbosity=2)
