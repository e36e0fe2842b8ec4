"""Authorisation decisions live in declarations, never inside a view, and no rule tests a role by name.

An AST scan of the source: a view module must not raise ``PermissionDenied``, call ``.require(...)``, read
``access.roles`` or ask ``has_perm``/``is_hub``/``is_staff``/``is_superuser`` — a route states what it
needs with ``coalition_view(perm, write=..., rules=...)`` (or the API's ``requires``) and the generated
matrix checks that. Outside ``core/permissions.py`` nothing compares a role by its name: rules ask for a
``Perm``. (``coalitions/actions.py`` counts the hub role itself for "a coalition keeps one hub", which is
about the role being changed, not about who may change it.)
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from coalition.core.permissions import Role

SRC = Path(__file__).resolve().parent.parent / "src" / "coalition"
VIEW_MODULES = sorted(
    p for p in SRC.rglob("*.py") if p.name in ("views.py", "survey_views.py") or p.parent.name == "views"
)
ALL_MODULES = sorted(p for p in SRC.rglob("*.py") if "migrations" not in p.parts)
ROLE_NAMES = set(Role.values)
FORBIDDEN_ATTRIBUTES = {"has_perm", "is_hub", "is_staff", "is_superuser"}
# Counts of the hub role for "a coalition always keeps one hub" (see the module docstring).
ROLE_COMPARISONS_ALLOWED = {SRC / "core" / "permissions.py", SRC / "coalitions" / "actions.py"}


def _name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Call):
        return _name(node.func)
    return ""


def _view_findings(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and node.exc is not None and _name(node.exc) == "PermissionDenied":
            found.append(f"line {node.lineno}: raises PermissionDenied")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "require":
            found.append(f"line {node.lineno}: calls .require()")
        elif isinstance(node, ast.Attribute) and node.attr in FORBIDDEN_ATTRIBUTES:
            found.append(f"line {node.lineno}: reads .{node.attr}")
        elif isinstance(node, ast.Attribute) and node.attr == "roles" and _name(node.value) == "access":
            found.append(f"line {node.lineno}: reads access.roles")
    return found


def _role_comparisons(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Compare):
            continue
        for operand in [node.left, *node.comparators]:
            named = isinstance(operand, ast.Constant) and operand.value in ROLE_NAMES
            member = isinstance(operand, ast.Attribute) and _name(operand.value) == "Role" and operand.attr.isupper()
            if named or member:
                found.append(f"line {node.lineno}: compares with a role")
    return found


def test_the_scan_finds_the_view_modules() -> None:
    assert len(VIEW_MODULES) >= 8


@pytest.mark.parametrize("path", VIEW_MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_no_view_decides_authorisation_itself(path: Path) -> None:
    findings = _view_findings(ast.parse(path.read_text(), str(path)))
    assert not findings, f"{path.relative_to(SRC)}: declare it on the route instead: {findings}"


@pytest.mark.parametrize("path", ALL_MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_no_rule_tests_a_role_by_name(path: Path) -> None:
    tree = ast.parse(path.read_text(), str(path))
    findings = [] if path in ROLE_COMPARISONS_ALLOWED else _role_comparisons(tree)
    findings += [f for f in _view_findings(tree) if "access.roles" in f] if path.name != "access.py" else []
    assert not findings, f"{path.relative_to(SRC)}: ask for a Perm instead: {findings}"


@pytest.mark.parametrize(
    "source",
    [
        "def v(request, access):\n    if not ok:\n        raise PermissionDenied\n",
        "def v(request, access):\n    access.require(Perm.X)\n",
        "def v(request, access):\n    rules.require(rules.can(access))\n",
        "def v(request, access):\n    return access.is_hub\n",
        "def v(request, access):\n    return bool(access.roles - {1})\n",
    ],
)
def test_the_scan_catches_an_ad_hoc_check(source: str) -> None:
    assert _view_findings(ast.parse(source))


@pytest.mark.parametrize(
    "source", ['x = "hub" in roles', "x = Role.OBSERVER not in roles", 'x = role == "facilitator"']
)
def test_the_scan_catches_a_role_compared_by_name(source: str) -> None:
    assert _role_comparisons(ast.parse(source))
