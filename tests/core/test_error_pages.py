"""Errors a person can hit are pages that say what happened and link back, never a bare status line."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse


def _page(response: Any) -> str:
    return response.content.decode()


def test_403_explains_and_links_back_to_the_coalition(world: Any) -> None:
    response = world.client_for(world.observer).get(reverse("coalitions:settings", args=[world.coalition.pk]))
    assert response.status_code == 403
    page = _page(response)
    assert "This page is not open to your role" in page
    assert reverse("coalitions:overview", args=[world.coalition.pk]) in page
    assert "Back to Coalition A" in page


def test_404_for_an_outsider_explains_and_links_home_only(world: Any) -> None:
    response = world.client_for(world.outsider).get(reverse("coalitions:overview", args=[world.coalition.pk]))
    assert response.status_code == 404
    page = _page(response)
    assert "We could not find this page" in page
    assert 'href="/"' in page or reverse("core:home") in page
    assert "Coalition A" not in page  # the page gives nothing away about the coalition it refused


def test_400_explains_and_links_home(db: Any) -> None:
    response = Client().get(reverse("core:home"), HTTP_HOST="not-ours.example")  # a disallowed host
    assert response.status_code == 400
    page = _page(response)
    assert "We could not understand this request" in page
    assert reverse("core:home") in page


def test_csrf_failure_explains_and_links_home(world: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.hub)
    response = client.post(reverse("coalitions:settings", args=[world.coalition.pk]), {"name": "x"})
    assert response.status_code == 403
    page = _page(response)
    assert "This form could not be sent" in page
    assert reverse("core:home") in page
