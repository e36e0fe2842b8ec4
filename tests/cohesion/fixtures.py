"""A coalition whose records were built for the cohesion figures, each figure counted by hand in the tests.

Records are written straight to the tables so that their dates can lie in the past, as a year of use
leaves them; the figures only read them."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from coalition.coalitions.models import Coalition, Membership
from coalition.joint_action.models import Action, ActivityType, JointActionPlan
from coalition.meetings.models import Attendance, Meeting
from coalition.network.models import Actor, Answer, Respondent, SurveyRound
from coalition.planning.models import AgendaVersion, Signature
from coalition.stakeholders.models import Stakeholder
from tests import factories

_seq = itertools.count(1)
Q1 = (dt.date(2025, 1, 1), dt.date(2025, 3, 31))
Q2 = (dt.date(2025, 4, 1), dt.date(2025, 6, 30))
Q3 = (dt.date(2025, 7, 1), dt.date(2025, 9, 30))
Q4_2024 = (dt.date(2024, 10, 1), dt.date(2024, 12, 31))


# A rating for every readiness question, as a decision needs them.
READY = dict.fromkeys(("voices", "processes", "follow_through", "networks", "trust", "hub_skills", "membership"), ("ready", ""))  # fmt: skip


def at(day: dt.date, hour: int = 12) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


@dataclass
class Records:
    coalition: Coalition
    orgs: dict[str, Stakeholder]
    people: dict[str, Membership]
    actions: dict[str, Action]


def member(coalition: Coalition, org: Stakeholder | None, name: str) -> Membership:
    return factories.add_member(coalition, factories.make_user(f"{name}{next(_seq)}"), ["member"], organisation=org)


def meeting(coalition: Coalition, day: dt.date, present: list[Membership], absent: list[Membership] = (), *,
            cancelled: bool = False) -> Meeting:  # fmt: skip
    found = Meeting.objects.create(
        coalition=coalition,
        title=f"Meeting {next(_seq)}",
        starts_at=at(day),
        status=Meeting.Status.CANCELLED if cancelled else Meeting.Status.SCHEDULED,
    )
    for person in present:
        Attendance.objects.create(coalition=coalition, meeting=found, membership=person, status="present")
    for person in absent:
        Attendance.objects.create(coalition=coalition, meeting=found, membership=person, status="absent")
    return found


def publish(coalition: Coalition, number: int, day: dt.date) -> AgendaVersion:
    return AgendaVersion.objects.create(coalition=coalition, number=number, status="published", published_at=at(day))


def sign(version: AgendaVersion, person: Membership, day: dt.date) -> None:
    signature = Signature.objects.create(version=version, membership=person)
    Signature.objects.filter(pk=signature.pk).update(signed_at=at(day))


def action(coalition: Coalition, plan: JointActionPlan, lead: Stakeholder, title: str, due: dt.date,
           status: str = "planned", done: dt.date | None = None, **extra: Any) -> Action:  # fmt: skip
    kind, _new = ActivityType.objects.get_or_create(coalition=coalition, name="Outreach")
    return Action.objects.create(
        coalition=coalition,
        plan=plan,
        title=title,
        activity_type=kind,
        lead=lead,
        due_on=due,
        status=status,
        completed_on=done,
        dropped_reason="no longer needed" if status == "dropped" else "",
        **{"place": "North", "starts_on": dt.date(2025, 1, 1), **extra},
    )


def network_round(coalition: Coalition, name: str, closed: dt.date, hub: Stakeholder, orgs: list[Stakeholder],
                  ties: list[tuple[str, str]], *, declined: tuple[str, ...] = (),
                  invited_only: tuple[str, ...] = ()) -> SurveyRound:  # fmt: skip
    survey = SurveyRound.objects.create(
        coalition=coalition, name=name, status="closed", closed_at=at(closed), hub_organisation=hub
    )
    actors = {
        org.name: Actor.objects.create(
            round=survey, coalition=coalition, stakeholder=org, name=org.name, sector=org.sector, number=n
        )
        for n, org in enumerate(orgs, 1)
    }
    respondents: dict[str, Respondent] = {}
    for name_ in actors:
        status = "declined" if name_ in declined else "invited" if name_ in invited_only else "consented"
        respondents[name_] = Respondent.objects.create(
            round=survey, coalition=coalition, actor=actors[name_], token_hash=f"{survey.pk}-{name_}", status=status
        )
    for source, target in ties:
        Answer.objects.create(respondent=respondents[source], target=actors[target], information=True)
    return survey


def build(coalition: Coalition) -> Records:
    orgs = {n: factories.make_stakeholder(coalition, n, engagement="member") for n in "ABCDE"}
    people = {n: member(coalition, orgs[n], n) for n in "ABCD"}
    people["A2"] = member(coalition, orgs["A"], "A")  # a second person of A
    people["X"] = member(coalition, None, "X")  # represents no organisation
    a, b, c, d = (people[n] for n in "ABCD")
    # Q1: four meetings with attendance taken. A 4/4, B 3/4, C 2/4, D 0/4 → consistent: A, B.
    meeting(coalition, dt.date(2025, 1, 10), [a, b, c], [d])
    meeting(coalition, dt.date(2025, 2, 10), [a, b], [c, d])
    meeting(coalition, dt.date(2025, 3, 10), [a, people["A2"], b], [c, d])
    meeting(coalition, dt.date(2025, 3, 20), [a, c], [b, d])
    meeting(coalition, dt.date(2025, 3, 25), [a, d], cancelled=True)  # cancelled: not counted
    Meeting.objects.create(coalition=coalition, title="No register", starts_at=at(dt.date(2025, 3, 26)))
    # Q3: one meeting, only C present → 1.
    meeting(coalition, dt.date(2025, 8, 5), [c], [a, b, d])
    # Charter: v1 (Jan) signed by A (two people) and B; v2 (May) signed by A only; X signs without an org.
    v1 = publish(coalition, 1, dt.date(2025, 1, 10))
    sign(v1, a, dt.date(2025, 1, 15))
    sign(v1, people["A2"], dt.date(2025, 1, 16))
    sign(v1, b, dt.date(2025, 2, 20))
    sign(v1, people["X"], dt.date(2025, 2, 21))
    sign(v1, c, dt.date(2025, 4, 20))  # signs v1 in Q2, after v2? no: v2 is May; C's signature counts in no period
    v2 = publish(coalition, 2, dt.date(2025, 5, 1))
    sign(v2, a, dt.date(2025, 5, 3))
    # Plans: P1 from February; P3 archived; P2 has no start date and was made today (after 2025).
    p1 = JointActionPlan.objects.create(coalition=coalition, title="P1", starts_on=dt.date(2025, 2, 1))
    JointActionPlan.objects.create(coalition=coalition, title="P2")
    JointActionPlan.objects.create(coalition=coalition, title="P3", starts_on=dt.date(2025, 1, 1), is_archived=True)
    lead = orgs["A"]
    acts = {
        "a1": action(coalition, p1, lead, "a1", dt.date(2025, 3, 1), "done", dt.date(2025, 2, 20)),
        "a2": action(coalition, p1, lead, "a2", dt.date(2025, 3, 15), "done", dt.date(2025, 4, 10)),
        "a3": action(coalition, p1, lead, "a3", dt.date(2025, 5, 1), "under_way"),
        "a4": action(coalition, p1, lead, "a4", dt.date(2025, 6, 30)),
        "a5": action(coalition, p1, lead, "a5", dt.date(2025, 2, 1), "dropped"),
        "a6": action(coalition, p1, lead, "a6", dt.date(2025, 9, 1), "done", dt.date(2025, 6, 15)),
    }
    # Network: R1 (March) a star around the hub A; R2 (June) a ring with a chord, E declined.
    abcd = [orgs[n] for n in "ABCD"]
    network_round(coalition, "R1", dt.date(2025, 3, 10), orgs["A"], abcd, [("A", "B"), ("A", "C"), ("D", "A")])
    network_round(
        coalition,
        "R2",
        dt.date(2025, 6, 5),
        orgs["A"],
        [*abcd, orgs["E"]],
        [("A", "B"), ("B", "C"), ("C", "D"), ("D", "A"), ("B", "D"), ("A", "E"), ("E", "C")],
        declined=("E",),
    )
    # An invited respondent's answers are never used.
    network_round(coalition, "R0", dt.date(2024, 12, 1), orgs["A"], abcd[:3], [("B", "C")], invited_only=("B",))
    return Records(coalition, orgs, people, acts)
