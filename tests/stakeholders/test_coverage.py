"""Coverage of sectors, stake/power/knowledge and under-represented groups among members."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from coalition.stakeholders.coverage import Profile, Status, coverage
from coalition.stakeholders.models import Sector, Stakeholder
from tests import factories

ENGAGEMENTS = Stakeholder.Engagement.values

profiles_strategy = st.lists(
    st.builds(
        Profile,
        pk=st.integers(1, 10**6),
        name=st.text(min_size=1, max_size=10),
        sector=st.sampled_from(Sector.values),
        engagement=st.sampled_from(ENGAGEMENTS),
        power=st.integers(1, 5),
        interest=st.integers(1, 5),
        brings_stake=st.booleans(),
        brings_power=st.booleans(),
        brings_knowledge=st.booleans(),
        lived_experience=st.booleans(),
        marginalised_group=st.booleans(),
    ),
    max_size=60,
    unique_by=lambda p: p.pk,
)


@settings(max_examples=80, deadline=None)
@given(profiles_strategy)
def test_coverage_counts_only_members_and_suggests_only_approachable_stakeholders(profiles: list[Profile]) -> None:
    result = coverage(profiles)
    members = [p for p in profiles if p.engagement == "member"]
    assert result.member_count == len(members)
    assert sum(line.members for line in result.sectors) == len(members)
    for line in result.sectors:
        count = sum(1 for p in members if p.sector == line.key)
        assert line.members == count
        assert line.status == (Status.MISSING if count == 0 else Status.THIN if count == 1 else Status.COVERED)
        for suggestion in line.suggestions:
            assert suggestion.sector == line.key
    for line in (*result.sectors, *result.contributions, *result.groups):
        if line.status == Status.COVERED:
            assert line.suggestions == []
        assert len(line.suggestions) <= 3
        for suggestion in line.suggestions:
            assert suggestion.engagement not in ("member", "declined")
    spk = {line.key: line for line in result.contributions}
    assert spk["stake"].members == sum(p.brings_stake for p in members)
    assert spk["power"].members == sum(p.brings_power for p in members)
    assert spk["knowledge"].members == sum(p.brings_knowledge for p in members)
    groups = {line.key: line for line in result.groups}
    assert groups["residents"].members == sum(p.sector == "resident" for p in members)
    assert groups["lived_experience"].members == sum(p.lived_experience for p in members)


def test_suggestions_prefer_stakeholders_closest_to_joining() -> None:
    profiles = [
        Profile(1, "A", "private", "identified", interest=5, power=5),
        Profile(2, "B", "private", "consulted", interest=1, power=1),
        Profile(3, "C", "private", "contacted", interest=3, power=3),
        Profile(4, "D", "private", "declined", interest=5, power=5),
    ]
    line = next(line for line in coverage(profiles).sectors if line.key == "private")
    assert line.status == Status.MISSING
    assert [p.name for p in line.suggestions] == ["B", "C", "A"]


def test_coverage_page_names_missing_sectors_groups_and_suggestions(world: Any) -> None:
    factories.make_stakeholder(world.coalition, "Corner Shop Owners", sector="private", brings_power=True)
    factories.make_stakeholder(world.coalition, "Estate Residents", sector="resident", lived_experience=True)
    response = world.client_for(world.observer).get(reverse("stakeholders:coverage", args=[world.coalition.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Missing" in page
    assert "Corner Shop Owners" in page and "Estate Residents" in page
    assert "Residents" in page and "People with lived experience" in page
    assert "Knowledge" in page


def test_coverage_ignores_archived_stakeholders(world: Any) -> None:
    from coalition.stakeholders.actions import do_archive_stakeholder

    shop = factories.make_stakeholder(world.coalition, "Corner Shop Owners", sector="private")
    do_archive_stakeholder(world.hub, shop)
    page = world.client_for(world.hub).get(reverse("stakeholders:coverage", args=[world.coalition.pk])).content
    assert b"Corner Shop Owners" not in page
