"""Health checks: start, answer, close; bands by the mean; evidence equal to the records it links to."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from coalition.coalitions.access import get_access
from coalition.cohesion import actions, evidence, results
from coalition.cohesion.factors import band
from coalition.cohesion.models import HealthAnswer, HealthCheck
from coalition.core.models import AuditEvent
from coalition.learning.models import Adaptation, LearningSettings, Pause
from coalition.meetings.models import Meeting
from tests.cohesion.fixtures import at, build

pytestmark = pytest.mark.django_db
TODAY = dt.date(2025, 9, 30)


def hub(world):
    return get_access(world.hub, world.coalition.pk)


@pytest.mark.parametrize(
    ("mean", "expected"),
    [(Decimal("4.0"), "strength"), (Decimal("5"), "strength"), (Decimal("3.9"), "discuss"), (Decimal("3.0"), "discuss"),
     (Decimal("2.9"), "concern"), (Decimal(1), "concern"), (None, "")],
)  # fmt: skip
def test_bands(mean, expected) -> None:
    assert band(mean) == expected


def test_members_answer_and_the_hub_closes_with_frozen_results(world) -> None:
    check = actions.do_start_health_check(hub(world), title="Spring check", held_on=TODAY)
    member = get_access(world.member, world.coalition.pk)
    actions.do_answer_health_check(member, check, {"convening": 5, "commitment": 2, "value": None})
    actions.do_answer_health_check(hub(world), check, {"convening": 4, "commitment": 3})
    # changing one's answers replaces them
    actions.do_answer_health_check(member, check, {"convening": 4})
    found = {r.code: r for r in results.results(check, today=TODAY)}
    assert (found["convening"].mean, found["convening"].band) == (Decimal("4.0"), "strength")
    assert (found["commitment"].mean, found["commitment"].band) == (Decimal("2.5"), "concern")
    assert found["value"].mean is None and found["value"].answers == 0
    closed = actions.do_close_health_check(hub(world), check, today=TODAY)
    assert closed.results["convening"]["mean"] == "4.0"
    # later answers are refused and the frozen results do not move
    with pytest.raises(ValidationError):
        actions.do_answer_health_check(member, closed, {"convening": 1})
    assert {r.code: r.mean for r in results.results(closed, today=TODAY)}["commitment"] == Decimal("2.5")
    assert AuditEvent.objects.filter(verb="health_check.closed").exists()
    # the next check shows this one in its trend
    later = actions.do_start_health_check(hub(world), title="Autumn check", held_on=TODAY + dt.timedelta(days=90))
    trend = {r.code: r.trend for r in results.results(later, today=TODAY)}
    assert trend["commitment"] == [("Spring check", Decimal("2.5"))]


def test_only_one_open_check_and_scores_are_bounded(world) -> None:
    check = actions.do_start_health_check(hub(world), title="One", held_on=TODAY)
    with pytest.raises(ValidationError):
        actions.do_start_health_check(hub(world), title="Two")
    with pytest.raises(ValidationError):
        actions.do_answer_health_check(hub(world), check, {"convening": 6})
    assert not HealthAnswer.objects.exists()


def test_observers_cannot_start_or_answer(world) -> None:
    observer = get_access(world.observer, world.coalition.pk)
    with pytest.raises(PermissionDenied):
        actions.do_start_health_check(observer, title="X")
    check = actions.do_start_health_check(hub(world), title="One", held_on=TODAY)
    with pytest.raises(PermissionDenied):
        actions.do_answer_health_check(observer, check, {"convening": 3})


def test_evidence_equals_the_records_it_links_to(world) -> None:
    built = build(world.coalition)
    first, last = evidence.window(TODAY)
    convening = evidence.convening(world.coalition, first, last)
    assert convening is not None
    # Registers taken (not cancelled) in the year: 5 meetings; places 4+4+5+4+4 = 21, present 3+2+3+2+1 = 11.
    assert convening.count == 5
    assert "11 of 21" in convening.detail
    # In the last 90 days (from 2 July) only the August meeting: A, B, D absent → three quiet members.
    assert convening.suggestion.startswith("3 members")
    commitment = evidence.commitment(world.coalition, first, last)
    assert commitment is not None
    # a1 and a6 on time of a1, a2, a3, a4, a6: the same actions the linked records page lists.
    assert commitment.count == 2 and "2 of 5" in commitment.detail
    response = world.client_for(world.member).get(commitment.url)
    assert "Records counted (2)" in response.content.decode()
    # Agendas: none published → 0 of the 6 scheduled meetings on time.
    comms = evidence.communications(world.coalition, first, last)
    assert comms is not None and comms.count == Meeting.objects.filter(status="scheduled").count() == 6
    Meeting.objects.filter(title="No register").update(agenda_published_at=at(dt.date(2025, 3, 1)))
    comms = evidence.communications(world.coalition, first, last)
    assert comms is not None and "1 of 6" in comms.detail
    assert built.orgs  # the fixture was used
    # no learning pause in the fixture: adaptation has no records to judge from
    assert evidence.evidence_for("adaptation", world.coalition, first, last) is None


def test_journey_through_the_pages(world) -> None:
    hub_client, member_client = world.client_for(world.hub), world.client_for(world.member)
    response = hub_client.post(reverse("cohesion:health", args=[world.coalition.pk]), {"title": "Spring check"})
    check = HealthCheck.objects.get()
    assert response.status_code == 302
    url = reverse("cohesion:health_check", args=[world.coalition.pk, check.pk])
    assert member_client.post(url, {"convening": "5", "commitment": "2"}).status_code == 302
    assert member_client.post(url, {"convening": "9"}).status_code == 400
    page = member_client.get(url).content.decode()
    assert 'data-factor="convening" data-band="strength"' in page
    assert 'data-factor="commitment" data-band="concern"' in page
    assert hub_client.post(reverse("cohesion:health_close", args=[world.coalition.pk, check.pk])).status_code == 302
    check.refresh_from_db()
    assert not check.is_open


def test_leadership_and_adaptation_evidence_count_pauses_and_adaptations(world) -> None:
    world.coalition.starts_on = dt.date(2025, 1, 1)
    world.coalition.save()
    LearningSettings.objects.create(coalition=world.coalition, interval_weeks=8)
    pauses = {}
    for held in (dt.date(2024, 6, 1), dt.date(2025, 2, 1), dt.date(2025, 5, 1), dt.date(2025, 7, 15)):
        pauses[held] = Pause.objects.create(
            coalition=world.coalition, period_start=held - dt.timedelta(days=30), period_end=held, held_on=held
        )
    for held, n in ((dt.date(2024, 6, 1), 1), (dt.date(2025, 2, 1), 2), (dt.date(2025, 7, 15), 1)):
        for _ in range(n):
            Adaptation.objects.create(
                coalition=world.coalition, pause=pauses[held], kind="priority", target="t", reason="r",
                applied_at=at(held),
            )  # fmt: skip
    first, last = evidence.window(TODAY)
    lead = evidence.leadership(world.coalition, first, last)
    # From 1 January (the coalition's start) to 30 September: 272 days, four whole 8-week intervals; three
    # pauses held in the window (June 2024 is outside); the last on 15 July, 77 days before: overdue.
    assert lead is not None and lead.count == 3 and "3 of 4" in lead.figure
    assert lead.suggestion_url == reverse("learning:pause_new", args=[world.coalition.pk])
    adapt = evidence.adaptation(world.coalition, first, last)
    # 2 + 1 adaptations from the three pauses in the window; the May pause agreed none.
    assert adapt is not None and adapt.count == 3 and "3 learning pauses" in adapt.detail
    assert "1 agreed no change" in adapt.detail and adapt.suggestion == ""
    assert adapt.url == reverse("learning:log", args=[world.coalition.pk])
