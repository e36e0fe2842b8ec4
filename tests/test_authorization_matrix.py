"""The role × route authorisation matrix, generated from the URLconf and the API router.

For every coalition-scoped route the declaration on its view (``coalition_view(perm, write=..., rules=...)``
or the API's ``requires(perm)``) and ``ROLE_PERMISSIONS`` give the expected answer for one member of each
role, for an anonymous caller and for an outsider (a member of another coalition only):

- anonymous → the sign-in page (401 from the API); outsider → 404, like a coalition that does not exist;
- a role without the declared permission (for POST also without ``write``) → 403, and a refused write
  changes no row of any table — also with a body that would be accepted (``POST_DATA`` in
  ``tests/<app>/isolation.py``);
- a role holding the permission gets through (neither 401/403/404 nor the sign-in page). Where the route
  also declares a ``Rule``, a role holding its ``bypass`` gets through, a role holding neither the rule's
  permission nor its bypass gets 403; for the others the answer depends on the record (their own tests
  cover both sides).

A route without a declaration fails here. ``tests/core/test_permission_matrix.py`` checks
``ROLE_PERMISSIONS`` itself against a hand-written table, so this expectation is not the code's echo.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client

from coalition.api.views import api
from coalition.coalitions.access import SAFE_METHODS, Requirement
from coalition.core.permissions import ROLE_PERMISSIONS, Perm
from tests import factories
from tests.api.matrix import BODIES as API_BODIES
from tests.authorization_table import API, PAGES
from tests.routes import FACTORIES, POST_DATA, ROUTE_FACTORIES, ROUTES, Route

LOGIN = "/accounts/login/"
PAGES_ROUTES = [r for r in ROUTES if not r.name.startswith("api:")]  # API operations are read from the router below
ANONYMOUS, OUTSIDER = "anonymous", "outsider"


def _requirement(route: Route) -> Requirement:
    requirement = getattr(route.callback, "requirement", None)
    assert isinstance(requirement, Requirement), f"{route.name} declares no permission (use coalition_view)"
    return requirement


def _expected(requirement: Requirement, role: str, method: str) -> str:
    """'allow', 'deny' or 'depends' (a declared rule decides by the record)."""
    granted = ROLE_PERMISSIONS[role]
    if not set(requirement.perms_for(method)) <= granted:
        return "deny"
    verdict = "allow"
    for rule in requirement.rules:
        if rule.writes_only and method in SAFE_METHODS:
            continue
        if rule.bypass is not None and rule.bypass in granted:
            continue
        if rule.perm not in granted:
            return "deny"
        verdict = "depends"
    return verdict


def _dump() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of the project's apps."""
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values_list())
        for model in apps.get_models()
        if model.__module__.startswith("coalition.")
    }


@pytest.fixture
def people(world: Any) -> dict[str, Any]:
    """One active member per role (none representing an organisation), the anonymous caller and an outsider."""
    found: dict[str, Any] = {ANONYMOUS: None, OUTSIDER: world.outsider}
    for role in ROLE_PERMISSIONS:
        found[role] = factories.add_member(world.coalition, factories.make_user(f"only-{role}"), [role]).user
    return found


def _is_sign_in(response: Any) -> bool:
    return response.status_code == 302 and response["Location"].startswith(LOGIN)


@pytest.mark.parametrize("route", PAGES_ROUTES, ids=str)
def test_every_role_gets_the_answer_its_permissions_give(route: Route, world: Any, people: dict[str, Any]) -> None:
    requirement = _requirement(route)
    made = {**FACTORIES, **ROUTE_FACTORIES.get(route.name, {})}
    values = {k: made[k](world.coalition) for k in route.object_kwargs}
    url = route.url(world.coalition.pk, values)
    body = POST_DATA[route.name](world.coalition) if route.name in POST_DATA else {}
    clients = {who: world.client_for(user) for who, user in people.items()}

    def send(who: str, method: str) -> Any:
        client: Client = clients[who]
        return client.get(url) if method == "GET" else client.post(url, body)

    def try_out(who: str, method: str) -> Any:
        """An allowed request; whatever it changed is rolled back, so each role meets the same rows."""
        with transaction.atomic():
            response = send(who, method)
            transaction.set_rollback(True)
        return response

    for method in ("GET", "POST"):
        if send(ANONYMOUS, method).status_code == 405:  # the route does not take this method at all
            assert all(send(who, method).status_code == 405 for who in people), f"{method} {route.name}"
            continue
        before = _dump()
        assert _is_sign_in(send(ANONYMOUS, method)), f"{method} {route.name}: anonymous not sent to sign in"
        assert send(OUTSIDER, method).status_code == 404, f"{method} {route.name}: outsider"
        denied = [role for role in ROLE_PERMISSIONS if _expected(requirement, role, method) == "deny"]
        for role in denied:
            assert send(role, method).status_code == 403, f"{method} {route.name}: {role} should get 403"
        assert _dump() == before, f"{method} {route.name}: a refused request changed something"
        for role in ROLE_PERMISSIONS:
            verdict = _expected(requirement, role, method)
            if verdict == "deny":
                continue
            response = try_out(role, method)
            if verdict == "depends":
                assert response.status_code not in (401, 404), f"{method} {route.name}: {role}"
                continue
            assert response.status_code not in (401, 403, 404) and not _is_sign_in(response), (
                f"{method} {route.name}: {role} holds the permission but got {response.status_code}"
            )


