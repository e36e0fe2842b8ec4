"""Roles that fit their people: nobody is offered a page their role refuses (links come from the routes'
declared permissions), a funder reads the agreed results only, a resident sees the coalition overview only."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import resolve, reverse

from coalition.core.permissions import Perm
from tests import factories


def _links(page: str) -> set[str]:
    return set(re.findall(r'href="([^"]+)"', page))


@pytest.fixture
def funder(world: Any) -> Any:
    return factories.add_member(world.coalition, factories.make_user("funder"), ["funder"]).user


@pytest.fixture
def resident(world: Any) -> Any:
    return factories.add_member(world.coalition, factories.make_user("resident"), ["resident"]).user


@pytest.mark.parametrize("persona", ["observer", "funder"])
def test_observer_and_funder_are_not_offered_report_data(world: Any, funder: Any, persona: str) -> None:
    user = funder if persona == "funder" else world.observer
    page = world.client_for(user).get(reverse("measurement:dashboard", args=[world.coalition.pk]))
    assert page.status_code == 200
    assert "Report data" not in page.content.decode()
    assert reverse("measurement:entry", args=[world.coalition.pk]) not in _links(page.content.decode())


def test_a_member_is_offered_report_data(world: Any) -> None:
    page = world.client_for(world.member).get(reverse("measurement:dashboard", args=[world.coalition.pk]))
    assert reverse("measurement:entry", args=[world.coalition.pk]) in _links(page.content.decode())


def test_every_link_offered_to_each_role_opens(world: Any, funder: Any, resident: Any) -> None:
    """Follow every coalition link on the overview and the dashboard: none answers 403."""
    prefix = f"/c/{world.coalition.pk}/"
    for user in (world.observer, funder, resident, world.member):
        client = world.client_for(user)
        for start in ("coalitions:overview", "measurement:dashboard"):
            page = client.get(reverse(start, args=[world.coalition.pk]))
            if page.status_code == 403:
                continue
            for link in sorted(link for link in _links(page.content.decode()) if link.startswith(prefix)):
                assert client.get(link).status_code != 403, f"{user.username} offered {link}"


def test_a_funder_reads_results_but_no_internal_work(world: Any, funder: Any) -> None:
    client = world.client_for(funder)
    assert client.get(reverse("measurement:indicators", args=[world.coalition.pk])).status_code == 200
    for name in ("stakeholders:list", "planning:priorities", "network:rounds", "measurement:entry"):
        assert client.get(reverse(name, args=[world.coalition.pk])).status_code == 403, name


def test_a_resident_sees_the_overview_and_nothing_internal(world: Any, resident: Any) -> None:
    client = world.client_for(resident)
    overview = client.get(reverse("coalitions:overview", args=[world.coalition.pk]))
    assert overview.status_code == 200
    links = {link for link in _links(overview.content.decode()) if link.startswith(f"/c/{world.coalition.pk}/")}
    stages = {link for link in links if "/stage/" in link}
    # Beyond the overview, only the pages of a resident's own voice (feedback, surveys, stories) are offered.
    voice = {Perm.VIEW, Perm.GIVE_FEEDBACK, Perm.ANSWER_SURVEY, Perm.TELL_STORY}
    offered = {link: getattr(resolve(link.split("?")[0]).func, "required_permission", None) for link in links - stages}
    assert {link: perm for link, perm in offered.items() if perm not in voice} == {}
    for name in ("coalitions:members", "stakeholders:list", "measurement:dashboard", "planning:agenda"):
        assert client.get(reverse(name, args=[world.coalition.pk])).status_code == 403, name
