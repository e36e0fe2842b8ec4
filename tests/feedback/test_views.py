"""Views: what each persona sees and may do; the loop through the hub's pages; survey results through the page and
the CSV never below the minimum of answers."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coalition.feedback import actions
from coalition.feedback.models import Feedback, Status, SurveyAnswer, SurveyResponse
from tests.feedback import builders


def _url(name: str, world: Any, *args: Any) -> str:
    return reverse(f"feedback:{name}", args=[world.coalition.pk, *args])


def test_the_hub_triages_answers_and_closes_through_its_pages(world: Any) -> None:
    item = builders.feedback(world.coalition)
    hub = world.client_for(world.hub)
    assert b"The park lights are out." in hub.get(_url("inbox", world)).content
    member = world.coalition.memberships.get(user=world.member)
    hub.post(_url("triage", world, item.pk), {"topic": "safety", "urgency": "high", "assigned_to": member.pk})
    assert hub.post(_url("answer_item", world, item.pk), {"answer": "On it."}).status_code == 302
    response = hub.post(
        _url("close", world, item.pk), {"what_changed": "Fixed.", "on_public_page": "on", "public_summary": "Dark park"}
    )
    assert response.status_code == 302
    stored = Feedback.objects.get(pk=item.pk)
    assert (stored.status, stored.assigned_to, stored.urgency, stored.on_public_page) == (
        Status.CLOSED,
        member,
        "high",
        True,
    )


def test_closing_without_a_summary_for_the_public_page_shows_the_error_on_the_field(world: Any) -> None:
    item = builders.feedback(world.coalition)
    actions.do_answer_feedback(world.hub, item, answer="ok")
    response = world.client_for(world.hub).post(
        _url("close", world, item.pk), {"what_changed": "x", "on_public_page": "on"}
    )
    assert response.status_code == 400 and "public_summary" in response.context["form"].errors


def test_a_member_cannot_open_the_inbox_but_gives_anonymous_feedback(world: Any) -> None:
    client = world.client_for(world.member)
    assert client.get(_url("inbox", world)).status_code == 403
    response = client.post(_url("give", world), {"topic": "coalition", "text": "Meetings run late", "anonymous": "on"})
    assert response.status_code == 200 and re.search(rb'id="tracking-code">[A-Za-z0-9_-]{20,}<', response.content)
    assert Feedback.objects.get().author_id is None
    client.post(_url("give", world), {"topic": "coalition", "text": "Named this time"})
    assert Feedback.objects.get(text="Named this time").author == world.member


def test_the_hub_records_phone_feedback_without_an_author(world: Any) -> None:
    response = world.client_for(world.hub).post(
        _url("record", world), {"topic": "health", "text": "Called in", "channel": "phone"}
    )
    assert response.status_code == 200
    stored = Feedback.objects.get()
    assert (stored.channel, stored.author_id) == ("phone", None)


def test_figures_show_median_days_per_month(world: Any) -> None:
    item = builders.feedback(world.coalition, received_on=dt.date(2026, 2, 2))
    actions.do_answer_feedback(world.hub, item, answer="ok", today=dt.date(2026, 2, 6))
    page = world.client_for(world.hub).get(_url("figures", world)).content.decode()
    assert "2026-02" in page and "4.0" in page


def test_a_member_answers_once_and_results_wait_for_the_minimum(world: Any) -> None:
    survey = builders.survey(world.coalition, opened=True)
    client = world.client_for(world.member)
    assert client.post(_url("answer", world, survey.pk), {"satisfaction": "4", "comment": ""}).status_code == 302
    assert b"already answered" in client.get(_url("answer", world, survey.pk)).content
    page = client.get(_url("results", world, survey.pk))
    assert page.status_code == 200 and b'id="too-few"' in page.content


def test_named_rounds_list_who_has_not_answered_anonymous_ones_do_not(world: Any) -> None:
    named = builders.survey(world.coalition, anonymous=False, opened=True, title="Named")
    anonymous = builders.survey(world.coalition, opened=True, title="Anon")
    hub = world.client_for(world.hub)
    assert "Not answered yet" in hub.get(_url("round", world, named.pk)).content.decode()
    assert "Not answered yet" not in hub.get(_url("round", world, anonymous.pk)).content.decode()


def _fill(survey: Any, people: list[tuple[str, str, int]]) -> None:
    question = survey.questions.get(name="satisfaction")
    for role, sector, score in people:
        response = SurveyResponse.objects.create(round=survey, role=role, sector=sector)
        SurveyAnswer.objects.create(response=response, question=question, number=score)


class _Rollback(Exception):
    pass


PEOPLE = st.lists(
    st.tuples(st.sampled_from(["member", "hub", "steering"]), st.sampled_from(["health", "civil"]), st.integers(1, 5)),
    max_size=14,
)


@pytest.mark.django_db(transaction=False)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(people=PEOPLE, minimum=st.integers(2, 6))
def test_no_page_or_export_shows_an_aggregate_from_fewer_than_the_minimum(
    world: Any, people: Any, minimum: int
) -> None:
    try:
        with transaction.atomic():
            actions.do_update_settings(world.hub, world.coalition, public_form_open=True, min_answers=minimum)
            survey = builders.survey(world.coalition, opened=True, keys=("satisfaction",))
            _fill(survey, people)
            hub = world.client_for(world.hub)
            filters = [{}] + [{"by": "role", "group": r} for r in ("member", "hub", "steering")]
            filters += [{"by": "sector", "group": s} for s in ("health", "civil")]
            for query in filters:
                selected = [p for p in people if not query or p[0 if query["by"] == "role" else 1] == query["group"]]
                page = hub.get(_url("results", world, survey.pk), query)
                aggregate = page.context["aggregate"]
                csv_rows = hub.get(_url("results_csv", world, survey.pk), query).content.decode().splitlines()[1:]
                if aggregate.shown:
                    assert aggregate.responses == len(selected) >= minimum
                    assert all(int(row.rsplit(",", 1)[1]) >= minimum for row in csv_rows)
                else:
                    assert csv_rows == [] and b"mean" not in page.content.split(b'id="too-few"')[0][-200:]
            raise _Rollback
    except _Rollback:
        pass
