"""Addresses no row can match: an id beyond any database row's, or a path the API does not have."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.django_db
HUGE = "208956622825440423559823360"  # more than 64 bits: SQLite cannot even compare a column with it


def test_an_id_beyond_any_row_is_the_404_of_a_missing_one(world: Any) -> None:
    client = world.client_for(world.hub)
    missing = client.get("/c/987654321/")
    for path in (f"/c/{HUGE}/", f"/c/{world.coalition.pk}/stakeholders/{HUGE}/"):
        response = client.get(path)
        assert response.status_code == missing.status_code == 404, path


def test_the_api_answers_every_unknown_address_with_a_json_404(world: Any) -> None:
    client = world.client_for(world.hub)
    for path in (
        f"/api/v1/coalitions/{HUGE}",
        f"/api/v1/coalitions/{HUGE}/indicators",
        "/api/v1/coalitions/abc",
        "/api/v2/",
    ):
        response = client.get(path)
        assert response.status_code == 404 and response.json() == {"detail": "Not Found"}, path
