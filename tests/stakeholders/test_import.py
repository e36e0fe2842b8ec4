"""CSV import: preview saves nothing, rejected rows carry line and reason, commit is atomic,
re-importing changes nothing; malformed files end in a clear error and no data."""

from __future__ import annotations

import csv
import io
import re
from typing import Any
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.urls import reverse

from coalition.core import uploads
from coalition.core.models import AuditEvent
from coalition.core.tabular import TableError
from coalition.stakeholders import actions, importing
from coalition.stakeholders.models import Stakeholder

HEADER = "name,sector,power,interest,engagement,lived_experience,notes\n"


def csv_bytes(*rows: str, header: str = HEADER) -> bytes:
    return (header + "".join(f"{row}\n" for row in rows)).encode()


def upload(client: Any, world: Any, data: bytes, filename: str = "map.csv") -> Any:
    return client.post(
        reverse("stakeholders:import", args=[world.coalition.pk]),
        {"step": "upload", "file": SimpleUploadedFile(filename, data, content_type="text/csv")},
    )


def confirm(client: Any, world: Any, token: str) -> Any:
    return client.post(reverse("stakeholders:import", args=[world.coalition.pk]), {"step": "confirm", "token": token})


def token_of(response: Any) -> str:
    match = re.search(r'name="token" value="([0-9a-f]+)"', response.content.decode())
    assert match, "no confirm form in the preview"
    return match.group(1)


def snapshot(world: Any) -> list[tuple]:
    return list(Stakeholder.objects.filter(coalition=world.coalition).order_by("pk").values_list())


GOOD = csv_bytes(
    "Youth Forum,community_based,2,5,contacted,yes,Meets weekly",
    "City Hall,Government,5,2,,no,",
    "Member Org,civil_society,4,3,member,no,",
)


def test_plan_counts_creates_updates_and_unchanged(world: Any) -> None:
    plan = importing.plan_import(world.coalition, GOOD)
    assert [r.name for r in plan.creates] == ["Youth Forum", "City Hall"]
    assert [u.stakeholder.name for u in plan.updates] == ["Member Org"]
    assert plan.updates[0].changes == {"power": 4}
    assert plan.creates[1].values["sector"] == "government"  # the label is accepted


def test_preview_saves_nothing_and_confirm_imports(world: Any) -> None:
    client = world.client_for(world.hub)
    before = snapshot(world)
    events = AuditEvent.objects.count()
    preview = upload(client, world, GOOD)
    body = preview.content.decode()
    assert preview.status_code == 200 and "Nothing has been saved yet." in body
    assert 'data-count="created">2<' in body and 'data-count="updated">1<' in body
    assert snapshot(world) == before and AuditEvent.objects.count() == events
    done = confirm(client, world, token_of(preview))
    assert done.status_code == 302
    youth = Stakeholder.objects.get(coalition=world.coalition, name="Youth Forum")
    assert (youth.sector, youth.power, youth.interest, youth.engagement, youth.lived_experience) == (
        "community_based",
        2,
        5,
        "contacted",
        True,
    )
    assert Stakeholder.objects.get(name="Member Org").power == 4
    assert AuditEvent.objects.filter(verb="stakeholder.imported").count() == 2
    assert AuditEvent.objects.filter(verb="stakeholder.import_updated").count() == 1
    summary = AuditEvent.objects.get(verb="stakeholders.imported")
    assert summary.after == {"created": 2, "updated": 1, "unchanged": 0, "rejected_rows": 0}
    follow = client.get(done["Location"]).content.decode()
    assert "2 created, 1 updated, 0 unchanged" in follow


def test_reimporting_the_same_file_creates_no_duplicates(world: Any) -> None:
    actions.do_import_stakeholders(world.hub, world.coalition, GOOD)
    count = Stakeholder.objects.count()
    plan = actions.do_import_stakeholders(world.hub, world.coalition, GOOD)
    assert Stakeholder.objects.count() == count
    assert (len(plan.creates), len(plan.updates), len(plan.unchanged)) == (0, 0, 3)
    changed = GOOD.replace(b"City Hall,Government,5,2", b"CITY HALL,Government,5,3")
    plan = actions.do_import_stakeholders(world.hub, world.coalition, changed)
    assert Stakeholder.objects.count() == count
    assert [u.changes for u in plan.updates] == [{"name": "CITY HALL", "interest": 3}]


def test_import_of_engagement_shows_in_engagement_history(world: Any) -> None:
    actions.do_import_stakeholders(world.hub, world.coalition, csv_bytes("Second Org,civil_society,,,consulted,,"))
    page = world.client_for(world.hub).get(
        reverse("stakeholders:detail", args=[world.coalition.pk, world.other_org.pk])
    )
    assert "from Member to Consulted" in page.content.decode()


