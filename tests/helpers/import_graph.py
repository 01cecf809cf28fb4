"""The import graph of a package, read from its source (nothing is imported).

Every ``import`` counts, at the top of a module or inside a function, except those
under ``if TYPE_CHECKING:`` (they never run). :func:`cycles` lists the strongly
connected groups of modules; :func:`layer_violations` lists the imports that go
up the layer order.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path


def module_files(root: Path, package: str) -> dict[str, Path]:
    """``{"pkg.sub.mod": path}`` for every ``.py`` file of ``root/package``."""
    mods: dict[str, Path] = {}
    for path in sorted((root / package).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        mods[".".join(parts)] = path
    return mods


def _is_type_checking(test: ast.expr) -> bool:
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    return isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"


def _imported_names(tree: ast.AST, package_of_module: str) -> Iterable[str]:
    """Dotted names imported anywhere in ``tree``, ``if TYPE_CHECKING`` bodies skipped."""
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            stack.extend(node.orelse)  # the else branch does run
            continue
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package_of_module.split(".")
                parts = parts[: len(parts) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)
        stack.extend(ast.iter_child_nodes(node))


def import_graph(root: Path, package: str) -> dict[str, set[str]]:
    """Module -> the package's modules it imports, each name resolved to the
    nearest module: ``from pkg.a import name`` is an edge to ``pkg.a``;
    ``from pkg import a`` is an edge to ``pkg`` (its ``__init__`` runs) and to
    ``pkg.a`` when that is a module."""
    mods = module_files(root, package)

    def resolve(name: str) -> str | None:
        while name and name not in mods:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {m: set() for m in mods}
    for mod, path in mods.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        pkg = mod if path.name == "__init__.py" else mod.rpartition(".")[0]
        for name in _imported_names(tree, pkg):
            if name == package or name.startswith(package + "."):
                target = resolve(name)
                if target and target != mod:
                    graph[mod].add(target)
    return graph


def cycles(graph: Mapping[str, set[str]]) -> list[tuple[str, ...]]:
    """The groups of modules that import each other, round or through others
    (strongly connected components of two or more), each sorted, sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[tuple[str, ...]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        # Iterative Tarjan: (node, iterator over its successors).
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, successors = work[-1]
            advanced = False
            for nxt in successors:
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(graph.get(nxt, ())))))
                    advanced = True
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    found.append(tuple(sorted(group)))
    return sorted(found)


def layer_of(module: str, layers: Sequence[tuple[str, Sequence[str]]]) -> int | None:
    """The index of the first layer one of whose prefixes names ``module``
    (a prefix ``pkg.screens`` covers ``pkg.screens`` and ``pkg.screens.x``)."""
    for i, (_name, prefixes) in enumerate(layers):
        for prefix in prefixes:
            if module == prefix or module.startswith(prefix + "."):
                return i
    return None


def layer_violations(
    graph: Mapping[str, set[str]], layers: Sequence[tuple[str, Sequence[str]]]
) -> list[str]:
    """Imports from a lower layer up to a higher one (``layers`` top first)."""
    out = []
    for mod in sorted(graph):
        here = layer_of(mod, layers)
        if here is None:
            continue
        for target in sorted(graph[mod]):
            there = layer_of(target, layers)
            if there is not None and there < here:
                out.append(f"{mod} ({layers[here][0]}) imports {target} ({layers[there][0]})")
    return out
