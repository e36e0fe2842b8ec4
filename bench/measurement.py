"""Shared-measurement figures on SQLite and PostgreSQL, each against a bare-driver baseline.

For each database (a temporary SQLite file, and a throwaway PostgreSQL database ``coalition_bench``):

* seed 1,000,000 data values (8 indicators × 125 members × 125 months × 8 sex/age cells);
* (a) import a 1,000,000-row CSV end to end (parse, validate, upsert) with the app's import action,
  beside a bare-driver ``executemany`` upsert of the same rows into the same table;
* (b) the coalition dashboard's database work (``queries.scorecard``: series, running totals,
  targets for every indicator) beside the same SQL run straight on the driver cursor.

Run: ``.venv/bin/python bench/measurement.py`` (set ``BENCH_PG_URL`` to change the PostgreSQL server,
or ``BENCH_BACKENDS=sqlite`` to skip PostgreSQL). Nothing touches the demo database.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
PG_DB = "coalition_bench"
SCALE = int(os.environ.get("BENCH_SCALE", "1"))  # divide the sizes (quick trial runs only)
ORGS, MONTHS, INDICATORS = 125 // SCALE, 125, 8
IMPORT_ORGS = 1000 // SCALE  # the imported file: 1000 members × 125 months × 8 cells = 1,000,000 rows


def run_backend(backend: str) -> None:
    """Child process: everything below runs against one database."""
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coalition.settings")
    import django

    django.setup()
    import datetime as dt
    from decimal import Decimal

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from coalition.coalitions import actions as coalition_actions
    from coalition.coalitions.access import get_access
    from coalition.measurement import actions, imports, periods, queries
    from coalition.measurement.models import DataValue
    from coalition.stakeholders.models import Stakeholder

    call_command("migrate", verbosity=0)
    user = get_user_model().objects.create_user("bench", password=None)
    coalition = coalition_actions.do_create_coalition(user, name="Bench coalition")
    orgs = Stakeholder.objects.bulk_create(
        [Stakeholder(coalition=coalition, name=f"Member {i:04d}", sector="civil_society") for i in range(IMPORT_ORGS)]
    )
    membership = coalition.memberships.get(user=user)
    coalition_actions.do_update_membership(user, membership, organisation=orgs[0])
    access = get_access(user, coalition.pk)
    sex = actions.do_save_category(access, name="Sex", options=["Female", "Male"])
    age = actions.do_save_category(access, name="Age", options=["0-5", "6-9", "10-14", "15-17"])
    start = dt.date(2010, 1, 1)
    months = [periods.shift(periods.MONTHLY, start, n) for n in range(MONTHS)]

    def indicator(name: str):
        made = actions.do_save_indicator(
            access, name=name, frequency="monthly", starts_on=start, time_aggregation="latest", unit="children"
        )
        actions.do_set_indicator_categories(access, made, [sex, age])
        actions.do_set_targets(access, made, {m: Decimal(1000 + n) for n, m in enumerate(months)})
        return made

    cells = [(s, a) for s in sex.options.all() for a in age.options.all()]
    cell_ids = [tuple(sorted((s.pk, a.pk))) for s, a in cells]
    seeded = [indicator(f"Seeded indicator {i}") for i in range(INDICATORS)]
    for ind in seeded:
        rows = [
            (ind.pk, m, org.pk, options, Decimal((n + k + j) % 40), None, None)
            for n, m in enumerate(months)
            for k, org in enumerate(orgs[:ORGS])
            for j, options in enumerate(cell_ids)
        ]
        with transaction.atomic():
            imports.upsert(access, rows, None)
    total = DataValue.objects.count()
    print(f"seeded_values_{backend}: {total} values", flush=True)

    # (a) import of a 1,000,000-row CSV, end to end, through the import action.
    target = indicator("Imported indicator")
    lines = ["indicator,period,organisation,sex,age,value"]
    for m in months:
        label = periods.label(periods.MONTHLY, m)
        for org in orgs:
            for j, (s, a) in enumerate(cells):
                lines.append(f"{target.name},{label},{org.name},{s.name},{a.name},{(j + m.month) % 40}")
    data = ("\n".join(lines) + "\n").encode()
    del lines
    began = time.perf_counter()
    batch, preview = imports.do_import_values(access, data, "bench.csv")
    import_seconds = time.perf_counter() - began
    assert batch is not None and preview.created == len(data.splitlines()) - 1, preview.grouped[:3]
    rows_imported = preview.created
    del data, preview

    # Baseline: the same rows, already parsed, into another indicator with the bare driver.
    baseline = indicator("Baseline indicator")
    combos = actions.ensure_combinations(coalition, cell_ids)
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    params = [
        (
            coalition.pk,
            baseline.pk,
            ops.adapt_datefield_value(m),
            org.pk,
            combos[".".join(map(str, options))],
            Decimal((j + m.month) % 40),
            None,
            None,
            user.pk,
            False,
            None,
            now,
            now,
        )
        for m in months
        for org in orgs
        for j, options in enumerate(cell_ids)
    ]
    sql = imports.UPSERT_SQL.replace("%s", "?") if backend == "sqlite" else imports.UPSERT_SQL
    began = time.perf_counter()
    with transaction.atomic():
        raw = connection.connection.cursor()
        for i in range(0, len(params), imports.BATCH):
            raw.executemany(sql, params[i : i + imports.BATCH])
    baseline_seconds = time.perf_counter() - began
    del params
    import_rate = rows_imported / import_seconds
    baseline_rate = rows_imported / baseline_seconds
    print(f"import_rate_{backend}: {import_rate:.0f} values/s", flush=True)
    print(f"import_baseline_{backend}: {baseline_rate:.0f} values/s", flush=True)
    print(f"import_vs_baseline_{backend}: {baseline_rate / import_rate:.2f} x", flush=True)

    # (b) dashboard database time: the scorecard function vs the same SQL on the bare cursor.
    if backend == "postgres":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    indicators = queries.active_indicators(coalition)
    statements = [queries.series_sql(i) for i in indicators]
    if backend == "sqlite":
        statements = [(s.replace("%s", "?"), p) for s, p in statements]
        statements = [
            (s, [ops.adapt_datefield_value(x) if isinstance(x, dt.date) else x for x in p]) for s, p in statements
        ]

    def app() -> None:
        queries.scorecard(coalition)

    def bare() -> None:
        cursor = connection.connection.cursor()
        for statement, values in statements:
            cursor.execute(statement, values)
            cursor.fetchall()

    app(), bare()  # warm caches
    app_times, bare_times = [], []
    for _ in range(5):
        began = time.perf_counter()
        app()
        app_times.append(time.perf_counter() - began)
        began = time.perf_counter()
        bare()
        bare_times.append(time.perf_counter() - began)
    app_ms, bare_ms = statistics.median(app_times) * 1000, statistics.median(bare_times) * 1000
    print(f"dashboard_db_{backend}: {app_ms:.1f} ms ({len(indicators)} indicators, {total} values)", flush=True)
    print(f"dashboard_bare_sql_{backend}: {bare_ms:.1f} ms", flush=True)
    print(f"dashboard_vs_bare_{backend}: {app_ms / bare_ms:.2f} x", flush=True)


def _pg(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def main() -> None:
    backends = os.environ.get("BENCH_BACKENDS", "sqlite,postgres").split(",")
    for backend in backends:
        with tempfile.TemporaryDirectory() as tmp:
            env = {**os.environ, "COALITION_VAR_DIR": tmp, "DJANGO_DEBUG": "0"}
            if backend == "sqlite":
                env["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
            else:
                _pg(f"DROP DATABASE IF EXISTS {PG_DB}")
                _pg(f"CREATE DATABASE {PG_DB}")
                env["DATABASE_URL"] = f"{PG_SERVER}/{PG_DB}"
            try:
                subprocess.run([sys.executable, __file__, backend], env=env, check=True)
            finally:
                if backend == "postgres":
                    _pg(f"DROP DATABASE IF EXISTS {PG_DB}")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        run_backend(sys.argv[1])
    else:
        main()