def test_every_route_declares_what_it_needs() -> None:
    undeclared = [r.name for r in PAGES_ROUTES if not isinstance(getattr(r.callback, "requirement", None), Requirement)]
    assert not undeclared, f"routes without coalition_view: {undeclared}"


def test_every_declaration_is_the_reviewed_one() -> None:
    declared = {
        r.name: (
            r.callback.requirement.perm,
            r.callback.requirement.write,
            tuple((rule.perm, rule.bypass) for rule in r.callback.requirement.rules),
        )
        for r in PAGES_ROUTES
    }
    assert declared == PAGES, "a route's declaration differs from tests/authorization_table.py: review it there"


def test_plan_and_objective_editing_are_in_the_matrix() -> None:
    names = {r.name for r in ROUTES}
    assert {"joint_action:plan_edit", "joint_action:objective_edit"} <= names


# --- The API ----------------------------------------------------------------------------------------------------


def _operations() -> list[tuple[str, str, Any]]:
    found = []
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                if "coalition_id" in path:
                    for method in operation.methods:
                        found.append((method, f"{prefix}{path}", operation.view_func))
    return found


OPERATIONS = _operations()


def test_the_api_has_coalition_operations() -> None:
    assert len(OPERATIONS) >= 4


@pytest.mark.parametrize(("method", "path", "func"), OPERATIONS, ids=[f"{m} {p}" for m, p, _ in OPERATIONS])
def test_every_role_gets_the_api_answer_its_permissions_give(
    method: str, path: str, func: Any, world: Any, people: dict[str, Any]
) -> None:
    perm = getattr(func, "required_permission", None)
    assert isinstance(perm, Perm), f"{method} {path} declares no permission (use requires)"
    assert perm == API[f"{method} {path}"], f"{method} {path}: not the permission reviewed in authorization_table.py"
    requirement: Requirement = func.requirement
    url = "/api/v1" + path
    for name in re.findall(r"\{(?:int:)?(\w+)\}", path):
        value = world.coalition.pk if name == "coalition_id" else FACTORIES[name](world.coalition)
        url = re.sub(r"\{(?:int:)?" + name + r"\}", str(value), url)
    key = f"{method} {path}"
    body = API_BODIES[key](world.coalition) if key in API_BODIES else None

    def send(who: str) -> Any:
        client = world.client_for(people[who])
        if body is None:
            return getattr(client, method.lower())(url)
        if any(isinstance(v, tuple) for v in body.values()):  # a multipart upload: a fresh file each time
            files = {k: SimpleUploadedFile(*v) if isinstance(v, tuple) else v for k, v in body.items()}
            return getattr(client, method.lower())(url, files)
        return getattr(client, method.lower())(url, body, content_type="application/json")

    before = _dump()
    for who in (ANONYMOUS, OUTSIDER):
        assert send(who).status_code == (401 if who == ANONYMOUS else 404), f"{method} {path}: {who}"
    for role in ROLE_PERMISSIONS:
        if _expected(requirement, role, method) == "deny":
            assert send(role).status_code == 403, f"{method} {path}: {role} should get 403"
    assert _dump() == before, f"{method} {path}: a refused call changed something"
    for role in ROLE_PERMISSIONS:
        verdict = _expected(requirement, role, method)
        if verdict == "deny":
            continue
        with transaction.atomic():
            response = send(role)
            transaction.set_rollback(True)
        if verdict == "depends":
            assert response.status_code not in (401, 404), f"{method} {path}: {role}"
        else:
            assert 200 <= response.status_code < 300, f"{method} {path}: {role} got {response.status_code}"
