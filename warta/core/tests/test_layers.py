"""The layers read one way: no import cycles inside warta/, and core imports no app above it.

Read from the source with `ast` (nothing is imported). Every import statement counts, also
one inside a function or an `if TYPE_CHECKING:` block: a lazy import hides a cycle from
Python at start-up, not from the reader, and the cycle is still there. Run as a script to print the graph's cycles:
`python warta/core/tests/test_layers.py`.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PACKAGE = ROOT / "warta"
# core is the ground floor: every app may use it, it uses none of them.
ABOVE_CORE = ("warta.institutions",)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def source_modules() -> dict[str, Path]:
    return {
        module_name(path): path
        for path in sorted(PACKAGE.rglob("*.py"))
        if "migrations" not in path.parts and "static" not in path.parts
    }


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The warta modules that `name` imports (a package's module when `from pkg import mod`)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(path.read_text(), str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
            # `from pkg import mod` imports pkg.mod; `from mod import name` only mod.
            targets = [t for t in targets[:-1] if t in modules] or [base]
        else:
            continue
        for target in targets:
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def import_graph() -> dict[str, set[str]]:
    modules = source_modules()
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return sorted(found)


def core_imports_above() -> list[str]:
    """`core module → app above`, one line per import."""
    modules = source_modules()
    return sorted(
        f"{name} → {target}"
        for name, path in modules.items()
        if name.startswith("warta.core") and not name.startswith("warta.core.tests")
        for target in imports_of(name, path, modules)
        if target.startswith(ABOVE_CORE)
    )


def test_the_reader_sees_a_cycle_and_resolves_relative_imports(tmp_path: Path) -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
    modules = {"warta.x": tmp_path / "x.py", "warta.x.y": tmp_path / "y.py"}
    source = tmp_path / "z.py"
    source.write_text(
        "from typing import TYPE_CHECKING\nfrom . import y\nif TYPE_CHECKING:\n"
        "    from warta import x\ndef f():\n    import warta.x\n"
    )
    assert imports_of("warta.x.z", source, modules) == {"warta.x.y", "warta.x"}


def test_no_module_of_warta_imports_itself_in_a_circle() -> None:
    assert cycles(import_graph()) == []


def test_core_imports_no_app_above_it() -> None:
    assert core_imports_above() == []


if __name__ == "__main__":
    for component in cycles(import_graph()):
        print(" ↔ ".join(component))
    print(*core_imports_above(), sep="\n")
