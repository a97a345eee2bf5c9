"""The module graph of a Rust crate, read from its sources, for `.ci/layers`.

A module uses another when its code names it: a `crate::`, `super::` or `self::` path, or a
path through a child it declares. A path through a re-export (`pub use child::Item`) is
followed to the module that defines the item, and a parent that only declares a child does
not use it. Tests (`#[cfg(test)]` and what follows) are left out: they may use anything.
"""
import os
import re


def _modules(root):
    mods = {}
    for dirpath, _, files in os.walk(root):
        for f in files:
            if not f.endswith(".rs"):
                continue
            path = os.path.join(dirpath, f)
            rel = os.path.relpath(path, root)[:-3].split(os.sep)
            if rel[-1] in ("mod", "lib", "main"):
                rel = rel[:-1]
            if rel and rel[0] == "bin":
                continue
            mods["::".join(rel)] = path
    return mods


def _code(text):
    text = re.sub(r"//[^\n]*", "", text)
    text = re.sub(r'"(\\.|[^"\\])*"', '""', text)
    cut = text.find("#[cfg(test)]")
    return text if cut < 0 else text[:cut]


def _split(body):
    out, depth, cur = [], 0, ""
    for ch in body:
        depth += ch == "{"
        depth -= ch == "}"
        if ch == "," and depth == 0:
            out.append(cur.strip())
            cur = ""
        else:
            cur += ch
    if cur.strip():
        out.append(cur.strip())
    return out


def _expand(prefix, body):
    found = []
    for item in _split(body):
        m = re.match(r"^([\w:]*?)::\{(.*)\}$", item, re.S)
        joined = (prefix + "::") if prefix else ""
        if m:
            found += _expand(joined + m.group(1), m.group(2))
        elif item.startswith("{") and item.endswith("}"):
            found += _expand(prefix, item[1:-1])
        else:
            found.append(joined + item)
    return found


def graph(root):
    """Each module of the crate at `root` and the modules it uses."""
    mods = _modules(root)
    names = set(mods)
    code = {m: _code(open(p, encoding="utf-8").read()) for m, p in mods.items()}
    children = {m: set(re.findall(r"^\s*(?:pub(?:\([^)]*\))?\s+)?mod\s+(\w+)\s*;", code[m], re.M))
                for m in mods}

    def absolute(m, path):
        parts = path.split("::")
        if parts[0] == "crate":
            return parts[1:]
        if parts[0] == "self":
            return [x for x in m.split("::") if x] + parts[1:]
        if parts[0] == "super":
            base = m.split("::")[:-1]
            parts = parts[1:]
            while parts and parts[0] == "super":
                base, parts = base[:-1], parts[1:]
            return [x for x in base if x] + parts
        if parts[0] in children.get(m, ()):
            return [x for x in m.split("::") if x] + parts
        return None

    alias = {}
    for m, text in code.items():
        for use in re.finditer(r"pub(?:\([^)]*\))?\s+use\s+([^;]+);", text, re.S):
            for item in _expand("", use.group(1).strip()):
                item = item.split(" as ")[0].strip()
                target = absolute(m, item)
                if target:
                    alias[(m, item.split("::")[-1])] = target

    def resolve(parts, depth=0):
        for i in range(len(parts), -1, -1):
            head = "::".join(parts[:i])
            if head in names or i == 0:
                if i < len(parts) and (head, parts[i]) in alias and depth < 10:
                    r = resolve(alias[(head, parts[i])] + parts[i + 1:], depth + 1)
                    if r is not None:
                        return r
                return head if head in names else None
        return None

    edges = {}
    for m, text in code.items():
        paths = []
        for use in re.finditer(r"\buse\s+([^;]+);", text, re.S):
            paths += _expand("", use.group(1).strip())
        paths += re.findall(r"\b((?:crate|super|self)(?:::\w+)+)", text)
        for child in children.get(m, ()):
            paths += re.findall(r"(?<![\w:])(" + child + r"(?:::\w+)+)", text)
        used = set()
        for p in paths:
            target = absolute(m, p.split(" as ")[0].strip())
            if target is None:
                continue
            r = resolve(target)
            if r is not None and r != m:
                used.add(r)
        edges[m] = used
    return edges


def circles(edges):
    """The import circles of `edges`, each as a path that returns to where it began."""
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
            if w not in edges:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(component)

    for v in list(edges):
        if v not in index:
            visit(v)
    named = []
    for component in out:
        inside = set(component)
        start = sorted(component)[0]
        # One circle through the component, by a breadth-first path back to its start.
        paths = {start: [start]}
        queue = [start]
        found = None
        while queue and not found:
            v = queue.pop(0)
            for w in sorted(edges[v] & inside):
                if w == start:
                    found = paths[v] + [start]
                    break
                if w not in paths:
                    paths[w] = paths[v] + [w]
                    queue.append(w)
        named.append([n or "(root)" for n in (found or component)])
    return named
