"""Builders for relationship-mapping tests: a round among stakeholders, respondents with links, answers."""

from __future__ import annotations

from typing import Any

from coalition.network import actions
from coalition.network.models import Actor, Respondent, SurveyRound
from tests import factories


def make_round(coalition: Any, size: int = 4, *, hub_sees_answers: bool = False, open_: bool = True) -> SurveyRound:
    hub = coalition.memberships.filter(roles__role="hub").first().user
    stakeholders = [factories.make_stakeholder(coalition, engagement="member") for _ in range(size)]
    survey = actions.do_create_round(
        hub,
        coalition,
        name=f"Round {stakeholders[0].pk}",
        stakeholders=stakeholders,
        hub_organisation=stakeholders[0],
        hub_sees_answers=hub_sees_answers,
    )
    if open_:
        actions.do_open_round(hub, survey)
    return survey


def invite(survey: SurveyRound, *actors: Actor) -> dict[int, str]:
    hub = survey.coalition.memberships.filter(roles__role="hub").first().user
    return actions.do_issue_links(hub, survey, actors)


def respondent_with_answers(
    survey: SurveyRound, actor: Actor, targets: list[Actor], *, named: bool = False, trust: int = 3, **types: bool
) -> tuple[Respondent, str]:
    """A consenting respondent for ``actor`` who reports a tie to each target."""
    token = invite(survey, actor)[actor.pk]
    respondent = actions.respondent_for_token(token)
    actions.do_consent(respondent, agrees_to_be_named=named)
    values = types or {"information": True}
    actions.do_save_answers(
        respondent,
        {
            t.pk: {
                **values,
                "frequency": 3,
                "trust_open": trust,
                "trust_reliable": trust,
                "trust_mission": trust,
                "value_power": 2,
                "value_involvement": 2,
                "value_resources": 2,
            }
            for t in targets
        },
    )
    respondent.refresh_from_db()
    return respondent, token


def actors(survey: SurveyRound) -> list[Actor]:
    return list(survey.actors.order_by("number"))
