"""Importing values from CSV and XLSX: preview, row-level errors, idempotence, no partial data."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from coalition.core.tabular import TableError
from coalition.measurement import actions, imports, queries
from coalition.measurement.models import DataValue, ImportBatch
from tests.measurement.builders import START, access, entry, hub_access, make_category, make_indicator

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(world):
    sex = make_category(world.coalition)
    attending = make_indicator(world.coalition, "Children attending", frequency="monthly")
    actions.do_set_indicator_categories(hub_access(world.coalition), attending, [sex])
    reading = make_indicator(world.coalition, "Reading at grade level", kind="percentage", time_aggregation="latest")
    return world, attending, reading


def _csv(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


GOOD = _csv(
    "indicator,period,organisation,sex,value,numerator,denominator",
    "Children attending,2025-01,Member Org,Female,12,,",
    "Children attending,2025-01,Member Org,Male,9,,",
    "children attending,2025-02,second org,,30,,",
    "Reading at grade level,2025-Q1,Member Org,,,30,40",
)


def test_preview_saves_nothing_and_counts_what_would_happen(setup) -> None:
    world, attending, reading = setup
    preview = imports.preview_import(hub_access(world.coalition), GOOD, "values.csv")
    assert (preview.rows, preview.created, preview.updated, preview.unchanged, preview.errors) == (4, 4, 0, 0, [])
    assert not DataValue.objects.exists()


def test_import_twice_changes_nothing_the_second_time(setup) -> None:
    world, attending, reading = setup
    hub = hub_access(world.coalition)
    batch, preview = imports.do_import_values(hub, GOOD, "values.csv")
    assert batch is not None and batch.created == 4
    assert DataValue.objects.count() == 4
    assert DataValue.objects.get(indicator=reading).value == Decimal(75)
    assert all(v.on_behalf == (v.organisation_id != hub.organisation_id) for v in DataValue.objects.all())
    assert queries.series(attending)[0].value == Decimal(21)
    again, second = imports.do_import_values(hub, GOOD, "values.csv")
    assert (second.created, second.updated, second.unchanged) == (0, 0, 4)
    assert DataValue.objects.count() == 4
    changed = GOOD.replace(b"Male,9", b"Male,10")
    _batch, third = imports.do_import_values(hub, changed, "values.csv")
    assert (third.created, third.updated, third.unchanged) == (0, 1, 3)
    assert DataValue.objects.filter(value=10, import_batch=_batch).count() == 1


def test_two_imports_in_one_transaction_each_record_their_provenance(setup) -> None:
    """The bulk path (on PostgreSQL a COPY into a temporary table) stages afresh for each import and
    writes who entered each value, from which batch, and the figures of percentages."""
    from django.db import transaction

    world, _attending, reading = setup
    hub = hub_access(world.coalition)
    with transaction.atomic():
        first, _p = imports.do_import_values(hub, GOOD, "values.csv")
        second, _q = imports.do_import_values(hub, GOOD.replace(b"Male,9", b"Male,11"), "again.csv")
    assert first is not None and second is not None
    stored = {(v.organisation_id, v.period_start.month, v.value): v for v in DataValue.objects.all()}
    assert len(stored) == 4 and all(v.entered_by_id == world.hub.pk for v in stored.values())
    assert [v.import_batch_id for k, v in stored.items() if k[2] == 11] == [second.pk]
    assert sorted(v.import_batch_id for k, v in stored.items() if k[2] != 11) == [first.pk] * 3
    percentage = DataValue.objects.get(indicator=reading)
    assert (percentage.numerator, percentage.denominator, percentage.value) == (Decimal(30), Decimal(40), Decimal(75))


def test_malformed_rows_are_each_reported_and_nothing_is_saved(setup) -> None:
    world, _attending, _reading = setup
    data = _csv(
        "indicator,period,organisation,sex,value",
        "Children attending,2025-01,Member Org,Female,12",
        "Childs attending,2025-01,Member Org,Female,12",
        "Children attending,Jan 2025,Member Org,Female,12",
        "Children attending,2025-02,Member Org,Female,twelve",
        "Children attending,2025-03,Member Org,Female,-4",
        "Children attending,2025-01,Member Org,Female,13",
        "Children attending,2025-01,Nobody Inc,Female,1",
        "Children attending,2025-01,Member Org,Other,1",
        "Children attending,2024-12,Member Org,Female,1",
        "Reading at grade level,2025-Q1,Member Org,Female,5",
    )
    batch, preview = imports.do_import_values(hub_access(world.coalition), data, "bad.csv")
    assert batch is None and not DataValue.objects.exists() and not ImportBatch.objects.exists()
    reasons = {e.line: (e.column, e.reason) for e in preview.errors}
    assert sorted(reasons) == [3, 4, 5, 6, 7, 8, 9, 10, 11]
    assert reasons[3] == ("indicator", "Unknown indicator (check the spelling against the template).")
    assert reasons[4][0] == "period" and "2025-03" in reasons[4][1]
    assert reasons[5] == ("value", "This is not a number.")
    assert reasons[6] == ("value", "A count cannot be negative.")
    assert reasons[7][1].startswith("Duplicate row")
    assert reasons[8][0] == "organisation"
    assert reasons[9][0] == "options" and "Other" in reasons[9][1]
    assert reasons[10][1] == "This period is outside the indicator's life."
    assert "not broken down" in reasons[11][1]


def test_wrong_columns_and_unreadable_files_are_refused_as_a_whole(setup) -> None:
    world, *_ = setup
    hub = hub_access(world.coalition)
    with pytest.raises(TableError, match="missing columns: organisation"):
        imports.preview_import(hub, _csv("indicator,period,value", "a,b,c"))
    with pytest.raises(TableError, match="unknown columns: colour"):
        imports.preview_import(hub, _csv("indicator,period,organisation,colour", "a,b,c,d"))
    with pytest.raises(TableError):
        imports.preview_import(hub, b"PK\x03\x04garbage", "x.xlsx")


def test_member_imports_only_for_its_own_organisation(setup) -> None:
    world, *_ = setup
    member = access(world.member, world.coalition)
    _batch, preview = imports.do_import_values(member, GOOD, "values.csv")
    assert [(e.line, e.column) for e in preview.errors] == [(4, "organisation")]
    assert not DataValue.objects.exists()
    with pytest.raises(imports.PermissionDenied):
        imports.preview_import(access(world.observer, world.coalition), GOOD)


def test_locked_periods_are_refused(setup) -> None:
    world, attending, _reading = setup
    hub = hub_access(world.coalition)
    actions.do_enter_values(hub, attending, world.other_org, START.replace(month=2), [entry(30)])
    submission = actions.do_submit_period(hub, attending, world.other_org, START.replace(month=2))
    actions.do_lock_period(hub, actions.do_approve_period(hub, submission))
    _batch, preview = imports.do_import_values(hub, GOOD.replace(b"2025-02,second org,,30", b"2025-02,second org,,31"))
    assert [(e.line, e.column) for e in preview.errors] == [(4, "period")]
    assert DataValue.objects.count() == 1


def test_xlsx_import_reads_numbers_and_dates(setup) -> None:
    world, attending, _reading = setup
    import datetime as dt

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Indicator", "Period", "Organisation", "Sex", "Value"])
    sheet.append(["Children attending", dt.datetime(2025, 3, 1), "Member Org", "Female", 7])
    sheet.append(["Children attending", "2025-04", "Member Org", "Male", 8.0])
    buffer = io.BytesIO()
    workbook.save(buffer)
    batch, preview = imports.do_import_values(hub_access(world.coalition), buffer.getvalue(), "values.xlsx")
    assert preview.errors == [] and batch.created == 2
    assert sorted(DataValue.objects.values_list("value", flat=True)) == [7, 8]


def test_template_lists_every_option_combination(setup) -> None:
    world, attending, reading = setup
    header, rows = imports.template(attending)
    assert header == ["indicator", "period", "organisation", "Sex", "value"]
    assert [r[3] for r in rows] == ["Female", "Male"]
    assert imports.template(reading)[0][-2:] == ["numerator", "denominator"]


def test_a_200000_row_file_with_faults_is_rejected_row_by_row(setup) -> None:
    world, attending, _reading = setup
    lines = ["indicator,period,organisation,sex,value"]
    for n in range(200_000):
        month = 1 + n % 12
        sex = "Female" if (n // 12) % 2 else "Male"
        organisation = f"Org {n // 24}"
        value = "-1" if n % 50_000 == 49_999 else ("abc" if n == 123_456 else str(n % 40))
        lines.append(f"Children attending,2025-{month:02d},{organisation},{sex},{value}")
    from coalition.stakeholders.models import Stakeholder

    Stakeholder.objects.bulk_create(
        [
            Stakeholder(coalition=world.coalition, name=f"Org {i}", sector="civil_society")
            for i in range(200_000 // 24 + 1)
        ]
    )
    data = _csv(*lines)
    batch, preview = imports.do_import_values(hub_access(world.coalition), data, "big.csv")
    assert batch is None and not DataValue.objects.exists()
    grouped = {(g["column"], g["reason"]): g for g in preview.grouped}
    negative = grouped[("value", "A count cannot be negative.")]
    assert negative["count"] == 4 and negative["lines"] == [50_001, 100_001, 150_001, 200_001]
    assert grouped[("value", "This is not a number.")]["lines"] == [123_458]


def test_management_command_imports_and_refuses_bad_files(setup, tmp_path) -> None:
    world, *_ = setup
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_bytes(GOOD)
    bad.write_bytes(GOOD + b"Children attending,2025-13,Member Org,,1,,\n")
    out = io.StringIO()
    call_command("import_values", str(good), coalition=world.coalition.pk, user="hub", dry_run=True, stdout=out)
    assert "created: 4" in out.getvalue() and not DataValue.objects.exists()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command(
            "import_values",
            str(bad),
            coalition=world.coalition.pk,
            user="hub",
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    call_command("import_values", str(good), coalition=world.coalition.pk, user="hub", stdout=out)
    assert DataValue.objects.count() == 4


@pytest.mark.parametrize("elsewhere", ["missing", "other_coalition"])
def test_rows_referring_to_a_vanished_or_foreign_organisation_write_nothing(setup, elsewhere, monkeypatch) -> None:
    """The database no longer checks a value's references (one lookup per value at commit cost most of
    a big import): the import checks each distinct one once, under a lock, and writes nothing when one
    is gone (deleted between the check of the file and the write) or belongs to another coalition."""
    from coalition.measurement.models import Submission
    from coalition.stakeholders.models import Stakeholder
    from tests.factories import make_stakeholder

    world, attending, reading = setup
    if elsewhere == "missing":
        wrong = (Stakeholder.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000
    else:
        wrong = make_stakeholder(world.other, "Theirs").pk
    checked = imports.preview_import

    def vanished(*args, **kwargs):
        preview = checked(*args, **kwargs)
        preview.valid = [(*row[:2], wrong, *row[3:]) if row[0] == reading.pk else row for row in preview.valid]
        return preview

    monkeypatch.setattr(imports, "preview_import", vanished)
    batch, preview = imports.do_import_values(hub_access(world.coalition), GOOD, "values.csv")
    assert batch is None and preview.errors and preview.errors[0].line == 0
    assert not DataValue.objects.exists() and not ImportBatch.objects.exists()
    assert not Submission.objects.exists()
