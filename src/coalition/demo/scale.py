"""Scale data: a network of many coalitions, for the benches, the load test and the EXPLAIN checks.

``seed_scale(coalitions=500, members=200, years=5)`` makes, per coalition: a hub coordinator, ``members``
member organisations each with a person who reports for it, ``indicators`` monthly indicators with
``years`` of values from every member (the undisaggregated total), ``rounds`` closed network rounds
in which every member answered about a few others, and ``meetings`` monthly coalition meetings up to last
month (three accepted agenda items with minutes each, minutes approved, everyone's attendance recorded)
and one next month with its agenda published. The full size is 500 × 200 members, 18 million values,
a million network answers and 6,500 meetings with 1.2 million attendance records.

The coalitions, their indicators and the network rounds are made through the apps' actions (audited as
usual); the bulk rows (people, organisations, memberships, values, network answers) go in with
``bulk_create``, and the values by ``COPY`` on PostgreSQL, then the derived figures are rebuilt as the
write path would have left them. Each coalition is one transaction. The seeder refuses to run where scale
coalitions already exist (named ``Scale coalition …``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from coalition.coalitions import actions as coalition_actions
from coalition.coalitions.access import get_access
from coalition.coalitions.models import Coalition, Membership, MembershipRole
from coalition.core.bulk import copy_rows
from coalition.core.permissions import Role
from coalition.measurement import actions as measurement_actions
from coalition.measurement import periods, rollups
from coalition.measurement.models import DataValue, Indicator
from coalition.meetings.models import AgendaItem, Attendance, Meeting
from coalition.network import actions as network_actions
from coalition.network.models import Answer, Respondent, SurveyRound
from coalition.stakeholders.models import Sector, Stakeholder

PREFIX = "Scale coalition"
ANSWERS_PER_RESPONDENT = 5
INDICATOR_NAMES = ("Children attending", "Families reached", "Volunteer hours", "Meals served", "Referrals")
VALUE_COLUMNS = (
    ("coalition_id", "int8"),
    ("indicator_id", "int8"),
    ("period_start", "date"),
    ("organisation_id", "int8"),
    ("combination_id", "int8"),
    ("value", "numeric"),
    ("entered_by_id", "int4"),  # auth_user ids are integers
    ("on_behalf", "bool"),
    ("created_at", "timestamptz"),
    ("updated_at", "timestamptz"),
)


class AlreadySeeded(Exception):
    """Scale coalitions exist already: the seeder runs once per database."""


@dataclass
class Seeded:
    coalitions: int = 0
    members: int = 0
    values: int = 0
    answers: int = 0
    meetings: int = 0
    attendance: int = 0


def seed_scale(
    coalitions: int = 500,
    members: int = 200,
    years: int = 5,
    indicators: int = 3,
    rounds: int = 2,
    meetings: int = 12,
    progress: Callable[[str], None] | None = None,
) -> Seeded:
    """Make the scale coalitions (see the module's docstring); raises ``AlreadySeeded`` on a second run."""
    if Coalition.objects.filter(name__startswith=PREFIX).exists():
        raise AlreadySeeded
    last_year = timezone.localdate().year - 1
    months = [dt.date(last_year - years + 1 + n // 12, n % 12 + 1, 1) for n in range(12 * years)]
    seeded = Seeded()
    for number in range(1, coalitions + 1):
        with transaction.atomic():
            _coalition(number, members, months, indicators, rounds, seeded, meetings)
        if progress:
            progress(f"{number}/{coalitions} coalitions, {seeded.values} values")
    return seeded


def _coalition(  # noqa: PLR0913 - the sizes of one coalition
    number: int, members: int, months: list[dt.date], indicators: int, rounds: int, seeded: Seeded, meetings: int = 0
) -> None:
    users = get_user_model()
    hub = users.objects.create_user(f"scale{number:04d}-hub", password=None, first_name="Hub", last_name=f"{number}")
    coalition = coalition_actions.do_create_coalition(
        hub, name=f"{PREFIX} {number:04d}", first_year=months[0].year, places=f"District {number % 50}"
    )
    sectors = Sector.values
    orgs = Stakeholder.objects.bulk_create(
        [
            Stakeholder(
                coalition=coalition,
                name=f"Organisation {number:04d}-{m:03d}",
                sector=sectors[m % len(sectors)],
                engagement=Stakeholder.Engagement.MEMBER,
                power=1 + m % 5,
                interest=1 + (m * 7) % 5,
                brings_stake=m % 3 == 0,
                lived_experience=m % 4 == 0,
            )
            for m in range(members)
        ]
    )
    people = users.objects.bulk_create(
        [users(username=f"scale{number:04d}-{m:03d}", first_name="Member", last_name=f"{m}") for m in range(members)]
    )
    for person in people:
        person.set_unusable_password()
    users.objects.bulk_update(people, ["password"])
    memberships = Membership.objects.bulk_create(
        [Membership(coalition=coalition, user=u, organisation=o) for u, o in zip(people, orgs, strict=True)]
    )
    MembershipRole.objects.bulk_create([MembershipRole(membership=m, role=Role.MEMBER) for m in memberships])
    access = get_access(hub, coalition.pk)
    made = [
        measurement_actions.do_save_indicator(
            access,
            name=INDICATOR_NAMES[i % len(INDICATOR_NAMES)] + (f" {i // len(INDICATOR_NAMES) + 1}" if i >= 5 else ""),
            frequency=periods.MONTHLY,
            starts_on=months[0],
            time_aggregation="sum",
            unit="people",
            is_shared=i == 0,
        )
        for i in range(indicators)
    ]
    seeded.values += _values(coalition, made, months, orgs, hub.pk)
    for r in range(rounds):
        seeded.answers += _round(hub, coalition, f"Round {r + 1}", orgs)
    if meetings:
        seeded.meetings += meetings + 1
        seeded.attendance += _meetings(hub, coalition, list(coalition.memberships.order_by("pk")), meetings)
    seeded.coalitions += 1
    seeded.members += members


def _values(coalition: Coalition, indicators: list[Indicator], months: list[dt.date], orgs: list, hub_id: int) -> int:
    total = measurement_actions.ensure_combinations(coalition, [()])[""]
    now = timezone.now()
    rows = [
        (coalition.pk, ind.pk, month, org.pk, total, Decimal((k * 13 + n * 7 + i) % 90 + 10), hub_id, True, now, now)
        for i, ind in enumerate(indicators)
        for n, month in enumerate(months)
        for k, org in enumerate(orgs)
    ]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            copy_rows(cursor, DataValue._meta.db_table, VALUE_COLUMNS, rows)
    else:  # a model takes its columns' names (``coalition_id``…) as keywords
        names = [name for name, _type in VALUE_COLUMNS]
        DataValue.objects.bulk_create([DataValue(**dict(zip(names, row, strict=True))) for row in rows], batch_size=2000)
    rollups.rebuild([ind.pk for ind in indicators])  # the values went around the write path: derive as it would
    return len(rows)


def _round(hub: Any, coalition: Coalition, name: str, orgs: list) -> int:
    """A closed round among the members, each of whom consented and named the next few on the list (its
    status set in bulk: opening it through the action would notify every member of every coalition)."""
    survey = network_actions.do_create_round(hub, coalition, name=name, stakeholders=orgs)
    actors = list(survey.actors.all())
    now = timezone.now()
    respondents = Respondent.objects.bulk_create(
        [
            Respondent(
                round=survey,
                coalition=coalition,
                actor=a,
                token_hash=hashlib.sha256(secrets.token_bytes(16)).hexdigest(),
                status=Respondent.Status.CONSENTED,
                agrees_to_be_named=a.number % 2 == 0,
                consented_at=now,
                submitted_at=now,
            )
            for a in actors
        ]
    )
    count = len(actors)
    answers = [
        Answer(
            respondent=r,
            target=actors[(i + step) % count],
            information=True,
            cooperation=step % 2 == 0,
            resources=step == 1,
            frequency=1 + (i + step) % 4,
            trust_open=1 + (i + step) % 4,
            trust_reliable=1 + (i * step) % 4,
            trust_mission=1 + i % 4,
        )
        for i, r in enumerate(respondents)
        for step in range(1, min(ANSWERS_PER_RESPONDENT, count - 1) + 1)
    ]
    Answer.objects.bulk_create(answers, batch_size=5000)
    SurveyRound.objects.filter(pk=survey.pk).update(status=SurveyRound.Status.CLOSED, opened_at=now, closed_at=now)
    return len(answers)


ITEMS_PER_MEETING = 3
ATTENDANCE = (Attendance.Status.PRESENT, Attendance.Status.PRESENT, Attendance.Status.EXCUSED, Attendance.Status.ABSENT)


def _meetings(hub: Any, coalition: Coalition, memberships: list[Membership], past: int) -> int:
    """``past`` monthly meetings up to last month, their minutes approved and attendance recorded, and one
    next month with its agenda published (in bulk: through the actions each would notify every member)."""
    today = timezone.now().replace(hour=15, minute=0, second=0, microsecond=0)
    # Every 30 days up to a month ago, then the next a month ahead: none falls on today, whatever the hour.
    starts = [today - dt.timedelta(days=30 * (past - n)) for n in range(past)] + [today + dt.timedelta(days=30)]
    made = Meeting.objects.bulk_create(
        [
            Meeting(
                coalition=coalition,
                title=f"Coalition meeting {n + 1}",
                starts_at=starts_at,
                agenda_published_at=starts_at - dt.timedelta(days=7),
                minutes_approved_at=starts_at + dt.timedelta(days=7) if n < past else None,
                minutes_approved_by=hub if n < past else None,
            )
            for n, starts_at in enumerate(starts)
        ]
    )
    AgendaItem.objects.bulk_create(
        [
            AgendaItem(
                coalition=coalition,
                meeting=meeting,
                title=f"Item {k + 1}",
                status=AgendaItem.Status.ACCEPTED,
                position=k,
                proposed_by=memberships[0],  # the hub's, made with the coalition
                minutes="Discussed; next steps agreed." if meeting.minutes_approved_at else "",
            )
            for meeting in made
            for k in range(ITEMS_PER_MEETING)
        ]
    )
    attendance = [
        Attendance(
            coalition=coalition,
            meeting=meeting,
            membership=membership,
            status=ATTENDANCE[(n + m) % len(ATTENDANCE)],
            organisation_id=membership.organisation_id,
        )
        for n, meeting in enumerate(made[:past])
        for m, membership in enumerate(memberships)
    ]
    Attendance.objects.bulk_create(attendance, batch_size=5000)
    return len(attendance)
