"""The health-check evidence of the factors test_health.py leaves out, and the survey figures the catalogue
reads from listening, each counted by hand on records built for it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from coalition.cohesion import evidence
from coalition.feedback import actions as feedback_actions
from coalition.joint_action.models import Contribution, JointActionPlan
from coalition.measurement.computed import computation
from coalition.meetings.models import MeetingDecision
from coalition.stakeholders.models import Stakeholder
from tests import factories
from tests.cohesion.fixtures import action, meeting, member
from tests.feedback import builders

pytestmark = pytest.mark.django_db
TODAY = dt.date(2025, 9, 30)
FIRST, LAST = evidence.window(TODAY)


def test_government_buy_in_counts_public_bodies_present(world) -> None:
    c = world.coalition
    assert evidence.government(c, FIRST, LAST).count == 0  # no public body: a suggestion to invite one
    council = member(c, factories.make_stakeholder(c, "Council", sector="government", engagement="member"), "g")
    agency = member(c, factories.make_stakeholder(c, "Agency", sector="government", engagement="member"), "h")
    factories.make_stakeholder(c, "Ministry", sector="government")  # mapped, not a member: not counted
    meeting(c, dt.date(2025, 5, 1), [council], [agency])
    meeting(c, dt.date(2024, 5, 1), [agency])  # before the year looked back over
    found = evidence.government(c, FIRST, LAST)
    assert found is not None and found.count == 2 and found.figure == "1 of 2 public bodies attended"
    assert found.suggestion  # the agency stayed away
    # the linked list shows the public bodies that are members: the two counted
    listed = world.client_for(world.member).get(found.url).content.decode()
    assert "Council" in listed and "Agency" in listed and "Ministry" not in listed


def test_range_of_actors_counts_coverage_gaps(world) -> None:
    c = world.coalition
    # Two civil-society members bringing stake: of 9 sectors, 8 have no member; of stake, power and knowledge,
    # power and knowledge are missing; the three under-represented groups are missing → 8 + 2 + 3 = 13.
    Stakeholder.objects.filter(coalition=c).update(brings_stake=True)
    found = evidence.range_of_actors(c, FIRST, LAST)
    assert found is not None and found.count == 13
    # a government member makes government thin (one member): still a gap; a second one covers it
    for name in ("Council", "Agency"):
        factories.make_stakeholder(c, name, sector="government", engagement="member")
    found = evidence.range_of_actors(c, FIRST, LAST)
    assert found is not None and found.count == 12


def test_geography_counts_places_with_a_joint_action_in_the_year(world) -> None:
    c = world.coalition
    c.places = "North, South, East"
    c.save()
    plan = JointActionPlan.objects.create(coalition=c, title="P")
    action(c, plan, world.member_org, "n", dt.date(2025, 6, 1), place="north")  # spelt otherwise: same place
    action(c, plan, world.member_org, "s", dt.date(2024, 6, 1), starts_on=dt.date(2024, 5, 1), place="South")
    found = evidence.geography(c, FIRST, LAST)
    # North reached; South's action ended before the year; East never.
    assert found is not None and found.count == 1 and "South, East" in found.detail


def test_funding_and_joint_work_count_contributions_and_shared_actions(world) -> None:
    c = world.coalition
    plan = JointActionPlan.objects.create(coalition=c, title="P")
    shared = action(c, plan, world.member_org, "shared", dt.date(2025, 6, 1))
    alone = action(c, plan, world.member_org, "alone", dt.date(2025, 7, 1))
    dropped = action(c, plan, world.member_org, "dropped", dt.date(2025, 7, 1), "dropped")
    Contribution.objects.create(coalition=c, action=shared, member=world.member_org, amount="50", currency="EUR")
    Contribution.objects.create(coalition=c, action=shared, member=world.other_org, in_kind="A room")
    Contribution.objects.create(coalition=c, action=alone, member=world.other_org)  # neither money nor in kind
    Contribution.objects.create(coalition=c, action=dropped, member=world.other_org, in_kind="Time")
    funding = evidence.funding(c, FIRST, LAST)
    # money or in kind: the two on "shared" and the one on the dropped action
    assert funding is not None and funding.count == 3
    held = meeting(c, dt.date(2025, 4, 1), [])
    MeetingDecision.objects.create(coalition=c, meeting=held, text="Go ahead")
    work = evidence.joint_work(c, FIRST, LAST)
    # shared actions: "shared" and "alone" have contributing members; the dropped one does not count
    assert work is not None and work.count == 2 and work.figure == "1 decisions, 2 shared actions"


SURVEY_KEYS = (
    "satisfaction", "likely_to_stay", "perceived_progress", "well_managed", "trust_members", "trust_hub",
    "value_received",
)  # fmt: skip


def test_survey_figures_are_the_mean_of_the_answers_of_rounds_closing_in_the_period(world) -> None:
    c = world.coalition
    people = builders.members(c, 5)
    survey = builders.survey(c, keys=SURVEY_KEYS, opened=True)
    scores = [5, 4, 4, 3, 2]  # each person gives the same score to every question
    for person, score in zip(people, scores, strict=True):
        feedback_actions.do_answer_survey(person, survey, dict.fromkeys(SURVEY_KEYS, str(score)))
    feedback_actions.do_close_round(world.hub, survey)
    closes = survey.closes_on
    for key in SURVEY_KEYS:
        found = computation(f"feedback.{key}")
        assert found is not None, key
        # (5 + 4 + 4 + 3 + 2) / 5 = 3.6, over the five answers the coalition's minimum asks for
        assert found.compute(c, closes, closes) == Decimal("3.60"), key
        assert found.compute(c, closes + dt.timedelta(days=1), closes + dt.timedelta(days=90)) is None, key
    # the value proposition's evidence is the value item's mean over the year looked back over
    value = evidence.value(c, closes - dt.timedelta(days=364), closes)
    assert value is not None and value.figure == "3.6"
