#!/usr/bin/python3
"""Print an apt deb822 'deb-src' stanza for every enabled 'deb' entry of a Debian suite found in this
machine's own apt configuration (deb822 *.sources files and one-line *.list entries).

REVAL's bootstrap uses it to reach source packages without ever writing a mirror's host name into the
repository: the URIs are copied from the machine. Exit status 1 (and nothing printed) when no entry for
the suite exists.

    derive_deb_src.py [--suite bookworm] [--etc-apt /etc/apt] [--as-suite trixie]
"""
import argparse
import glob
import os
import re
import sys


def deb822_stanzas(text):
    """Yield dicts of the fields of each stanza of a deb822 file (comments dropped, folded lines joined)."""
    cur, key = {}, None
    for line in text.splitlines():
        if not line.strip():
            if cur:
                yield cur
            cur, key = {}, None
            continue
        if line.lstrip().startswith('#'):
            continue
        if line[0] in ' \t' and key:
            cur[key] += ' ' + line.strip()
            continue
        if ':' in line:
            key, val = line.split(':', 1)
            key = key.strip()
            cur[key] = val.strip()
    if cur:
        yield cur


def derive(etc_apt, suite, as_suite=None):
    out, seen = [], set()
    for f in sorted(glob.glob(os.path.join(etc_apt, 'sources.list.d', '*.sources'))):
        if os.path.basename(f).startswith('reval-deb-src'):
            continue
        try:
            text = open(f, encoding='utf-8').read()
        except OSError:
            continue
        for s in deb822_stanzas(text):
            if s.get('Enabled', 'yes').lower() == 'no':
                continue
            if 'deb' not in s.get('Types', '').split() or 'URIs' not in s:
                continue
            suites = [x for x in s.get('Suites', '').split() if x == suite or x.startswith(suite + '-')]
            if as_suite:
                suites = [as_suite] if suite in suites else []
            if not suites:
                continue
            key = (s['URIs'], tuple(suites))
            if key in seen:
                continue
            seen.add(key)
            st = ['Types: deb-src', 'URIs: ' + s['URIs'], 'Suites: ' + ' '.join(suites),
                  'Components: ' + s.get('Components', 'main')]
            if 'Signed-By' in s:
                st.append('Signed-By: ' + s['Signed-By'])
            out.append('\n'.join(st))
    lists = [os.path.join(etc_apt, 'sources.list')] + sorted(glob.glob(os.path.join(etc_apt, 'sources.list.d', '*.list')))
    for f in lists:
        try:
            text = open(f, encoding='utf-8').read()
        except OSError:
            continue
        for line in text.splitlines():
            m = re.match(r'^\s*deb\s+(\[[^\]]*\]\s+)?(\S+)\s+(\S+)\s+(.*?)\s*$', line)
            if not m:
                continue
            uri, sui, comps = m.group(2), m.group(3), m.group(4)
            if not (sui == suite or sui.startswith(suite + '-')):
                continue
            if as_suite:
                if sui != suite:
                    continue
                sui = as_suite
            key = (uri, (sui,))
            if key in seen:
                continue
            seen.add(key)
            st = ['Types: deb-src', 'URIs: ' + uri, 'Suites: ' + sui, 'Components: ' + comps]
            opts = m.group(1) or ''
            sb = re.search(r'signed-by=(\S+?)\s*\]?$', opts.strip())
            if sb:
                st.append('Signed-By: ' + sb.group(1).rstrip(']'))
            out.append('\n'.join(st))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--suite', default='bookworm')
    ap.add_argument('--etc-apt', default='/etc/apt')
    ap.add_argument('--as-suite', default=None,
                    help="write entries for this suite instead (e.g. trixie), from the main archive of --suite")
    a = ap.parse_args()
    stanzas = derive(a.etc_apt, a.suite, a.as_suite)
    if not stanzas:
        print(f"derive_deb_src: no enabled 'deb' entry for suite {a.suite} under {a.etc_apt}", file=sys.stderr)
        return 1
    print("# written by REVAL tools/bootstrap.sh: deb-src twins of this machine's own apt entries\n")
    print('\n\n'.join(stanzas))
    return 0


if __name__ == '__main__':
    sys.exit(main())
