#!/usr/bin/env python3
"""Each CPU style and its /kk twin compute every quantity with the same point kernels.

Twin pairs: src/lammps/X.cpp (+ X.h) and src/lammps/kokkos/X_kokkos.cpp (+ X_kokkos.h), the /kk class
deriving from the CPU class. A *point kernel* is a free function defined in src/kernels/point/*.hpp; a
*functor* is a struct with an operator() defined in src/kernels/kokkos/*.hpp.

What a function *reaches*: the point kernels it calls, and, transitively, those reached by the functions
it calls, found by name (a text scan, not a compiler):
  CPU side  methods of the CPU class, free functions of its files, and functions of the src/ files its
            includes lead to (X.h -> X.cpp; never src/kernels/kokkos or src/lammps/kokkos);
  /kk side  methods of the /kk class (an unqualified call of a method the /kk class defines is the /kk
            one: virtual dispatch), the CPU class's methods it inherits (Base::m(...) reaches the CPU
            one), the CPU side's functions, and the functors it names (directly or through a `using`
            alias): every member function of the functor and the src/kernels/kokkos helpers they call.
A point kernel called inside another point kernel is not listed (the caller is the kernel call).

A host SIMD layout of point kernels (src/kernels/point/snap_host_simd.hpp, HOST_LAYOUTS) is a point kernel that
also reaches the portable kernels it stands for.

Rules (a violation fails the check, naming pair, method and kernels):
  R1  For every method that both classes define (the /kk twin overrides it: search_atoms, compute, ...)
      the two methods reach the SAME set of point kernels.
  R2  Every point kernel the /kk twin reaches, the CPU twin reaches too.
  R3  Every functor a /kk twin names reaches at least one point kernel (physics is not written in the
      Kokkos tier alone). Functors of src/kernels/kokkos/device_copy.hpp (copies, reductions) are exempt.

  check_twin_kernels.py [--src DIR] [--list] [--json] [--update-doc doc/developer.md]
    default: check, print the violations, exit 1 if any;  --list: the table style -> kernels (Markdown,
    as in doc/developer.md); --json: everything, for tests; --update-doc: rewrite that table.
"""
import argparse
import json
import os
import re
import sys

CONTROL = {"if", "for", "while", "switch", "catch", "return", "sizeof", "decltype", "alignof", "static_assert",
           "defined", "new", "delete", "throw", "noexcept"}
FUNCTOR_EXEMPT_FILES = {"device_copy.hpp"}
# Host SIMD layouts of point kernels (src/kernels/point/snap_host_simd.hpp: same tables, same quantities, tested
# equal to the portable kernels in tests/unit/test_snap_simd.cpp; the plain engine and the functors' host path run
# them, a GPU the portable ones): a call of one reaches the point kernels it stands for as well, whatever
# preprocessor branch the portable calls sit in.
HOST_LAYOUT_FILES = ("kernels/point/snap_host_simd.",)
HOST_LAYOUTS = {
    "snap_host_u_group": {"snap_compute_u"},
    "snap_host_add_u_group": {"snap_add_u_with"},
    "snap_host_ulisttot": {"snap_compute_u", "snap_add_u_with"},
    "snap_host_z_list": {"snap_compute_z_row"},
    "snap_host_z_all": {"snap_compute_z_row"},
    "snap_host_compute_y": {"snap_zero_y", "snap_add_y_terms"},
    "snap_host_deidrj_group": {"snap_deidrj"},
    "snap_host_dedr": {"snap_deidrj"},
}


