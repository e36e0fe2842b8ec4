"""Shared-measurement figures on SQLite and PostgreSQL, each against a bare-driver baseline.

For each database (a temporary SQLite file, and a throwaway PostgreSQL database ``coalition_bench_<pid>``
created and dropped by this script):

* seed 1,000,000 data values (8 indicators, 3 of them shared, × 125 members × 125 months × 8 sex/age
  cells);
* (b) the coalition dashboard on those values: the full page through the Django test client (median
  of several loads), cold (the first load after a member saved a month of a shared indicator through
  the entry action, figures computed) and cached (warm), with their query counts; its database work
  (the data functions the view calls: the scorecard and the figures of the shared indicators' panels,
  up to Decimal values, without arranging tables or drawing charts) beside the very same SQL
  statements replayed on the bare driver cursor, timed in back-to-back pairs (the ratio is the median
  of the pairs' ratios, which a noisy shared machine disturbs least);
* (a) import a 1,000,000-row CSV end to end (parse, validate, upsert) with the app's import action,
  beside the same rows, already parsed, written with the bare driver into the same table: on SQLite an
  ``executemany`` upsert, on PostgreSQL a binary ``COPY`` into a temporary table, a check that nothing
  is stored in the staged rows' range (``OVERLAP``), then one ``INSERT … SELECT`` from it (with ``ON
  CONFLICT`` only if something is: the engine's fastest way in, and the import's own path for a first
  import). Both timings include the commit.

Every line is ``name: value unit`` with stable names (``<figure>_sqlite`` / ``<figure>_postgres``):

    seeded_values, dashboard_page, dashboard_page_cached, dashboard_queries, dashboard_queries_cached, dashboard_db, dashboard_sql, dashboard_db_vs_sql,
    import_rate, import_baseline, import_vs_baseline (baseline rate / import rate: how many times slower)

and, once on SQLite (part ``suppression``), the disclosure-control audit of shared tables (primary and
secondary suppression with the linear-programming audit, ``disclosure.protect_release``, uncached):
``suppression_audit_ms_demo_largest`` (the largest table the demo's shared dashboard protects, found
among every shared count indicator's member x period table and breakdown as the dashboard builds them)
and ``suppression_audit_ms_5x6x4`` (a three-way table of counts with about one small cell in six), each
with how many figures it hides.

Run: ``.venv/bin/python bench/measurement.py`` (set ``BENCH_PG_URL`` to change the PostgreSQL server,
``BENCH_BACKENDS=sqlite`` to skip PostgreSQL, ``BENCH_SCALE=10`` to divide the members by ten for a
quick trial). Nothing touches the demo database.
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
PG_DB = f"coalition_bench_{os.getpid()}"  # unique: other checkouts may run the bench on the same server
SCALE = int(os.environ.get("BENCH_SCALE", "1"))  # divide the sizes (quick trial runs only)
ORGS, MONTHS, INDICATORS, SHARED = 125 // SCALE, 125, 8, 3
PARTS = os.environ.get("BENCH_PARTS", "dashboard,import,suppression")  # "dashboard" alone skips the import figures
LOADS = int(os.environ.get("BENCH_LOADS", "5"))  # page loads / repetitions per timing (median)
PAIRS = 4 * LOADS + 1  # database work beside bare SQL: the ratio is the median over these back-to-back pairs
BASELINE_BATCH = 5000  # rows per executemany call of the bare-driver baseline
IMPORT_ORGS = 1000 // SCALE  # the imported file: 1000 members × 125 months × 8 cells = 1,000,000 rows
# The PostgreSQL baseline's check that no staged identity is stored (one pass over the stage, one index probe).
OVERLAP = (
    "SELECT EXISTS (SELECT 1 FROM measurement_datavalue d, (SELECT MIN(indicator_id) AS i0, MAX(indicator_id) AS i1, "
    "MIN(period_start) AS p0, MAX(period_start) AS p1 FROM measurement_import_stage) b "
    "WHERE d.indicator_id BETWEEN b.i0 AND b.i1 AND d.period_start BETWEEN b.p0 AND b.p1)"
)


def run_backend(backend: str) -> None:
    """Child process: everything below runs against one database."""
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coalition.settings")
    import django

    django.setup()
    import datetime as dt
    import logging
    import warnings

    logging.disable(logging.INFO)  # sign-in and PDF engine chatter would drown the figures
    warnings.filterwarnings("ignore", message="No directory at")  # static files are not collected here
    from decimal import Decimal

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from coalition.coalitions import actions as coalition_actions
    from coalition.coalitions.access import get_access
    from coalition.measurement import actions, imports, periods, presenters, queries, rollups
    from coalition.measurement.models import DataValue
    from coalition.stakeholders.models import Stakeholder

    call_command("migrate", verbosity=0)
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    user = get_user_model().objects.create_user("bench", password=None)
    coalition = coalition_actions.do_create_coalition(user, name="Bench coalition", first_year=2010)  # data from 2010
    orgs = Stakeholder.objects.bulk_create(
        [Stakeholder(coalition=coalition, name=f"Member {i:04d}", sector="civil_society") for i in range(IMPORT_ORGS)]
    )
    membership = coalition.memberships.get(user=user)
    coalition_actions.do_update_membership(user, membership, organisation=orgs[0])
    access = get_access(user, coalition.pk)
    sex = actions.do_save_category(access, name="Sex", options=["Female", "Male"])
    age = actions.do_save_category(access, name="Age", options=["0-5", "6-9", "10-14", "15-17"])
    start = dt.date(dt.date.today().year - 4, 1, 1)  # inside the default window of dates (core/dates.py)
    months = [periods.shift(periods.MONTHLY, start, n) for n in range(MONTHS)]

    def indicator(name: str, shared: bool = False):
        made = actions.do_save_indicator(
            access,
            name=name,
            frequency="monthly",
            starts_on=start,
            time_aggregation="latest",
            unit="children",
            is_shared=shared,
        )
        actions.do_set_indicator_categories(access, made, [sex, age])
        actions.do_set_targets(access, made, {m: Decimal(1000 + n) for n, m in enumerate(months)})
        return made

    def line(name: str, value: float, unit: str = "", digits: int = 0) -> None:
        print(f"{name}_{backend}: {value:.{digits}f}{' ' + unit if unit else ''}", flush=True)

    cells = [(s, a) for s in sex.options.all() for a in age.options.all()]
    cell_ids = [tuple(sorted((s.pk, a.pk))) for s, a in cells]
    seeded = [indicator(f"Seeded indicator {i}", shared=i < SHARED) for i in range(INDICATORS)]
    seed_combos = actions.ensure_combinations(coalition, cell_ids)
    seed_now = timezone.now()
    for ind in seeded:
        rows = [
            (ind.pk, m, org.pk, options, Decimal((n + k + j) % 40), None, None)
            for n, m in enumerate(months)
            for k, org in enumerate(orgs[:ORGS])
            for j, options in enumerate(cell_ids)
        ]
        if backend == "postgres":  # COPY: seeding is set-up, not a figure, so take the fastest way in
            columns = imports.UPSERT_SQL.split("(", 1)[1].split(")", 1)[0]
            statement = f"COPY measurement_datavalue ({columns}) FROM STDIN"
            with transaction.atomic(), connection.connection.cursor().copy(statement) as copy:
                for indicator_id, m, org_id, options, value, _n, _d in rows:
                    combo = seed_combos[".".join(map(str, options))]
                    copy.write_row(
                        (coalition.pk, indicator_id, m, org_id, combo, value, None, None, user.pk, False, None)
                        + (seed_now, seed_now)
                    )
            rollups.rebuild([ind.pk])  # COPY went around the write path: derive the figures as it would
        else:
            with transaction.atomic():
                imports.upsert(access, rows, None)
    total = DataValue.objects.count()
    line("seeded_values", total, "values")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    if backend == "postgres":
        with connection.cursor() as cursor:  # index-only scans need the visibility map
            cursor.execute("VACUUM ANALYZE measurement_datavalue")

    # (b) the dashboard: the full page, then its database work beside the same SQL on the bare cursor.
    client = Client()
    client.force_login(user)
    url = reverse("measurement:dashboard", kwargs={"coalition_id": coalition.pk})
    assert client.get(url).status_code == 200  # warm caches

    written = iter(range(10**6))

    def load(after_write: bool) -> tuple[float, int]:
        if after_write:  # a member saves its latest month of a shared indicator: the cache no longer matches
            value = Decimal(next(written) % 40)
            entries = [actions.Entry(options, value) for options in cell_ids]
            actions.do_enter_values(access, seeded[0], orgs[1], months[-1], entries)
        with CaptureQueriesContext(connection) as captured:
            began = time.perf_counter()
            response = client.get(url)
            seconds = time.perf_counter() - began
        assert response.status_code == 200
        return seconds, len(captured.captured_queries)

    cold = [load(after_write=True) for _ in range(LOADS)]
    warm = [load(after_write=False) for _ in range(LOADS)]

    def app() -> None:  # the dashboard's data access: the scorecard and what the shared panels show
        view = presenters.View(shared=False, threshold=coalition.small_cell_threshold)
        rows = queries.scorecard(coalition, view.scope)
        organisations = queries.reporting_organisations(coalition)
        shared = [r.indicator for r in rows if r.indicator.is_shared]
        presenters.panel_figures(shared, view, organisations, dt.date(2030, 1, 1))

    statements: list[tuple[str, list]] = []

    def record(execute, sql, params, many, context):
        statements.append((sql, list(params or ())))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        app()
    if backend == "sqlite":
        from django.db.backends.sqlite3.base import FORMAT_QMARK_REGEX

        def adapt(value):
            if isinstance(value, dt.date):
                return value.isoformat()
            return str(value) if isinstance(value, Decimal) else value

        statements = [
            (FORMAT_QMARK_REGEX.sub("?", sql).replace("%%", "%"), [adapt(v) for v in params])
            for sql, params in statements
        ]

    def bare() -> None:
        cursor = connection.connection.cursor()
        for statement, values in statements:
            cursor.execute(statement, values)
            cursor.fetchall()

    app(), bare()  # warm caches
    if os.environ.get("BENCH_VERBOSE"):  # which statements cost most (to stderr, not a figure)
        cursor = connection.connection.cursor()
        for statement, values in statements:
            began = time.perf_counter()
            cursor.execute(statement, values)
            found = len(cursor.fetchall())
            ms = (time.perf_counter() - began) * 1000
            print(f"  {ms:8.1f} ms {found:6d} rows  {statement[:150]}", file=sys.stderr)
    app_times, bare_times = [], []
    for _ in range(PAIRS):  # back to back, so a slow spell of a shared machine hits both sides of a pair
        began = time.perf_counter()
        app()
        app_times.append(time.perf_counter() - began)
        began = time.perf_counter()
        bare()
        bare_times.append(time.perf_counter() - began)
    page_ms = statistics.median(t for t, _q in cold) * 1000
    cached_ms = statistics.median(t for t, _q in warm) * 1000
    app_ms, bare_ms = statistics.median(app_times) * 1000, statistics.median(bare_times) * 1000
    line("dashboard_page", page_ms, "ms")
    line("dashboard_page_cached", cached_ms, "ms")
    line("dashboard_queries", cold[-1][1], "queries")
    line("dashboard_queries_cached", warm[-1][1], "queries")
    line("dashboard_db", app_ms, "ms")
    line("dashboard_sql", bare_ms, "ms")
    line("dashboard_db_vs_sql", statistics.median(a / b for a, b in zip(app_times, bare_times, strict=True)), "x", 2)
    if "import" not in PARTS:
        return

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
    if backend == "postgres":  # COPY into a temporary table, then one upsert from it
        now = timezone.now()
        staged = [
            (baseline.pk, m, org.pk, combos[".".join(map(str, options))], Decimal((j + m.month) % 40), None, None)
            for m in months
            for org in orgs
            for j, options in enumerate(cell_ids)
        ]
        began = time.perf_counter()
        with transaction.atomic():
            raw = connection.connection.cursor()
            raw.execute(f"CREATE TEMPORARY TABLE {imports.STAGE} ({', '.join(map(' '.join, imports.STAGE_COLUMNS))})")
            with raw.copy(f"COPY {imports.STAGE} FROM STDIN (FORMAT BINARY)") as copy:
                copy.set_types([kind for _name, kind in imports.STAGE_COLUMNS])
                for row in staged:
                    copy.write_row(row)
            raw.execute(OVERLAP)  # anything stored in the staged rows' range? If not, insert without ON CONFLICT
            (overlap,) = raw.fetchone()
            upsert = imports.STAGE_UPSERT if overlap else imports.STAGE_INSERT
            raw.execute(upsert, (coalition.pk, user.pk, orgs[0].pk, None, now, now))
            raw.execute(f"DROP TABLE {imports.STAGE}")
        del staged
    else:  # executemany of one-row upserts
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
        sql = imports.UPSERT_SQL.replace("%s", "?")
        began = time.perf_counter()
        with transaction.atomic():
            raw = connection.connection.cursor()
            for i in range(0, len(params), BASELINE_BATCH):
                raw.executemany(sql, params[i : i + BASELINE_BATCH])
        del params
    baseline_seconds = time.perf_counter() - began
    import_rate = rows_imported / import_seconds
    baseline_rate = rows_imported / baseline_seconds
    line("import_rate", import_rate, "values/s")
    line("import_baseline", baseline_rate, "values/s")
    line("import_vs_baseline", baseline_rate / import_rate, "x", 2)


def run_suppression() -> None:
    """Time the audited suppression of the demo's largest shared table and of a 5 x 6 x 4 table."""
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coalition.settings")
    import datetime as dt

    import django

    django.setup()
    import numpy as np
    from django.core.management import call_command

    from coalition.demo import base
    from coalition.measurement import calc, demo, disclosure, presenters, queries, sharing

    call_command("migrate", verbosity=0)
    ctx = base.seed_base()
    demo.seed(ctx)
    coalition = ctx.coalition
    k, width = coalition.small_cell_threshold, coalition.protection
    # Every table the shared dashboard protects, as the dashboard builds it: each shared count
    # indicator's member x period table (members, periods, values to date) and its breakdown.
    view = presenters.View(shared=True, threshold=k, protection_width=coalition.protection_width)
    rows = queries.scorecard(coalition, view.scope, shared_only=True)
    organisations = queries.reporting_organisations(coalition)
    figures = presenters.panel_figures([r.indicator for r in rows], view, organisations, dt.date.today())
    tables: list[tuple[int, str, disclosure.Release]] = []
    for row in rows:
        indicator = row.indicator
        if not presenters.protected(indicator, view):
            continue
        latest = row.latest.period_start if row.latest else None
        made, _labels = sharing.release(
            indicator, row.points, figures.contributions[indicator.pk], figures.member_values[indicator.pk], latest
        )
        tables.append((made.truth.size, f"{made.truth.size}-cell members x periods", made))
        categories = figures.categories[indicator.pk]
        if categories:
            grid = presenters.breakdown_grid(categories, figures.cells[indicator.pk])
            full, shape = calc.table_entries([[v or 0 for v in r] for r in grid])
            made = disclosure.cube_release(full, shape, [(None,) * len(shape)])
            tables.append((made.truth.size, f"{'x'.join(map(str, shape))} breakdown", made))
    _size, name, largest = max(tables, key=lambda t: t[0])

    def timed(made: disclosure.Release) -> tuple[float, int, int]:
        began = time.perf_counter()
        result = disclosure.protect_release(made, k, width)
        return (time.perf_counter() - began) * 1000, len(result.hidden), int(made.shown.sum())

    timed(disclosure.cube_release(disclosure.cube({(0,): 4, (1,): 4}, (2,)), (2,)))  # load the solver once
    runs = [timed(largest) for _ in range(3)]
    demo_ms = statistics.median(ms for ms, _h, _n in runs)
    _ms, hidden, shown = runs[0]
    print(
        f"suppression_audit_ms_demo_largest: {demo_ms:.1f} ms ({name}, {hidden} of {shown} figures hidden)", flush=True
    )
    rng = np.random.default_rng(13)
    cells = {
        (i, j, m): int(rng.poisson(15)) if rng.random() > 1 / 6 else int(rng.integers(0, 5))
        for i in range(5)
        for j in range(6)
        for m in range(4)
    }
    cube = disclosure.cube_release(disclosure.cube(cells, (5, 6, 4)), (5, 6, 4), [(None, None, None)])
    runs = [timed(cube) for _ in range(3)]
    _ms, hidden, shown = runs[0]
    print(
        f"suppression_audit_ms_5x6x4: {statistics.median(ms for ms, _h, _n in runs):.0f} ms "
        f"({hidden} of {shown} entries hidden)",
        flush=True,
    )


def _pg(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def main() -> None:
    backends = os.environ.get("BENCH_BACKENDS", "sqlite,postgres").split(",")
    if "suppression" in PARTS:
        with tempfile.TemporaryDirectory() as tmp:
            env = {**os.environ, "COALITION_VAR_DIR": tmp, "DJANGO_DEBUG": "0"}
            env["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
            subprocess.run([sys.executable, __file__, "suppression"], env=env, check=True)
    if PARTS == "suppression":
        return
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
    if len(sys.argv) > 1 and sys.argv[1] == "suppression":
        run_suppression()
    elif len(sys.argv) > 1:
        run_backend(sys.argv[1])
    else:
        main()
