"""Apps import each other only downwards, in one declared order, and never in a circle.

``LAYERS`` is the one place the order is written (docs/code-style.md, "Layers", explains it). Every import
counts: module level, inside functions, under ``if TYPE_CHECKING``, absolute or relative.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "coalition"
PACKAGE = "coalition"

# Lowest first. An app may import only apps of a lower layer; apps of one layer may not import each other.
# Apps not written yet keep their place so that the first commit of each lands where it belongs.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("core",),
    ("accounts",),
    ("coalitions",),
    ("notifications",),  # imported by every later app; imports only core, accounts and coalitions
    ("stakeholders",),
    ("measurement",),
    ("network",),
    ("planning",),
    ("joint_action",),
    ("meetings",),
    ("decisions",),
    ("feedback",),
    ("learning",),
    ("funding",),
    ("cohesion",),
    ("public",),
    ("api", "demo"),
)

Edge = tuple[str, str]


def rank_of(layers: Iterable[tuple[str, ...]]) -> dict[str, int]:
    return {app: rank for rank, layer in enumerate(layers) for app in layer}


def _module_name(root: Path, path: Path) -> list[str]:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return parts[:-1] if parts[-1] == "__init__" else parts


def _imported(node: ast.AST, package_parts: list[str], package: str) -> list[list[str]]:
    """The modules an import statement names, as parts below ``package`` (empty when outside it)."""
    if isinstance(node, ast.Import):
        names = [alias.name.split(".") for alias in node.names]
    elif isinstance(node, ast.ImportFrom):
        if node.level:
            base = package_parts[: len(package_parts) - node.level + 1]
            base = [package, *base]
        else:
            base = []
        module = (node.module or "").split(".") if node.module else []
        names = [[*base, *module]]
        # ``from coalition import stakeholders`` names the app through the imported name
        if names[0] == [package]:
            names = [[package, alias.name] for alias in node.names]
    else:
        return []
    return [name[1:] for name in names if len(name) > 1 and name[0] == package]


def import_edges(root: Path, package: str = PACKAGE) -> dict[Edge, list[str]]:
    """Every import from one app (a folder below ``root``) into another: (from, to) -> where it is written."""
    apps = {path.name for path in root.iterdir() if (path / "__init__.py").is_file()}
    edges: dict[Edge, list[str]] = defaultdict(list)
    for path in sorted(root.rglob("*.py")):
        parts = _module_name(root, path)
        if not parts or parts[0] not in apps:
            continue
        source_app = parts[0]
        is_package = path.name == "__init__.py"
        package_parts = parts if is_package else parts[:-1]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            for target in _imported(node, package_parts, package):
                if target and target[0] in apps and target[0] != source_app:
                    edges[(source_app, target[0])].append(f"{path.relative_to(root)}:{node.lineno}")
    return dict(edges)


def find_cycles(edges: Iterable[Edge]) -> list[list[str]]:
    """The strongly connected groups of more than one app (Tarjan), each sorted, the list sorted."""
    graph: dict[str, set[str]] = defaultdict(set)
    for source, target in edges:
        graph[source].add(target)
        graph.setdefault(target, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(groups)


def wrong_way(edges: Mapping[Edge, list[str]], layers: Iterable[tuple[str, ...]]) -> list[str]:
    """Imports that do not point to a lower layer, and apps that have no layer."""
    rank = rank_of(layers)
    problems = []
    for (source, target), places in sorted(edges.items()):
        if source not in rank or target not in rank:
            problems.append(f"{source} -> {target}: give every app a place in LAYERS ({places[0]})")
        elif rank[target] >= rank[source]:
            problems.append(f"{source} -> {target} points up or sideways: {', '.join(places)}")
    return problems


# --- the checks themselves, on hand-made graphs and packages ------------------------------------


def test_find_cycles_on_a_hand_made_graph() -> None:
    edges = [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("d", "e"), ("e", "d"), ("f", "a")]
    assert find_cycles(edges) == [["a", "b", "c"], ["d", "e"]]
    assert find_cycles([("a", "b"), ("b", "c"), ("a", "c")]) == []


def test_wrong_way_flags_upward_sideways_and_unplaced_imports() -> None:
    layers = (("low",), ("mid",), ("top", "side"))
    edges = {
        ("mid", "low"): ["mid/x.py:1"],
        ("low", "mid"): ["low/y.py:3"],
        ("top", "side"): ["top/z.py:5"],
        ("top", "new"): ["top/w.py:7"],
    }
    problems = wrong_way(edges, layers)
    assert len(problems) == 3
    assert problems[0].startswith("low -> mid points up")
    assert "low/y.py:3" in problems[0]
    assert problems[1].startswith("top -> new: give every app a place")
    assert problems[2].startswith("top -> side points up or sideways")


def test_import_edges_sees_every_kind_of_import(tmp_path: Path) -> None:
    root = tmp_path / "pkg"
    for app in ("base", "mid", "top"):
        (root / app).mkdir(parents=True)
        (root / app / "__init__.py").write_text("")
    (root / "base" / "models.py").write_text("import os\n")
    (root / "mid" / "views.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "from pkg.base.models import X\n"
        "if TYPE_CHECKING:\n"
        "    from pkg.top import hooks\n"
        "def later():\n"
        "    import pkg.top.jobs\n"
        "from . import forms\n"
    )
    (root / "top" / "sub").mkdir()
    (root / "top" / "sub" / "__init__.py").write_text("")
    (root / "top" / "sub" / "deep.py").write_text("from ...mid import views\nfrom pkg import base\n")
    edges = import_edges(root, package="pkg")
    assert edges == {
        ("mid", "base"): ["mid/views.py:2"],
        ("mid", "top"): ["mid/views.py:4", "mid/views.py:6"],
        ("top", "mid"): ["top/sub/deep.py:1"],
        ("top", "base"): ["top/sub/deep.py:2"],
    }
    assert find_cycles(edges) == [["mid", "top"]]


def test_layers_name_each_app_once() -> None:
    names = [app for layer in LAYERS for app in layer]
    assert len(names) == len(set(names))


# --- the project ----------------------------------------------------------------------------------


def test_every_app_has_a_layer() -> None:
    apps = {path.name for path in SRC.iterdir() if (path / "__init__.py").is_file()}
    assert apps - set(rank_of(LAYERS)) == set()


def test_no_import_cycle_between_apps() -> None:
    assert find_cycles(import_edges(SRC)) == []


def test_apps_import_only_lower_layers() -> None:
    assert wrong_way(import_edges(SRC), LAYERS) == []