def test_preview_lists_every_rejected_row_with_line_and_reason(world: Any) -> None:
    data = csv_bytes(
        "Good One,private,3,3,,,",
        "Bad Rating,private,7,3,,,",
        "Bad Sector,aliens,3,3,,,",
        ",private,3,3,,,",
        "Good One,private,3,3,,,",
        "Bad Flag,private,3,3,,maybe,",
        "Bad Engagement,private,3,3,friend,,",
    )
    plan = importing.plan_import(world.coalition, data)
    found = {(e.line, e.column) for e in plan.errors}
    assert found == {(3, "power"), (4, "sector"), (5, "name"), (6, "name"), (7, "lived_experience"), (8, "engagement")}
    assert [r.name for r in plan.creates] == ["Good One"]
    body = upload(world.client_for(world.hub), world, data).content.decode()
    for reason in ("must be a whole number from 1 to 5", "is not one of", "repeats the name on line 2", "yes or no"):
        assert reason in body
    assert 'data-count="rejected">6<' in body


def test_file_with_rejected_rows_saves_nothing_unless_the_valid_rows_are_chosen(world: Any) -> None:
    client = world.client_for(world.hub)
    data = csv_bytes("Fine Org,private,3,3,,,", "Broken Org,private,9,3,,,")
    preview = upload(client, world, data)
    body = preview.content.decode()
    assert "Import only the valid rows and leave out the 1 rejected row" in body
    assert 'name="skip_rejected" value="yes" id="id_skip_rejected" required' in body
    before, events = snapshot(world), AuditEvent.objects.count()

    refused = confirm(client, world, token_of(preview))
    assert snapshot(world) == before and AuditEvent.objects.count() == events
    page = client.get(refused.url).content.decode()
    assert "Nothing was saved: 1 row of the file is rejected" in page

    preview = upload(client, world, data)
    client.post(
        reverse("stakeholders:import", args=[world.coalition.pk]),
        {"step": "confirm", "token": token_of(preview), "skip_rejected": "yes"},
    )
    assert Stakeholder.objects.filter(name="Fine Org").exists()
    assert not Stakeholder.objects.filter(name="Broken Org").exists()
    summary = AuditEvent.objects.filter(verb="stakeholders.imported").latest("pk")
    assert summary.after["rejected_rows"] == 1


def test_action_refuses_a_file_with_rejected_rows_by_default(world: Any) -> None:
    data = csv_bytes("Fine Org,private,3,3,,,", "Broken Org,private,9,3,,,", "Bad Sector,aliens,3,3,,,")
    with pytest.raises(TableError, match="2 rows of the file are rejected"):
        actions.do_import_stakeholders(world.hub, world.coalition, data)
    assert not Stakeholder.objects.filter(name="Fine Org").exists()
    plan = actions.do_import_stakeholders(world.hub, world.coalition, data, skip_rejected=True)
    assert [row.name for row in plan.creates] == ["Fine Org"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"   \n", "The file is empty."),
        ("name,sector\nCaf\u00e9 Solidaire,private\n".encode("latin-1"), "not UTF-8 encoded"),
        (b"\x00\x01\x02binary", "not a text CSV file"),
        (b"organisation,type\nX,private\n", "missing columns: name, sector"),
        (b"name,sector,colour\nX,private,red\n", "unknown columns: colour"),
        (b"name,sector,name\nX,private,Y\n", "appears twice"),
        (b"name,sector\n", "no stakeholders below it"),
    ],
    ids=["empty", "blank", "latin-1", "binary", "wrong-columns", "unknown-column", "repeated-column", "header-only"],
)
def test_malformed_files_end_in_a_clear_error_and_no_data(world: Any, data: bytes, message: str) -> None:
    before, events = snapshot(world), AuditEvent.objects.count()
    with pytest.raises(TableError, match=re.escape(message)):
        importing.plan_import(world.coalition, data)
    response = upload(world.client_for(world.hub), world, data)
    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "'")
    assert 'name="token"' not in response.content.decode()
    assert snapshot(world) == before and AuditEvent.objects.count() == events


def test_only_csv_files_of_limited_size_are_accepted(world: Any, settings: Any) -> None:
    client = world.client_for(world.hub)
    response = upload(client, world, GOOD, filename="map.xlsx")
    assert response.status_code == 400 and "Only .csv files" in response.content.decode()
    with mock.patch.object(importing, "MAX_BYTES", 100):
        response = upload(client, world, GOOD + b"x" * 200)
    assert response.status_code == 400 and "larger than" in response.content.decode()
    no_file = client.post(reverse("stakeholders:import", args=[world.coalition.pk]), {"step": "upload"})
    assert no_file.status_code == 400 and "Choose a file" in no_file.content.decode()


