"""Scale data: a network of many coalitions, for the benches, the load test and the EXPLAIN checks.

``seed_scale(coalitions=500, members=200, years=5)`` makes, per coalition: a hub coordinator, ``members``
member organisations each with a person who reports for it, ``indicators`` monthly indicators with
``years`` of values from every member (the undisaggregated total), ``rounds`` closed network rounds
in which every member answered about a few others, and ``meetings`` monthly coalition meetings up to last
month (three accepted agenda items with minutes each, minutes approved, everyone's attendance recorded)
and one next month with its agenda published. The full size is 500 × 200 members, 18 million values,
a million network answers and 6,500 meetings with 1.2 million attendance records.

The coalitions, their indicators and the network rounds are made through the apps' actions (audited as
usual); the bulk rows (organisations, people with an unusable password, memberships, values, respondents,
network answers, meetings, agenda items, attendance) are written per batch of ``BATCH`` coalitions, by
``COPY`` on PostgreSQL (``core.bulk``; ``bulk_create`` elsewhere, for small sizes), with ids reserved
beforehand so they can refer to each other. Then the batch's derived figures are rebuilt as the write
path would have left them. Each batch is one transaction. The seeder refuses to run where scale
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
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from coalition.coalitions import actions as coalition_actions
from coalition.coalitions.access import get_access
from coalition.coalitions.models import Coalition, Membership, MembershipRole
from coalition.core.bulk import copy_rows, insert_objects, reserve_ids
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


BATCH = 20  # coalitions per transaction: one COPY per table and one rebuild of the derived figures each


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


@dataclass
class Sizes:
    members: int
    months: list[dt.date]
    indicators: int
    rounds: int
    meetings: int


def seed_scale(  # noqa: PLR0913 - the sizes of the network
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
    sizes = Sizes(members, months, indicators, rounds, meetings)
    seeded = Seeded()
    for first in range(1, coalitions + 1, BATCH):
        numbers = range(first, min(first + BATCH, coalitions + 1))
        with transaction.atomic():
            _batch(numbers, sizes, seeded)
        if progress:
            progress(f"{numbers[-1]}/{coalitions} coalitions, {seeded.values} values")
    return seeded


def _batch(numbers: range, sizes: Sizes, seeded: Seeded) -> None:
    """Seed the coalitions ``numbers`` (one transaction): the actions per coalition, the bulk rows of all
    of them together, then their derived figures."""
    users = get_user_model()
    made = []
    for number in numbers:
        hub = users.objects.create_user(f"scale{number:04d}-hub", password=None, first_name="Hub", last_name=f"{number}")
        coalition = coalition_actions.do_create_coalition(
            hub, name=f"{PREFIX} {number:04d}", first_year=sizes.months[0].year, places=f"District {number % 50}"
        )
        made.append((number, hub, coalition))
    orgs = _members(made, sizes.members)
    indicators = []
    for _number, hub, coalition in made:
        access = get_access(hub, coalition.pk)
        indicators.append(
            [
                measurement_actions.do_save_indicator(
                    access,
                    name=INDICATOR_NAMES[i % len(INDICATOR_NAMES)]
                    + (f" {i // len(INDICATOR_NAMES) + 1}" if i >= len(INDICATOR_NAMES) else ""),
                    frequency=periods.MONTHLY,
                    starts_on=sizes.months[0],
                    time_aggregation="sum",
                    unit="people",
                    is_shared=i == 0,
                )
                for i in range(sizes.indicators)
            ]
        )
    seeded.values += _values(made, indicators, sizes.months, orgs)
    seeded.answers += _rounds(made, orgs, sizes.rounds)
    if sizes.meetings:
        seeded.meetings += len(made) * (sizes.meetings + 1)
        seeded.attendance += _meetings(made, sizes.meetings)
    # The values went around the write path: derive their figures as it would have, once for the batch.
    rollups.rebuild([indicator.pk for some in indicators for indicator in some])
    seeded.coalitions += len(made)
    seeded.members += len(made) * sizes.members


Made = list[tuple[int, Any, Coalition]]  # (number, hub, coalition) of each coalition of a batch


def _members(made: Made, members: int) -> list[list[Stakeholder]]:
    """Each coalition's member organisations, each with a person (unusable password) who reports for it."""
    sectors = Sector.values
    orgs = [
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
        for number, _hub, coalition in made
    ]
    users = get_user_model()
    people = [
        [
            users(username=f"scale{number:04d}-{m:03d}", first_name="Member", last_name=f"{m}", password=make_password(None))
            for m in range(members)
        ]
        for number, _hub, _coalition in made
    ]
    memberships = [
        Membership(coalition=coalition, user=person, organisation=org)
        for (_number, _hub, coalition), some_people, some_orgs in zip(made, people, orgs, strict=True)
        for person, org in zip(some_people, some_orgs, strict=True)
    ]
    _insert(Stakeholder, [org for some in orgs for org in some])
    _insert(users, [person for some in people for person in some])
    _insert(Membership, memberships)
    _insert(MembershipRole, [MembershipRole(membership=m, role=Role.MEMBER) for m in memberships])
    return orgs


def _insert(model: Any, objects: list[Any]) -> list[Any]:
    """Give ``objects`` fresh ids and write them in bulk (``COPY`` on PostgreSQL)."""
    for obj, pk in zip(objects, reserve_ids(model, len(objects)), strict=True):
        obj.pk = pk
    insert_objects(model, objects)
    return objects


