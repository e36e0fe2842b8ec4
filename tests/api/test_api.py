"""The read API: the same isolation and role rules as the screens, JSON errors, an OpenAPI schema."""

from typing import Any

import pytest
from django.urls import reverse

from coalition.api.views import api
from tests import factories
from tests.measurement.builders import make_indicator

MISSING_ID = 987654321


def _url(name: str, **kwargs: Any) -> str:
    return reverse(f"api:{name}", kwargs=kwargs)


def test_every_operation_declares_the_permission_it_checks() -> None:
    operations = [
        op for _, router in api._routers for path in router.path_operations.values() for op in path.operations
    ]
    assert operations
    assert all(hasattr(op.view_func, "required_permission") for op in operations)


def test_the_openapi_schema_lists_every_operation(client: Any, db: Any) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    assert set(schema["paths"]) >= {
        "/api/v1/coalitions",
        "/api/v1/coalitions/{coalition_id}",
        "/api/v1/coalitions/{coalition_id}/members",
        "/api/v1/coalitions/{coalition_id}/stakeholders",
        "/api/v1/coalitions/{coalition_id}/indicators",
    }


def test_anonymous_callers_get_a_json_401(client: Any, world: Any) -> None:
    response = client.get(_url("coalition", coalition_id=world.coalition.pk))
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


def test_a_member_lists_only_their_own_coalitions(world: Any) -> None:
    names = [c["name"] for c in world.client_for(world.member).get(_url("coalitions")).json()]
    assert names == ["Coalition A"]


@pytest.mark.parametrize("name", ["coalition", "members", "stakeholders", "indicators"])
def test_another_coalition_answers_exactly_like_a_missing_one(world: Any, name: str) -> None:
    client = world.client_for(world.member)
    foreign = client.get(_url(name, coalition_id=world.other.pk))
    missing = client.get(_url(name, coalition_id=MISSING_ID))
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json() == missing.json() == {"detail": "Not Found"}


def test_a_member_without_the_permission_gets_a_json_403(world: Any, monkeypatch: Any) -> None:
    from coalition.core import permissions

    monkeypatch.setitem(permissions.ROLE_PERMISSIONS, "member", frozenset({permissions.Perm.VIEW}))
    response = world.client_for(world.member).get(_url("stakeholders", coalition_id=world.coalition.pk))
    assert response.status_code == 403
    assert "detail" in response.json()


def test_members_list_names_roles_and_organisations(world: Any) -> None:
    body = world.client_for(world.observer).get(_url("members", coalition_id=world.coalition.pk)).json()
    by_name = {m["name"]: m for m in body["items"]}
    assert body["count"] == 4
    assert by_name["member"]["organisation"] == "Member Org"
    assert by_name["Hana Hub"]["roles"] == ["hub"]


def test_stakeholder_contact_details_reach_only_roles_that_edit_the_map(world: Any) -> None:
    factories.make_stakeholder(world.coalition, "Library", email="desk@library.example", phone="555-0100")
    url = _url("stakeholders", coalition_id=world.coalition.pk) + "?q=libr"
    for_hub = world.client_for(world.hub).get(url).json()["items"]
    for_member = world.client_for(world.member).get(url).json()["items"]
    assert [s["email"] for s in for_hub] == ["desk@library.example"]
    assert [s["name"] for s in for_member] == ["Library"]
    assert not {"email", "phone", "website"} & set(for_member[0])


def test_stakeholders_filter_and_paginate(world: Any) -> None:
    for n in range(7):
        factories.make_stakeholder(world.coalition, f"School {n}", sector="academia")
    url = _url("stakeholders", coalition_id=world.coalition.pk) + "?sector=academia&limit=5&offset=5"
    body = world.client_for(world.member).get(url).json()
    assert body["count"] == 7
    assert [s["name"] for s in body["items"]] == ["School 5", "School 6"]


def test_a_malformed_query_gets_a_json_422(world: Any) -> None:
    url = _url("stakeholders", coalition_id=world.coalition.pk) + "?limit=lots"
    response = world.client_for(world.member).get(url)
    assert response.status_code == 422
    assert "detail" in response.json()


def test_indicators_come_shared_first(world: Any) -> None:
    make_indicator(world.coalition, "Zebra crossings")
    make_indicator(world.coalition, "Attendance", is_shared=True)
    body = world.client_for(world.member).get(_url("indicators", coalition_id=world.coalition.pk)).json()
    assert [(i["name"], i["is_shared"]) for i in body] == [("Attendance", True), ("Zebra crossings", False)]
