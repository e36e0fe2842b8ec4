"""At scale, the pages every person opens never read the values table from end to end (issue 22): the
dashboard, the stakeholder list and the home page are loaded on scale data (``seed_scale``, sized so the
values table is far larger than any coalition's share of it), every SELECT they sent is EXPLAINed after
ANALYZE, and no plan holds a sequential scan of the values table or of the rows derived from it. PostgreSQL only: SQLite's
planner is not the one production runs."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coalition.coalitions.models import Coalition
from coalition.measurement.models import DataValue, MemberFigure, MemberPeriodValue, PeriodFigure

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN plans are checked on PostgreSQL"),
]
# The values and the rows derived from them, one per member, indicator and period (``measurement.rollups``):
# the tables that grow with the data. The pages read the derived rows rather than the values themselves.
LARGE = [
    model._meta.db_table for model in (DataValue, MemberPeriodValue, PeriodFigure, MemberFigure)
]
# 8 coalitions × 3 indicators × 36 months × 80 members: 69,120 values, one coalition's share an eighth.
SIZE = ["--coalitions", "8", "--members", "80", "--years", "3", "--rounds", "1"]


def _plans(statements: list[str], params_of: list[Any]) -> list[tuple[str, str]]:
    found = []
    with connection.cursor() as cursor:
        for sql, params in zip(statements, params_of, strict=True):
            cursor.execute(f"EXPLAIN {sql}", params)
            found.append((sql, "\n".join(row[0] for row in cursor.fetchall())))
    return found


def test_dashboard_stakeholder_list_and_home_never_scan_the_values_table(db: Any) -> None:
    call_command("seed_scale", *SIZE, stdout=io.StringIO())
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    coalition = Coalition.objects.get(name="Scale coalition 0005")
    hub = coalition.memberships.get(roles__role="hub").user
    client = Client()
    client.force_login(hub)
    pages = [
        reverse("measurement:dashboard", kwargs={"coalition_id": coalition.pk}),
        reverse("stakeholders:list", args=[coalition.pk]),
        reverse("stakeholders:list", args=[coalition.pk]) + "?q=organisation",
        reverse("core:home"),
    ]
    statements: list[str] = []
    params_of: list[Any] = []

    def record(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if sql.lstrip().upper().startswith(("SELECT", "WITH")) and not many:
            statements.append(sql)
            params_of.append(params)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record), CaptureQueriesContext(connection):
        for url in pages:
            assert client.get(url).status_code == 200, url
    assert any(table in sql for sql in statements for table in LARGE)  # the pages do read them
    scans = [
        (sql, plan)
        for sql, plan in _plans(statements, params_of)
        if any(f"Seq Scan on {table}" in plan for table in LARGE)
    ]
    assert not scans, "\n\n".join(f"{sql[:300]}\n{plan}" for sql, plan in scans)
