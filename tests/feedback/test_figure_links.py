"""Each survey figure offered as a cohesion indicator links to the rounds whose answers it counts: the results
of the one round, or the survey list narrowed to the rounds, never the whole list."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from coalition.feedback import bank
from coalition.feedback.models import SurveyAnswer, SurveyResponse, SurveyRound
from coalition.measurement import actions as measurement_actions
from coalition.measurement.computed import computation
from tests.feedback import builders

pytestmark = pytest.mark.django_db
Q1 = (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
Q2 = (dt.date(2026, 4, 1), dt.date(2026, 6, 30))
Q3 = (dt.date(2026, 7, 1), dt.date(2026, 9, 30))
YEAR = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
SCORES = (4, 4, 5, 3, 4)  # five answers, the default minimum: mean 4.0


def answered_round(coalition: Any, title: str, closes_on: dt.date, keys: tuple[str, ...]) -> SurveyRound:
    survey = builders.survey(
        coalition, title=title, opens_on=closes_on - dt.timedelta(days=14), closes_on=closes_on, keys=keys,
        opened=True,
    )  # fmt: skip
    scale = list(survey.questions.filter(bank_key__in=bank.SCALE_KEYS))
    for score in SCORES if scale else ():
        response = SurveyResponse.objects.create(round=survey, role="member", sector="civil_society")
        SurveyAnswer.objects.bulk_create(SurveyAnswer(response=response, question=q, number=score) for q in scale)
    return survey


@pytest.fixture
def rounds(world: Any) -> dict[str, SurveyRound]:
    return {
        "winter": answered_round(world.coalition, "Winter round", dt.date(2026, 2, 20), bank.SCALE_KEYS),
        "spring": answered_round(world.coalition, "Spring round", dt.date(2026, 5, 15), bank.SCALE_KEYS),
        # closes in the first quarter too, but asks no scale question: no figure counts it
        "comments": answered_round(world.coalition, "Comments only", dt.date(2026, 3, 1), ("comment",)),
    }


@pytest.mark.parametrize("key", bank.SCALE_KEYS)
def test_each_figure_links_to_the_rounds_it_counts(world: Any, rounds: dict[str, SurveyRound], key: str) -> None:
    found = computation(f"feedback.{key}")
    assert found is not None and found.records_url is not None
    cid = world.coalition.pk
    winter, spring = rounds["winter"].pk, rounds["spring"].pk
    assert found.compute(world.coalition, *Q1) == 4
    assert found.records_url(world.coalition, *Q1) == reverse("feedback:results", args=[cid, winter])
    assert found.records_url(world.coalition, *Q2) == reverse("feedback:results", args=[cid, spring])
    both = f"{reverse('feedback:surveys', args=[cid])}?round={winter}&round={spring}"
    assert found.records_url(world.coalition, *YEAR) == both
    assert found.records_url(world.coalition, *Q3) is None  # no round closed: nothing to link to


def test_the_cohesion_page_links_each_quarter_to_its_round(world: Any, rounds: dict[str, SurveyRound]) -> None:
    world.coalition.starts_on = Q1[0]
    world.coalition.save()
    measurement_actions.do_add_computed_indicator(world.coalition, "feedback.satisfaction", world.hub, today=Q3[0])
    page = world.client_for(world.member).get(reverse("cohesion:indicators", args=[world.coalition.pk]))
    text = page.content.decode()
    text = text[text.index("<main") :]  # the menu links the survey list; the figures must not
    cid = world.coalition.pk
    assert reverse("feedback:results", args=[cid, rounds["winter"].pk]) in text
    assert reverse("feedback:results", args=[cid, rounds["spring"].pk]) in text
    assert reverse("feedback:results", args=[cid, rounds["comments"].pk]) not in text
    assert f'href="{reverse("feedback:surveys", args=[cid])}"' not in text


def test_the_survey_list_narrowed_to_a_figures_rounds(world: Any, rounds: dict[str, SurveyRound]) -> None:
    url = reverse("feedback:surveys", args=[world.coalition.pk])
    client = world.client_for(world.hub)
    narrowed = client.get(url, {"round": [rounds["winter"].pk, rounds["spring"].pk]}).content.decode()
    assert "data-only-rounds" in narrowed
    shown = {pk for name, r in rounds.items() if (pk := r.pk) and f'data-round="{pk}"' in narrowed}
    assert shown == {rounds["winter"].pk, rounds["spring"].pk}
    every = client.get(url).content.decode()
    assert "data-only-rounds" not in every and f'data-round="{rounds["comments"].pk}"' in every
