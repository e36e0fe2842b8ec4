"""Coalition measurement dashboard: full page time and query count on a realistic coalition.

Seeds a throwaway SQLite database (or the PostgreSQL database named by BENCH_DATABASE_URL) with one
coalition: 12 member organisations, 10 monthly indicators (3 shared) broken down by sex × age band ×
place, two years of approved values (about 50,000 rows). Then it requests the dashboard through the
Django test client, signed in as the hub, and prints:

    dashboard_page_cold: N ms      first load (figures read from the database, charts rendered; compare with
                                   dashboard_bare_sql)
    dashboard_page: N ms           median of the following loads, served from the dashboard cache until the
                                   next write to the coalition's measurement data
    dashboard_queries: N           SQL queries per cached load
    dashboard_db: N ms             time spent in those queries (median cached load)
    dashboard_bare_sql: N ms       the figures fetched with one hand-written SQL statement per table
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
TMP = tempfile.mkdtemp(prefix="bench-dashboard-")
os.environ["COALITION_VAR_DIR"] = TMP
os.environ.pop("DATABASE_URL", None)
if os.environ.get("BENCH_DATABASE_URL"):
    os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coalition.settings")

import django  # noqa: E402

django.setup()

import datetime as dt  # noqa: E402
import random  # noqa: E402
from decimal import Decimal  # noqa: E402

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

MEMBERS, INDICATORS, SHARED, MONTHS, LOADS = 12, 10, 3, 24, 9
START = dt.date(2024, 1, 1)


def seed() -> tuple[object, object]:
    from tests import factories

    from coalition.coalitions.access import get_access
    from coalition.measurement import actions, rollups
    from coalition.measurement.models import DataValue, Submission

    rng = random.Random(7)  # noqa: S311 - benchmark data
    hub = factories.make_user("bench-hub")
    coalition = factories.make_coalition("Bench coalition", hub=hub)
    orgs = []
    for i in range(MEMBERS):
        org = factories.make_stakeholder(coalition, f"Member organisation {i + 1:02d}", engagement="member")
        factories.add_member(coalition, factories.make_user(f"bench-member-{i}"), ["member"], organisation=org)
        orgs.append(org)
    access = get_access(hub, coalition.pk)
    categories = [
        actions.do_save_category(access, name="Sex", options=["Female", "Male"]),
        actions.do_save_category(access, name="Age band", options=["0-5", "6-11", "12-17", "18+"]),
        actions.do_save_category(access, name="Place", options=["North", "South"]),
    ]
    options = [list(c.options.values_list("pk", flat=True)) for c in categories]
    combos = [(a, b, c) for a in options[0] for b in options[1] for c in options[2]]
    combo_ids = actions.ensure_combinations(coalition, [*combos, ()])
    months = [
        dt.date(START.year + (START.month - 1 + m) // 12, (START.month - 1 + m) % 12 + 1, 1) for m in range(MONTHS)
    ]
    values, submissions = [], []
    for n in range(INDICATORS):
        indicator = actions.do_save_indicator(
            access,
            name=f"Indicator {n + 1}",
            frequency="monthly",
            starts_on=START,
            is_shared=n < SHARED,
            level=["output", "outcome", "process", "cohesion"][n % 4],
            unit="people",
        )
        actions.do_set_indicator_categories(access, indicator, categories)
        actions.do_set_targets(access, indicator, {m: Decimal(900 + 20 * i) for i, m in enumerate(months)})
        for org in orgs:
            for month in months:
                if rng.random() < 0.06:  # some periods are missing
                    continue
                for combo in combos:
                    values.append(
                        DataValue(
                            coalition=coalition,
                            indicator=indicator,
                            period_start=month,
                            organisation=org,
                            combination_id=combo_ids[".".join(str(o) for o in sorted(combo))],
                            value=Decimal(rng.randint(0, 12)),
                            entered_by=hub,
                        )
                    )
                submissions.append(
                    Submission(
                        coalition=coalition, indicator=indicator, organisation=org, period_start=month, state="approved"
                    )
                )
    DataValue.objects.bulk_create(values, batch_size=5000)
    Submission.objects.bulk_create(submissions, batch_size=5000)
    rollups.rebuild(coalition.indicators.values_list("pk", flat=True))  # written around the actions
    print(f"dashboard_values: {len(values)} rows", flush=True)
    return coalition, hub


def bare_sql(coalition: object) -> float:
    """The dashboard's numbers with one plain statement per table: per-period totals of every indicator
    (scorecard), and for the shared ones per-member totals, the sex × age breakdown and the reported
    (member, period) pairs with their review state (completeness)."""
    shared = "SELECT id FROM measurement_indicator WHERE coalition_id = %s AND is_shared"
    statements = [
        "SELECT indicator_id, period_start, SUM(value), COUNT(DISTINCT organisation_id) "
        "FROM measurement_datavalue WHERE coalition_id = %s GROUP BY indicator_id, period_start",
        "SELECT indicator_id, organisation_id, SUM(value) FROM measurement_datavalue "
        f"WHERE indicator_id IN ({shared}) GROUP BY indicator_id, organisation_id",
        "SELECT dv.indicator_id, sex.id, age.id, SUM(dv.value) FROM measurement_datavalue dv "
        "JOIN measurement_optioncombination_options a ON a.optioncombination_id = dv.combination_id "
        "JOIN measurement_categoryoption sex ON sex.id = a.categoryoption_id "
        "JOIN measurement_disaggregationcategory sc ON sc.id = sex.category_id AND sc.name = 'Sex' "
        "JOIN measurement_optioncombination_options b ON b.optioncombination_id = dv.combination_id "
        "JOIN measurement_categoryoption age ON age.id = b.categoryoption_id "
        "JOIN measurement_disaggregationcategory ac ON ac.id = age.category_id AND ac.name = 'Age band' "
        f"WHERE dv.indicator_id IN ({shared}) GROUP BY dv.indicator_id, sex.id, age.id",
        "SELECT s.indicator_id, s.organisation_id, s.period_start, s.state FROM measurement_submission s "
        f"WHERE s.indicator_id IN ({shared}) AND EXISTS (SELECT 1 FROM measurement_datavalue dv WHERE "
        "dv.indicator_id = s.indicator_id AND dv.organisation_id = s.organisation_id "
        "AND dv.period_start = s.period_start)",
    ]
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql, [coalition.pk])  # type: ignore[attr-defined]
            cursor.fetchall()
    return (time.perf_counter() - started) * 1000


def main() -> None:
    # Not setup_test_environment(): its template instrumentation would slow every render down.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0)
    coalition, hub = seed()
    client = Client()
    client.force_login(hub)
    url = reverse("measurement:dashboard", kwargs={"coalition_id": coalition.pk})  # type: ignore[attr-defined]
    started = time.perf_counter()
    response = client.get(url)
    cold = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, response.status_code
    times, db_times, queries = [], [], 0
    for _ in range(LOADS):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        queries = len(captured.captured_queries)
        db_times.append(sum(float(q["time"]) for q in captured.captured_queries) * 1000)
    bare = statistics.median(bare_sql(coalition) for _ in range(5))
    print(f"dashboard_page_cold: {cold:.0f} ms")
    print(f"dashboard_page: {statistics.median(times):.0f} ms")
    print(f"dashboard_queries: {queries}")
    print(f"dashboard_db: {statistics.median(db_times):.0f} ms")
    print(f"dashboard_bare_sql: {bare:.0f} ms")


if __name__ == "__main__":
    main()
