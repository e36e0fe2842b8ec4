from __future__ import annotations

import csv
import io
from typing import Any

from django.urls import reverse

from coalition.core.models import AuditEvent
from coalition.stakeholders import importing
from coalition.stakeholders.models import Stakeholder
from tests import factories


def rows_of(response: Any) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_export_neutralises_formula_cells(world: Any) -> None:
    for name in ('=HYPERLINK("http://evil")', "+1+1", "-2+3", "@SUM(A1)"):
        factories.make_stakeholder(world.coalition, name, notes="=cmd|' /C calc'!A0", place="@home")
    response = world.client_for(world.observer).get(reverse("stakeholders:export", args=[world.coalition.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment")
    rows = rows_of(response)
    assert tuple(rows[0]) == importing.COLUMNS
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@")), row
    names = {row[0] for row in rows[1:]}
    assert {'\'=HYPERLINK("http://evil")', "'+1+1", "'-2+3", "'@SUM(A1)"} <= names


def test_export_follows_the_list_filters_and_is_logged(world: Any) -> None:
    factories.make_stakeholder(world.coalition, "City Hall", sector="government")
    response = world.client_for(world.hub).get(
        reverse("stakeholders:export", args=[world.coalition.pk]), {"sector": "government"}
    )
    assert [row[0] for row in rows_of(response)[1:]] == ["City Hall"]
    event = AuditEvent.objects.get(verb="stakeholders.exported")
    assert event.actor == world.hub and "sector=government" in event.note


def test_export_can_be_imported_again_without_changes(world: Any) -> None:
    factories.make_stakeholder(
        world.coalition, "Clinic", sector="government", lived_experience=True, website="https://clinic.example.org"
    )
    response = world.client_for(world.hub).get(reverse("stakeholders:export", args=[world.coalition.pk]))
    plan = importing.plan_import(world.coalition, response.content)
    assert not plan.errors and not plan.creates and not plan.updates
    assert len(plan.unchanged) == Stakeholder.objects.filter(coalition=world.coalition).count()


def test_outsider_cannot_export(world: Any) -> None:
    response = world.client_for(world.outsider).get(reverse("stakeholders:export", args=[world.coalition.pk]))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(verb="stakeholders.exported").exists()
