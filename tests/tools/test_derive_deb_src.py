"""tools/derive_deb_src.py: deb-src entries copied from the machine's own apt entries."""
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
TOOL = os.path.join(HERE, '..', '..', 'tools', 'derive_deb_src.py')


def run(etc, suite='bookworm'):
    p = subprocess.run([sys.executable, TOOL, '--etc-apt', etc, '--suite', suite],
                       capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


class DeriveDebSrc(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.etc = self.tmp.name
        os.makedirs(os.path.join(self.etc, 'sources.list.d'))

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, rel, text):
        with open(os.path.join(self.etc, rel), 'w') as f:
            f.write(text)

    def test_deb822_entries_are_copied(self):
        self.write('sources.list.d/debian.sources',
                   'Types: deb\n# a comment\nURIs: http://mirror.example/debian\n'
                   'Suites: bookworm bookworm-updates trixie\nComponents: main contrib\n'
                   'Signed-By: /usr/share/keyrings/k.gpg\n\n'
                   'Types: deb\nURIs: http://other.example/x\nSuites: nodistro\nComponents: main\n\n'
                   'Types: deb\nEnabled: no\nURIs: http://off.example/debian\nSuites: bookworm\nComponents: main\n')
        rc, out, _ = run(self.etc)
        self.assertEqual(rc, 0)
        self.assertIn('Types: deb-src\nURIs: http://mirror.example/debian\nSuites: bookworm bookworm-updates\n'
                      'Components: main contrib\nSigned-By: /usr/share/keyrings/k.gpg', out)
        self.assertNotIn('other.example', out)
        self.assertNotIn('off.example', out)
        self.assertNotIn('trixie', out)

    def test_one_line_entries_are_copied(self):
        self.write('sources.list', '# deb http://commented.example/debian bookworm main\n'
                   'deb [arch=amd64 signed-by=/k.gpg] http://m.example/debian bookworm main\n'
                   'deb-src http://m.example/debian bookworm main\n'
                   'deb http://m.example/debian-security bookworm-security main\n')
        rc, out, _ = run(self.etc)
        self.assertEqual(rc, 0)
        self.assertIn('URIs: http://m.example/debian\nSuites: bookworm\nComponents: main\nSigned-By: /k.gpg', out)
        self.assertIn('URIs: http://m.example/debian-security\nSuites: bookworm-security', out)
        self.assertNotIn('commented.example', out)

    def test_our_own_file_is_ignored_and_duplicates_dropped(self):
        entry = 'Types: deb\nURIs: http://m.example/debian\nSuites: bookworm\nComponents: main\n'
        self.write('sources.list.d/a.sources', entry)
        self.write('sources.list.d/b.sources', entry)
        self.write('sources.list.d/reval-deb-src.sources', entry.replace('m.example', 'stale.example'))
        rc, out, _ = run(self.etc)
        self.assertEqual(rc, 0)
        self.assertEqual(out.count('Types: deb-src'), 1)
        self.assertNotIn('stale.example', out)

    def test_as_suite_rewrites_the_main_archive_only(self):
        self.write('sources.list.d/debian.sources',
                   'Types: deb\nURIs: http://m.example/debian\nSuites: bookworm bookworm-updates\nComponents: main\n\n'
                   'Types: deb\nURIs: http://m.example/debian-security\nSuites: bookworm-security\nComponents: main\n')
        p = subprocess.run([sys.executable, TOOL, '--etc-apt', self.etc, '--as-suite', 'trixie'],
                           capture_output=True, text=True)
        self.assertEqual(p.returncode, 0)
        self.assertIn('URIs: http://m.example/debian\nSuites: trixie\n', p.stdout)
        self.assertNotIn('bookworm', p.stdout)
        self.assertNotIn('debian-security', p.stdout)

    def test_no_entry_for_suite_fails_with_message(self):
        self.write('sources.list.d/x.sources', 'Types: deb\nURIs: http://m.example/ubuntu\nSuites: jammy\n')
        rc, out, err = run(self.etc)
        self.assertEqual(rc, 1)
        self.assertEqual(out, '')
        self.assertIn("no enabled 'deb' entry for suite bookworm", err)


if __name__ == '__main__':
    unittest.main()