def _values(made: Made, indicators: list[list[Indicator]], months: list[dt.date], orgs: list[list[Stakeholder]]) -> int:
    """Every member's monthly total of every indicator (one ``COPY`` for the batch on PostgreSQL)."""
    now = timezone.now()
    rows: list[tuple[Any, ...]] = []
    for (_number, hub, coalition), some_indicators, some_orgs in zip(made, indicators, orgs, strict=True):
        total = measurement_actions.ensure_combinations(coalition, [()])[""]
        rows.extend(
            (coalition.pk, ind.pk, month, org.pk, total, Decimal((k * 13 + n * 7 + i) % 90 + 10), hub.pk, True, now, now)
            for i, ind in enumerate(some_indicators)
            for n, month in enumerate(months)
            for k, org in enumerate(some_orgs)
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            copy_rows(cursor, DataValue._meta.db_table, VALUE_COLUMNS, rows)
    else:  # a model takes its columns' names (``coalition_id``…) as keywords
        names = [name for name, _type in VALUE_COLUMNS]
        DataValue.objects.bulk_create([DataValue(**dict(zip(names, row, strict=True))) for row in rows], batch_size=2000)
    return len(rows)


def _rounds(made: Made, orgs: list[list[Stakeholder]], rounds: int) -> int:
    """In each coalition, ``rounds`` closed rounds among the members, each of whom consented and named the
    next few on the list (made through the action, their status set in bulk: opening them through the
    action would notify every member of every coalition)."""
    surveys = [
        network_actions.do_create_round(hub, coalition, name=f"Round {r + 1}", stakeholders=some_orgs)
        for (_number, hub, coalition), some_orgs in zip(made, orgs, strict=True)
        for r in range(rounds)
    ]
    now = timezone.now()
    respondents: list[Respondent] = []
    answers: list[Answer] = []
    for survey in surveys:
        actors = list(survey.actors.order_by("pk"))
        mine = [
            Respondent(
                round=survey,
                coalition_id=survey.coalition_id,
                actor=a,
                token_hash=hashlib.sha256(secrets.token_bytes(16)).hexdigest(),
                status=Respondent.Status.CONSENTED,
                agrees_to_be_named=a.number % 2 == 0,
                consented_at=now,
                submitted_at=now,
            )
            for a in actors
        ]
        respondents.extend(mine)
        count = len(actors)
        answers.extend(
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
            for i, r in enumerate(mine)
            for step in range(1, min(ANSWERS_PER_RESPONDENT, count - 1) + 1)
        )
    _insert(Respondent, respondents)
    _insert(Answer, answers)
    SurveyRound.objects.filter(pk__in=[s.pk for s in surveys]).update(
        status=SurveyRound.Status.CLOSED, opened_at=now, closed_at=now
    )
    return len(answers)


ITEMS_PER_MEETING = 3
ATTENDANCE = (Attendance.Status.PRESENT, Attendance.Status.PRESENT, Attendance.Status.EXCUSED, Attendance.Status.ABSENT)


def _meetings(made: Made, past: int) -> int:
    """In each coalition, ``past`` monthly meetings up to last month, their minutes approved and everyone's
    attendance recorded, and one next month with its agenda published (in bulk: through the actions each
    would notify every member)."""
    today = timezone.now().replace(hour=15, minute=0, second=0, microsecond=0)
    # Every 30 days up to a month ago, then the next a month ahead: none falls on today, whatever the hour.
    starts = [today - dt.timedelta(days=30 * (past - n)) for n in range(past)] + [today + dt.timedelta(days=30)]
    people: dict[int, list[Membership]] = {}
    for membership in Membership.objects.filter(coalition__in=[c for _n, _h, c in made]).order_by("pk"):
        people.setdefault(membership.coalition_id, []).append(membership)
    meetings = [
        Meeting(
            coalition=coalition,
            title=f"Coalition meeting {n + 1}",
            starts_at=starts_at,
            agenda_published_at=starts_at - dt.timedelta(days=7),
            minutes_approved_at=starts_at + dt.timedelta(days=7) if n < past else None,
            minutes_approved_by=hub if n < past else None,
        )
        for _number, hub, coalition in made
        for n, starts_at in enumerate(starts)
    ]
    _insert(Meeting, meetings)
    items = [
        AgendaItem(
            coalition_id=meeting.coalition_id,
            meeting=meeting,
            title=f"Item {k + 1}",
            status=AgendaItem.Status.ACCEPTED,
            position=k,
            proposed_by=people[meeting.coalition_id][0],  # the hub's, made with the coalition
            minutes="Discussed; next steps agreed." if meeting.minutes_approved_at else "",
        )
        for meeting in meetings
        for k in range(ITEMS_PER_MEETING)
    ]
    attendance = [
        Attendance(
            coalition_id=meeting.coalition_id,
            meeting=meeting,
            membership=membership,
            status=ATTENDANCE[(n % len(starts) + m) % len(ATTENDANCE)],
            organisation_id=membership.organisation_id,
        )
        for n, meeting in enumerate(meetings)
        if meeting.minutes_approved_at
        for m, membership in enumerate(people[meeting.coalition_id])
    ]
    _insert(AgendaItem, items)
    _insert(Attendance, attendance)
    return len(attendance)
