"""How the cohesion figures scale: a coalition of 200 member organisations with five years of records
(monthly meetings with a register, charter versions and signatures, joint actions, network rounds), every
cohesion figure recomputed for all twenty quarters.

Creates a throwaway SQLite database (never the demo database). The recomputation must take the same number of
SQL statements for one quarter as for twenty (asserted with CaptureQueriesContext); as the baseline, the same
statements are replayed on the bare driver cursor, with the ratio (goal ≤ 2 x).

Usage: .venv/bin/python bench/cohesion.py
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
WORKDIR = tempfile.mkdtemp(prefix="coalition-bench-cohesion-")
os.environ["COALITION_VAR_DIR"] = WORKDIR
os.environ["DJANGO_SETTINGS_MODULE"] = "coalition.settings"
os.environ["DJANGO_DEBUG"] = "0"
os.environ.pop("DATABASE_URL", None)

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from coalition.coalitions.actions import do_create_coalition  # noqa: E402
from coalition.coalitions.models import Coalition, Membership  # noqa: E402
from coalition.cohesion import figures  # noqa: E402
from coalition.cohesion.computations import OWN  # noqa: E402
from coalition.joint_action.models import Action, ActivityType, JointActionPlan  # noqa: E402
from coalition.meetings.models import Attendance, Meeting  # noqa: E402
from coalition.network.models import Actor, Answer, Respondent, SurveyRound  # noqa: E402
from coalition.planning.models import AgendaVersion, Signature  # noqa: E402
from coalition.stakeholders.models import Stakeholder  # noqa: E402

ORGS = 200
YEARS = 5
START = dt.date(2021, 1, 1)
REPEAT = 5
rng = random.Random(20)  # noqa: S311 - reproducible bench data, not security


def at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))


def quarters(n: int) -> list[tuple[dt.date, dt.date]]:
    spans = []
    for q in range(n):
        year, month = START.year + q // 4, 1 + 3 * (q % 4)
        first = dt.date(year, month, 1)
        nxt = dt.date(year + (month == 10), 1 if month == 10 else month + 3, 1)
        spans.append((first, nxt - dt.timedelta(days=1)))
    return spans


def seed() -> Coalition:
    users = get_user_model().objects
    hub = users.create_user("bench-hub", password="bench-password-not-secret")  # noqa: S106
    coalition = do_create_coalition(hub, name="Bench cohesion")
    orgs = Stakeholder.objects.bulk_create(
        Stakeholder(coalition=coalition, name=f"Org {i}", engagement="member", sector="civil_society")
        for i in range(ORGS)
    )
    people = users.bulk_create(get_user_model()(username=f"bench-{i}") for i in range(ORGS))
    members = Membership.objects.bulk_create(
        Membership(coalition=coalition, user=u, organisation=o) for u, o in zip(people, orgs, strict=True)
    )
    months = YEARS * 12
    meetings = Meeting.objects.bulk_create(
        Meeting(coalition=coalition, title=f"M{m}", starts_at=at(dt.date(START.year + m // 12, 1 + m % 12, 10)))
        for m in range(months)
    )
    Attendance.objects.bulk_create(
        Attendance(
            coalition=coalition,
            meeting=meeting,
            membership=person,
            status="present" if rng.random() < 0.7 else "absent",
        )
        for meeting in meetings
        for person in members
    )
    for v in range(YEARS):
        version = AgendaVersion.objects.create(
            coalition=coalition, number=v + 1, status="published", published_at=at(dt.date(START.year + v, 2, 1))
        )
        Signature.objects.bulk_create(Signature(version=version, membership=p) for p in members if rng.random() < 0.8)
    kind = ActivityType.objects.create(coalition=coalition, name="Outreach")
    plans = JointActionPlan.objects.bulk_create(
        JointActionPlan(coalition=coalition, title=f"Plan {y}", starts_on=dt.date(START.year + y, 1, 1))
        for y in range(YEARS)
    )
    actions = []
    for i in range(ORGS * YEARS):
        start = START + dt.timedelta(days=rng.randrange(YEARS * 365 - 120))
        due = start + dt.timedelta(days=rng.randrange(10, 120))
        done = rng.random() < 0.7
        completed = min(due + dt.timedelta(days=rng.randrange(-20, 30)), dt.date(2025, 12, 31)) if done else None
        completed = max(completed, start) if completed else None
        actions.append(
            Action(
                coalition=coalition,
                plan=plans[min((start.year - START.year), YEARS - 1)],
                title=f"A{i}",
                activity_type=kind,
                place="North",
                lead=orgs[i % ORGS],
                starts_on=start,
                due_on=due,
                status="done" if done else "under_way",
                completed_on=completed,
            )
        )
    Action.objects.bulk_create(actions)
    for r in range(YEARS * 2):
        survey = SurveyRound.objects.create(
            coalition=coalition,
            name=f"Round {r}",
            status="closed",
            closed_at=at(dt.date(START.year + r // 2, 3 + 6 * (r % 2), 1)),
            hub_organisation=orgs[0],
        )
        actors = Actor.objects.bulk_create(
            Actor(round=survey, coalition=coalition, stakeholder=o, name=o.name, sector=o.sector, number=n)
            for n, o in enumerate(orgs, 1)
        )
        respondents = Respondent.objects.bulk_create(
            Respondent(round=survey, coalition=coalition, actor=a, token_hash=f"{survey.pk}-{a.pk}", status="consented")
            for a in actors
        )
        Answer.objects.bulk_create(
            Answer(respondent=respondent, target=target, information=True)
            for respondent in respondents
            for target in rng.sample(actors, 6)
            if target.pk != respondent.actor_id
        )
    return coalition


def recompute(coalition: Coalition, spans: list[tuple[dt.date, dt.date]]) -> None:
    # Each run measures the network rounds afresh, as the first refresh after a change would: the five network
    # figures of one refresh then share that one measurement (``figures.measure_rounds``).
    figures.measure_rounds.cache_clear()
    for item in OWN:
        item.series(coalition, spans)


def replay(statements: list[str]) -> Callable[[], None]:
    def run() -> None:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                if cursor.description:
                    cursor.fetchall()

    return run


def median_ms(fn: Callable[[], object], repeat: int = REPEAT) -> float:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        fn()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def main() -> None:
    try:
        call_command("migrate", verbosity=0)
        coalition = seed()
        spans = quarters(YEARS * 4)
        with CaptureQueriesContext(connection) as one:
            recompute(coalition, spans[:1])
        with CaptureQueriesContext(connection) as every:
            recompute(coalition, spans)
        assert len(one) == len(every), (len(one), len(every))
        statements = [q["sql"] for q in every.captured_queries]
        recompute_ms = median_ms(lambda: recompute(coalition, spans))
        sql_ms = median_ms(replay(statements))
        print(f"member_organisations: {ORGS}")
        print(f"years_of_records: {YEARS}")
        print(f"attendance_rows: {Attendance.objects.count()}")
        print(f"network_answers: {Answer.objects.count()}")
        print(f"cohesion_figures: {len(OWN)} figures x {len(spans)} quarters")
        print(f"recompute_queries: {len(every)} queries (same for 1 quarter: {len(one)})")
        print(f"recompute_cohesion: {recompute_ms:.0f} ms")
        print(f"bare_sql: {sql_ms:.0f} ms")
        print(f"ratio: {recompute_ms / sql_ms:.1f} x")
    finally:
        connection.close()
        shutil.rmtree(WORKDIR, ignore_errors=True)


if __name__ == "__main__":
    main()
