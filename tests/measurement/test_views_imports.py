"""Import screens: upload, dry-run preview with grouped rejected rows, confirm, templates."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coalition.core.models import AuditEvent
from coalition.measurement import actions
from coalition.measurement.models import DataValue, ImportBatch
from tests.measurement import builders

pytestmark = pytest.mark.django_db


def import_url(world: Any, name: str = "import", **kwargs: Any) -> str:
    return reverse(f"measurement:{name}", kwargs={"coalition_id": world.coalition.pk, **kwargs})


def upload(text: str, name: str = "values.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def indicator_with_sex(world: Any) -> Any:
    sex = builders.make_category(world.coalition, "Sex")
    indicator = builders.make_indicator(world.coalition, "Children reached")
    actions.do_set_indicator_categories(builders.hub_access(world.coalition), indicator, [sex])
    return indicator


GOOD = "indicator,period,organisation,sex,value\nChildren reached,2025-Q1,Member Org,Female,12\nChildren reached,2025-Q1,Member Org,Male,9\n"


def test_preview_counts_and_saves_nothing_until_confirmed(world: Any) -> None:
    indicator_with_sex(world)
    client = world.client_for(world.member)
    response = client.post(import_url(world), {"file": upload(GOOD)})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Preview of values.csv" in page and "Confirm the import" in page
    assert not DataValue.objects.exists()
    token = response.context["token"]
    done = client.post(import_url(world, "import_confirm"), {"token": token})
    assert done.status_code == 302
    assert sorted(DataValue.objects.values_list("value", flat=True)) == [Decimal(9), Decimal(12)]
    assert ImportBatch.objects.get().created == 2
    # The same preview cannot be confirmed twice, and re-importing the same file changes nothing.
    client.post(import_url(world, "import_confirm"), {"token": token})
    assert DataValue.objects.count() == 2
    again = client.post(import_url(world), {"file": upload(GOOD)})
    assert again.context["preview"].unchanged == 2 and again.context["preview"].created == 0


def test_rejected_rows_are_grouped_with_line_numbers_and_no_confirm(world: Any) -> None:
    indicator_with_sex(world)
    rows = ["indicator,period,organisation,sex,value"]
    rows += [f"Children reached,2025-Q1,Member Org,Female,lots{i}" for i in range(30)]
    rows += ["Nonsense,2025-Q1,Member Org,Female,1", "Children reached,2025-13,Member Org,Male,1"]
    response = world.client_for(world.hub).post(import_url(world), {"file": upload("\n".join(rows))})
    page = response.content.decode()
    assert "Confirm the import" not in page and not response.context["token"]
    assert "This is not a number." in page and "Unknown indicator" in page and "Wrong period format" in page
    groups = {g["reason"]: g for g in response.context["preview"].grouped}
    assert groups["This is not a number."]["count"] == 30 and groups["This is not a number."]["lines"][:2] == [2, 3]
    assert not DataValue.objects.exists()


def test_unreadable_file_is_a_form_error(world: Any) -> None:
    response = world.client_for(world.hub).post(import_url(world), {"file": upload("a,b\n1,2\n")})
    assert "do not match the template" in response.content.decode()
    response = world.client_for(world.hub).post(import_url(world), {"file": upload("x", "values.pdf")})
    assert "Upload a .csv or .xlsx file." in response.content.decode()


def test_member_cannot_import_for_another_organisation(world: Any) -> None:
    indicator_with_sex(world)
    text = GOOD.replace("Member Org", "Second Org")
    response = world.client_for(world.member).post(import_url(world), {"file": upload(text)})
    assert "only import values for your own organisation" in response.content.decode()
    assert not response.context["token"]


def test_confirm_needs_the_token_of_this_person_and_coalition(world: Any) -> None:
    indicator_with_sex(world)
    response = world.client_for(world.hub).post(import_url(world), {"file": upload(GOOD)})
    token = response.context["token"]
    events = AuditEvent.objects.count()
    other = world.client_for(world.member).post(import_url(world, "import_confirm"), {"token": token})
    assert other.status_code == 302 and not DataValue.objects.exists()
    assert (
        world.client_for(world.observer).post(import_url(world, "import_confirm"), {"token": token}).status_code == 403
    )
    assert AuditEvent.objects.count() == events


def test_template_per_indicator_lists_every_combination(world: Any) -> None:
    indicator = indicator_with_sex(world)
    response = world.client_for(world.member).get(import_url(world, "import_template", indicator_id=indicator.pk))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["indicator", "period", "organisation", "Sex", "value"]
    assert [r[3] for r in rows[1:]] == ["Female", "Male"] and rows[1][2] == "Member Org"
    xlsx = world.client_for(world.hub).get(
        import_url(world, "import_template", indicator_id=indicator.pk) + "?format=xlsx"
    )
    assert xlsx.status_code == 200 and xlsx["Content-Disposition"].endswith('.xlsx"')


def test_observer_and_outsider_cannot_reach_import(world: Any) -> None:
    assert world.client_for(world.observer).get(import_url(world)).status_code == 403
    assert world.client_for(world.outsider).get(import_url(world)).status_code == 404
    assert world.client_for(world.observer).post(import_url(world), {"file": upload(GOOD)}).status_code == 403
