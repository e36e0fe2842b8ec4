"""Coalition isolation, generated from the URL configuration.

Every route under ``c/<coalition_id>/`` is collected. For each one:
- it must be wrapped by ``coalition_view`` (it declares the permission it needs);
- a member of coalition A asking for coalition B's URL gets exactly the response a missing coalition gets
  (404), by GET and by POST, and nothing changes;
- a hub of coalition A naming B's objects under A's URL gets exactly the response a missing object gets.

Object ids come from factories in ``tests/<app>/isolation.py`` (``FACTORIES = {"kwarg": fn(coalition)}``).
A new route with a keyword no factory covers fails ``test_every_route_keyword_has_a_factory``.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from coalition.core.models import AuditEvent
from tests.routes import FACTORIES, ROUTE_FACTORIES, ROUTES, Route

MISSING_ID = 987654321
# Every page carries a CSRF token masked afresh for each response; it says nothing about what was asked for.
_CSRF = re.compile(rb'("X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[A-Za-z0-9]+')


def _page(response: Any) -> bytes:
    """The page without what differs by request alone: its CSRF token and its own path (the language switcher's
    ``next``)."""
    return _CSRF.sub(rb"\1-", response.content).replace(response.request["PATH_INFO"].encode(), b"/path/")


def _object_kwargs(route: Route) -> list[str]:
    return route.object_kwargs


def _factories(route: Route) -> dict[str, Any]:
    return {**FACTORIES, **ROUTE_FACTORIES.get(route.name, {})}


# The API answers a body it cannot read with 400 before it looks at the coalition, alike for B and for a
# missing one; tests/api generates its own matrix from the router, non-members included.
SCREENS = [r for r in ROUTES if not r.name.startswith("api:")]


def _url(route: Route, coalition_id: int, values: dict[str, Any]) -> str:
    return route.url(coalition_id, values)


def test_routes_were_collected() -> None:
    assert len(ROUTES) >= 2, "the URL walk found no coalition-scoped routes"


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_every_route_keyword_has_a_factory(route: Route) -> None:
    missing = [k for k in _object_kwargs(route) if k not in FACTORIES]
    assert not missing, f"{route.name}: add isolation factories for {missing} in tests/<app>/isolation.py"


# API operations declare their permission with ``requires``; tests/api checks every one.
@pytest.mark.parametrize("route", SCREENS, ids=str)
def test_every_route_declares_its_permission(route: Route) -> None:
    assert hasattr(route.callback, "required_permission"), f"{route.name} is not wrapped by coalition_view"


@pytest.mark.parametrize("route", SCREENS, ids=str)
def test_member_of_a_gets_same_404_for_coalition_b_as_for_missing(route: Route, world: Any) -> None:
    client = world.client_for(world.hub)  # hub of A, stranger to B
    values = {k: _factories(route)[k](world.other) for k in _object_kwargs(route)}
    events_before = AuditEvent.objects.count()
    for method in ("get", "post"):
        foreign = getattr(client, method)(_url(route, world.other.pk, values))
        missing = getattr(client, method)(_url(route, MISSING_ID, values))
        assert foreign.status_code == missing.status_code, f"{method.upper()} {route.name}"
        assert foreign.status_code in (404, 405), f"{method.upper()} {route.name} answered {foreign.status_code}"
        assert _page(foreign) == _page(missing)
    assert AuditEvent.objects.count() == events_before, "a refused request changed something"


@pytest.mark.parametrize(
    "route",
    [r for r in SCREENS if any(c == "IntConverter" for k, c in r.kwargs.items() if k != "coalition_id")],
    ids=str,
)
def test_objects_of_coalition_b_are_404_inside_coalition_a(route: Route, world: Any) -> None:
    client = world.client_for(world.hub)
    foreign_values = {k: _factories(route)[k](world.other) for k in _object_kwargs(route)}
    own_values = {k: _factories(route)[k](world.coalition) for k in _object_kwargs(route)}
    events_before = AuditEvent.objects.count()
    for key, converter in route.kwargs.items():
        if key == "coalition_id" or converter != "IntConverter":
            continue
        for method in ("get", "post"):
            foreign = getattr(client, method)(_url(route, world.coalition.pk, {**own_values, key: foreign_values[key]}))
            missing = getattr(client, method)(_url(route, world.coalition.pk, {**own_values, key: MISSING_ID}))
            assert foreign.status_code == missing.status_code, f"{method.upper()} {route.name} with B's {key}"
            assert foreign.status_code in (404, 405), (
                f"{method.upper()} {route.name} with B's {key}: {foreign.status_code}"
            )
            assert _page(foreign) == _page(missing)
    assert AuditEvent.objects.count() == events_before, "a refused request changed something"