def test_ten_thousand_rows_import_atomically_and_reimport_changes_nothing(world: Any) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["name", "sector", "power", "interest"])
    for i in range(10_000):
        writer.writerow([f"Org {i:05}", "civil_society", i % 5 + 1, (i * 3) % 5 + 1])
    data = buffer.getvalue().encode()
    plan = actions.do_import_stakeholders(world.hub, world.coalition, data)
    assert len(plan.creates) == 10_000 and not plan.errors
    assert Stakeholder.objects.filter(coalition=world.coalition).count() == 10_002
    again = importing.plan_import(world.coalition, data)
    assert (len(again.creates), len(again.updates), len(again.unchanged)) == (0, 0, 10_000)


def test_ten_thousand_bad_rows_are_grouped_and_nothing_is_saved(world: Any) -> None:
    data = csv_bytes(*[f"Org {i},private,0,3,,," for i in range(10_000)])
    before = snapshot(world)
    response = upload(world.client_for(world.hub), world, data)
    body = response.content.decode()
    assert "must be a whole number from 1 to 5" in body and "and 9000 more lines" in body
    assert 'name="token"' not in body  # nothing valid, nothing to confirm
    assert snapshot(world) == before


def test_a_failure_during_commit_leaves_no_partial_data(world: Any) -> None:
    before, events = snapshot(world), AuditEvent.objects.count()
    with (
        mock.patch("coalition.core.audit.record_many", side_effect=IntegrityError("boom")),
        pytest.raises(IntegrityError),
    ):
        actions.do_import_stakeholders(world.hub, world.coalition, GOOD)
    assert snapshot(world) == before and AuditEvent.objects.count() == events


def test_confirm_needs_the_token_of_this_session(world: Any) -> None:
    client = world.client_for(world.hub)
    preview = upload(client, world, GOOD)
    wrong = confirm(client, world, "0" * 32)
    assert wrong.status_code == 302
    assert not Stakeholder.objects.filter(name="Youth Forum").exists()
    # Another person cannot confirm the hub's upload with the hub's token.
    other = world.client_for(world.facilitator)
    confirm(other, world, token_of(preview))
    assert not Stakeholder.objects.filter(name="Youth Forum").exists()
    # Cancel removes the stashed file; the token no longer works.
    client.post(reverse("stakeholders:import", args=[world.coalition.pk]), {"step": "cancel"})
    confirm(client, world, token_of(preview))
    assert not Stakeholder.objects.filter(name="Youth Forum").exists()


def test_stashed_upload_is_server_named_and_removed_after_confirm(world: Any, settings: Any, tmp_path: Any) -> None:
    settings.VAR_DIR = tmp_path
    client = world.client_for(world.hub)
    preview = upload(client, world, GOOD, filename="../../etc/passwd.csv")
    files = list((tmp_path / "pending-uploads").iterdir())
    assert [f.name for f in files] == [f"{token_of(preview)}.upload"]
    confirm(client, world, token_of(preview))
    assert list((tmp_path / "pending-uploads").iterdir()) == []
    assert uploads.MAX_AGE_SECONDS == 24 * 60 * 60


def test_changed_file_on_disk_is_refused(world: Any, settings: Any, tmp_path: Any) -> None:
    settings.VAR_DIR = tmp_path
    client = world.client_for(world.hub)
    token = token_of(upload(client, world, GOOD))
    (tmp_path / "pending-uploads" / f"{token}.upload").write_bytes(csv_bytes("Injected,private,3,3,,,"))
    confirm(client, world, token)
    assert not Stakeholder.objects.filter(name__in=["Injected", "Youth Forum"]).exists()


def test_template_download_has_every_column_and_imports_cleanly(world: Any) -> None:
    response = world.client_for(world.hub).get(reverse("stakeholders:import_template", args=[world.coalition.pk]))
    assert response["Content-Disposition"].startswith("attachment")
    data = response.content
    header = data.decode("utf-8-sig").splitlines()[0].split(",")
    assert tuple(header) == importing.COLUMNS
    plan = importing.plan_import(world.coalition, data)
    assert len(plan.creates) == 2 and not plan.errors


def test_member_and_observer_cannot_import(world: Any) -> None:
    for user in (world.member, world.observer):
        client = world.client_for(user)
        assert upload(client, world, GOOD).status_code == 403
        url = reverse("stakeholders:import_template", args=[world.coalition.pk])
        assert client.get(url).status_code == 403
    assert not Stakeholder.objects.filter(name="Youth Forum").exists()