def read(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def strip_code(text):
    """Comments, string/char literals and preprocessor lines blanked (line numbers kept)."""
    out = []
    i, n = 0, len(text)
    line_start = True
    while i < n:
        c = text[i]
        if line_start and c == "#":
            j = i
            while j < n and text[j] != "\n":
                if text[j] == "\\" and j + 1 < n and text[j + 1] == "\n":
                    j += 1
                j += 1
            out.append("".join("\n" if ch == "\n" else " " for ch in text[i:j]))
            i = j
            continue
        if c == "/" and i + 1 < n and text[i + 1] == "/":
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
            continue
        if c == "/" and i + 1 < n and text[i + 1] == "*":
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append("".join("\n" if ch == "\n" else " " for ch in text[i:j]))
            i = j
            continue
        if c in "\"'":
            if c == "'" and i > 0 and (text[i - 1].isalnum()):    # digit separator 1'000
                out.append(c)
                i += 1
                continue
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            out.append(c + " " * max(0, min(j, n) - i - 1) + c)
            i = j + 1
            continue
        if c == "\n":
            line_start = True
        elif not c.isspace():
            line_start = False
        out.append(c)
        i += 1
    return "".join(out)


def matching_brace(text, i):
    depth = 0
    for j in range(i, len(text)):
        if text[j] == "{":
            depth += 1
        elif text[j] == "}":
            depth -= 1
            if depth == 0:
                return j
    return len(text) - 1


def strip_template_args(name):
    while True:
        new = re.sub(r"<[^<>]*>", "", name)
        if new == name:
            return name
        name = new


def function_name(head):
    """(qualifier, name) of a function definition head, or None."""
    h = head.strip()
    if not h or "=" in re.sub(r"operator\s*\S+", "", h).split("(")[0]:
        return None
    m = re.search(r"\boperator\s*\(\s*\)\s*\(", h)
    if m:
        pre = h[:m.start()]
        q = re.search(r"([\w:<>, ]*?)::\s*$", pre)
        return (strip_template_args(q.group(1)).split("::")[-1].strip() if q else None, "operator()")
    # the first '(' at angle-bracket depth 0 opens the parameter list
    depth = 0
    for k, ch in enumerate(h):
        if ch == "<":
            depth += 1
        elif ch == ">":
            depth = max(0, depth - 1)
        elif ch == "(" and depth == 0:
            pre = h[:k].rstrip()
            m = re.search(r"((?:\w+(?:<[^()]*?>)?\s*::\s*)*)(~?\w+)$", pre)
            if not m:
                return None
            name = m.group(2)
            if name in CONTROL or name in {"struct", "class", "namespace", "enum", "union"}:
                return None
            qual = strip_template_args(m.group(1)).replace(" ", "").strip(":")
            return (qual.split("::")[-1] if qual else None, name)
    return None


class Func:
    def __init__(self, path, cls, name, body):
        self.path, self.cls, self.name, self.body = path, cls, name, body
        # (qualifier or None, name, member call on another object: x.f() / x->f())
        self.calls = []
        for acc, q, c in re.findall(r"(\bthis\s*->\s*|(?:\.|->)\s*(?:template\s+)?)?\s*((?:\w+\s*::\s*)*)\b([A-Za-z_]\w*)\s*"
                                    r"(?:<[^;(){}]*?>)?\s*\(", body):
            qual = strip_template_args(q.replace(" ", "").rstrip(":").split("::")[-1]) if q.strip() else None
            member = bool(acc) and not acc.startswith("this")
            self.calls.append((qual, c, member))
        self.words = set(re.findall(r"\b[A-Za-z_]\w*\b", body))

    def key(self):
        return (self.path, self.cls, self.name)


def parse_file(path, rel):
    """Functions (with their class) and structs defined in the file."""
    text = strip_code(read(path))
    funcs, structs = [], {}

    def scan(lo, hi, cls):
        i, head_start = lo, lo
        while i < hi:
            c = text[i]
            if c in ";}":
                head_start = i + 1
            elif c == "{":
                head = text[head_start:i]
                end = matching_brace(text, i)
                hs = head.strip()
                sm = re.search(r"\b(struct|class|union)\s+(\w+)[^()]*$", strip_template_args(hs))
                if re.search(r"\bnamespace\b", hs) or re.match(r"^extern\s*\"\s*\"$", hs):
                    scan(i + 1, end, cls)
                elif sm and "=" not in hs:
                    structs.setdefault(sm.group(2), rel)
                    scan(i + 1, end, sm.group(2))
                elif re.search(r"\benum\b", hs):
                    pass
                else:
                    fn = function_name(head)
                    if fn:
                        qual, name = fn
                        funcs.append(Func(rel, qual or cls, name, text[i + 1:end]))
                i = end
                head_start = end + 1
            i += 1

    scan(0, len(text), None)
    return funcs, structs


class Tree:
    def __init__(self, src):
        self.src = os.path.abspath(src)
        self.funcs, self.structs, self.includes, self.words = {}, {}, {}, {}
        for root, _, files in os.walk(self.src):
            for f in sorted(files):
                if not f.endswith((".h", ".hpp", ".cpp")):
                    continue
                path = os.path.join(root, f)
                rel = os.path.relpath(path, self.src)
                fs, ss = parse_file(path, rel)
                self.funcs[rel] = fs
                for s in ss:
                    self.structs.setdefault(s, rel)
                raw = read(path)
                self.words[rel] = set(re.findall(r"\b[A-Za-z_]\w*\b", strip_code(raw)))
                self.includes[rel] = re.findall(r'^\s*#\s*include\s*"([^"]+)"', raw, re.M)
        self.kernels = {f.name for rel, fs in self.funcs.items() if rel.startswith("kernels/point/")
                        for f in fs if f.cls is None}
        # host layouts: kernel -> the portable kernels it stands for
        self.layouts = {f.name: HOST_LAYOUTS[f.name] for rel, fs in self.funcs.items()
                        if rel.startswith(HOST_LAYOUT_FILES) for f in fs if f.cls is None and f.name in HOST_LAYOUTS}
        self.functors = {}    # name -> [member functions]
        for rel, fs in self.funcs.items():
            if rel.startswith("kernels/kokkos/"):
                for f in fs:
                    if f.cls and any(g.cls == f.cls and g.name == "operator()" for g in fs):
                        self.functors.setdefault(f.cls, []).append(f)
        self.functor_file = {name: self.structs.get(name, "") for name in self.functors}

    def resolve_include(self, inc, frm):
        for cand in (os.path.normpath(os.path.join(os.path.dirname(frm), inc)), os.path.normpath(inc),
                     os.path.normpath(os.path.join("lammps", inc))):
            if cand in self.funcs:
                return cand
        return None

    def closure(self, start, exclude_prefixes):
        """src files reachable by quoted includes from `start` (X.h brings X.cpp)."""
        seen, todo = set(), [start]
        while todo:
            rel = todo.pop()
            if rel in seen or rel.startswith(exclude_prefixes):
                continue
            seen.add(rel)
            for inc in self.includes.get(rel, []):
                r = self.resolve_include(inc, rel)
                if r:
                    todo.append(r)
            if rel.endswith((".h", ".hpp")):
                cpp = os.path.splitext(rel)[0] + ".cpp"
                if cpp in self.funcs:
                    todo.append(cpp)
        return seen


class Side:
    """Reach of the functions of one twin (see the module doc)."""

    def __init__(self, tree, files, own_class, base_class=None, kokkos=False, aliases=None, base_header=None):
        self.tree, self.own, self.base, self.kokkos = tree, own_class, base_class, kokkos
        self.base_header = base_header
        self.aliases = aliases or {}
        self.by_name = {}
        for rel in sorted(files):
            for f in tree.funcs[rel]:
                self.by_name.setdefault(f.name, []).append(f)
        self.kk_helpers = {}
        for rel, fs in tree.funcs.items():
            if rel.startswith("kernels/kokkos/"):
                for f in fs:
                    self.kk_helpers.setdefault(f.name, []).append(f)
        self.memo = {}
        self.functors_named = {}

    def context(self, func):
        """Words of the caller's file and its header (and of the CPU class's header for the /kk class)."""
        words = set(self.tree.words.get(func.path, ()))
        words |= self.tree.words.get(os.path.splitext(func.path)[0] + ".h", set())
        if func.cls == self.own and self.base_header:
            words |= self.tree.words.get(self.base_header, set())
        return words

    def methods(self, cls):
        return {f.name: f for fs in self.by_name.values() for f in fs if f.cls == cls}

    def candidates(self, qual, name, member, caller):
        if caller.path.startswith("kernels/kokkos/"):
            return [f for f in self.kk_helpers.get(name, []) if f.cls in (None, caller.cls)]
        found = self.by_name.get(name, [])
        if member:    # x.f() / x->f(): a method of another object, of a class named in the caller's files
            known = self.context(caller)
            return [f for f in found if f.cls is not None and f.cls not in (self.own, self.base) and f.cls in known]
        if qual and qual in (self.own, self.base):
            return [f for f in found if f.cls == qual]
        own = [f for f in found if f.cls == self.own]
        if own and qual is None:
            return own
        if qual is None and caller.cls:    # an unqualified call in a method: its class (or base) first
            mine = [f for f in found if f.cls in (caller.cls, self.base)]
            if mine:
                return mine
        return [f for f in found if qual is None or f.cls == qual or f.cls is None]

    def functors_in(self, func):
        if not self.kokkos or func.path.startswith("kernels/kokkos/"):
            return set()
        names = {w for w in func.words if w in self.tree.functors}
        names |= {self.aliases[w] for w in func.words if w in self.aliases}
        return names

    def direct(self, func):
        """(point kernels called, functions called, functors named) by `func` itself."""
        k = func.key()
        if k not in self.memo:
            kernels, callees = set(), []
            for qual, name, member in func.calls:
                if name in self.tree.kernels and not member and not (qual and qual not in ("kernels", "rk", "reval")):
                    kernels.add(name)
                    kernels |= self.tree.layouts.get(name, set())
                    continue
                callees += [g for g in self.candidates(qual, name, member, func) if g is not func]
            functors = self.functors_in(func)
            for m in functors:
                callees += self.tree.functors[m]
            self.memo[k] = (kernels, callees, functors)
        return self.memo[k]

    def reach(self, func, path=None):
        """Point kernels reached from `func` (a walk over everything it calls); `path`, if a dict, gets
        kernel -> the chain of functions that leads to it."""
        out, seen, todo = set(), {func.key()}, [(func, [func])]
        while todo:
            f, chain = todo.pop()
            kernels, callees, functors = self.direct(f)
            for fn in functors:
                self.functors_named.setdefault(fn, set())
            for kname in kernels - out:
                if path is not None:
                    path[kname] = " -> ".join((g.cls + "::" if g.cls else "") + g.name for g in chain)
            out |= kernels
            for g in callees:
                if g.key() not in seen:
                    seen.add(g.key())
                    todo.append((g, chain + [g]))
        return out

    def own_functors(self, func, shared):
        """Functors that `func` (a /kk method) names itself or through /kk-only methods (its named steps)."""
        out, seen, todo = set(), {func.key()}, [func]
        while todo:
            f = todo.pop()
            _, callees, functors = self.direct(f)
            out |= functors
            for g in callees:
                if g.cls == self.own and g.name not in shared and g.key() not in seen:
                    seen.add(g.key())
                    todo.append(g)
        return out

    def functor_reach(self, name):
        out = set()
        for m in self.tree.functors[name]:
            out |= self.reach(m)
        return out


def twin_pairs(tree):
    pairs = []
    for rel in sorted(tree.funcs):
        m = re.match(r"lammps/kokkos/(\w+)_kokkos\.cpp$", rel)
        if not m:
            continue
        cpu = "lammps/" + m.group(1) + ".cpp"
        kkh = rel[:-4] + ".h"
        if cpu not in tree.funcs:
            continue
        raw = read(os.path.join(tree.src, kkh if kkh in tree.funcs else rel))
        cm = re.search(r"class\s+(\w+)\s*:\s*public\s+(?:LAMMPS_NS::)?(\w+)", raw)
        if cm:
            pairs.append((cpu, rel, cm.group(2), cm.group(1)))
    return pairs


def style_names(tree):
    """class -> style name ("compute re/atom"), from revalplugin.cpp."""
    path = os.path.join(tree.src, "lammps", "revalplugin.cpp")
    names = {}
    if os.path.exists(path):
        for kind, style, cls in re.findall(r'\{"(\w+)",\s*"([^"]+)",[^{}]*?_creator<(\w+)', read(path), re.S):
            names.setdefault(cls, kind + " " + style)
    return names


def analyse(src):
    tree = Tree(src)
    result = {"pairs": [], "violations": []}
    styles = style_names(tree)
    for cpu, kk, cpu_cls, kk_cls in twin_pairs(tree):
        cpu_files = tree.closure(cpu, ("kernels/kokkos/", "lammps/kokkos/"))
        kk_files = tree.closure(kk, ("kernels/kokkos/",)) | cpu_files
        aliases = {}
        for rel in (kk, kk[:-4] + ".h"):
            if rel in tree.funcs:
                raw = strip_code(read(os.path.join(tree.src, rel)))
                for a, f in re.findall(r"\busing\s+(\w+)\s*=\s*[^;]*?\b(\w+)\s*<", raw):
                    if f in tree.functors:
                        aliases[a] = f
        cs = Side(tree, cpu_files, cpu_cls)
        ks = Side(tree, kk_files, kk_cls, base_class=cpu_cls, kokkos=True, aliases=aliases,
                  base_header=cpu[:-4] + ".h")
        cpu_methods, kk_methods = cs.methods(cpu_cls), ks.methods(kk_cls)
        cpu_all = set().union(*[cs.reach(f) for f in cpu_methods.values()]) if cpu_methods else set()
        kk_all = set()
        for f in kk_methods.values():
            kk_all |= ks.reach(f)
        # what the /kk twin inherits runs too
        for name, f in cpu_methods.items():
            if name not in kk_methods:
                kk_all |= ks.reach(f)
        pair = {"cpu": cpu, "kk": kk, "cpu_class": cpu_cls, "kk_class": kk_cls,
                "style": styles.get(cpu_cls, cpu_cls), "cpu_kernels": sorted(cpu_all), "kk_kernels": sorted(kk_all),
                "functors": sorted(ks.functors_named), "methods": {}}
        shared = set(cpu_methods) & set(kk_methods)
        for name in sorted(shared):
            a, b = cs.reach(cpu_methods[name]), ks.reach(kk_methods[name])
            pair["methods"][name] = {"cpu": sorted(a), "kk": sorted(b),
                                     "functors": sorted(ks.own_functors(kk_methods[name], shared))}
            if a != b:
                result["violations"].append(
                    f"R1 {cpu_cls}::{name} ({cpu}) and {kk_cls}::{name} ({kk}) reach different point kernels: "
                    f"CPU only {sorted(a - b)}, /kk only {sorted(b - a)}")
        if kk_all - cpu_all:
            result["violations"].append(
                f"R2 {kk_cls} ({kk}) reaches point kernels that {cpu_cls} ({cpu}) never calls: {sorted(kk_all - cpu_all)}")
        for fn in sorted(ks.functors_named):
            if os.path.basename(tree.functor_file.get(fn, "")) in FUNCTOR_EXEMPT_FILES:
                continue
            if not ks.functor_reach(fn):
                result["violations"].append(
                    f"R3 functor {fn} ({tree.functor_file.get(fn)}), launched by {kk_cls}, calls no point kernel: "
                    "its physics exists in the Kokkos tier only")
        result["pairs"].append(pair)
    return result


def markdown(result):
    """The table of doc/developer.md: per twin pair, each step the /kk twin overrides with a functor."""
    rows = ["| style | step (method both twins define) | point kernels it reaches (CPU twin = /kk twin) | /kk functors |",
            "|---|---|---|---|"]
    for p in result["pairs"]:
        first = True
        for name, m in p["methods"].items():
            if not m["functors"]:
                continue
            kernels = ", ".join(f"`{k}`" for k in m["cpu"])
            if m["cpu"] != m["kk"]:
                kernels = "DIFFERENT: CPU " + (kernels or "none") + "; /kk " + ", ".join(f"`{k}`" for k in m["kk"])
            style = f"`{p['style']}`" if first else ""
            first = False
            rows.append(f"| {style} | `{name}` | {kernels or 'none'} | {', '.join(f'`{f}`' for f in m['functors'])} |")
    return "\n".join(rows)


DOC_BEGIN = "<!-- twin-kernels:begin (generated by tests/layering/check_twin_kernels.py --list) -->"
DOC_END = "<!-- twin-kernels:end -->"


def doc_table(path):
    """The generated table in doc/developer.md (between the markers), or None."""
    text = read(path)
    if DOC_BEGIN not in text or DOC_END not in text:
        return None
    return text[text.index(DOC_BEGIN) + len(DOC_BEGIN):text.index(DOC_END)].strip()


def update_doc(path, table):
    text = read(path)
    start, end = text.index(DOC_BEGIN) + len(DOC_BEGIN), text.index(DOC_END)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text[:start] + "\n" + table + "\n" + text[end:])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--src", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "src"))
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--update-doc", metavar="DEVELOPER_MD", help="rewrite the table between the markers there")
    a = ap.parse_args()
    result = analyse(a.src)
    if a.update_doc:
        update_doc(a.update_doc, markdown(result))
    if a.json:
        print(json.dumps(result, indent=1))
    elif a.list:
        print(markdown(result))
    if not result["pairs"]:
        print("check_twin_kernels: no twin pairs found under " + a.src, file=sys.stderr)
        return 2
    for v in result["violations"]:
        print("VIOLATION " + v, file=sys.stderr)
    if not a.json and not a.list:
        for p in result["pairs"]:
            print(f"{p['style']}: {len(p['methods'])} shared methods, kernels CPU {p['cpu_kernels']}, /kk {p['kk_kernels']}")
    return 1 if result["violations"] else 0


if __name__ == "__main__":
    sys.exit(main())
