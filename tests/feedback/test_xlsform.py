"""XLSForm round trip: export a round, validate it with pyxform, import a filled CSV, get the same figures as the same
answers given online; a bad row rejects the whole file; re-importing adds nothing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coalition.feedback import actions, queries
from coalition.feedback import xlsform as offline
from coalition.feedback.models import SurveyResponse
from tests.feedback import builders

KEYS = ("satisfaction", "trust_hub", "value_kinds", "comment")
# satisfaction 4,5,3,4,2 -> 18/5 = 3.60; trust_hub 5,5,4,3,3 -> 20/5 = 4.00
CSV = (
    "satisfaction,trust_hub,value_kinds,comment,role,meta/instanceID\n"
    "4,5,learning data,Useful,member,uuid:1\n"
    "5,5,networking,,member,uuid:2\n"
    "3,4,,,steering,uuid:3\n"
    "4,3,funding influence,Slow decisions,member,uuid:4\n"
    "2,3,data,,resident,uuid:5\n"
)


def _round(world: Any) -> Any:
    survey = builders.survey(world.coalition, keys=KEYS, title="Field round")
    actions.do_add_question(world.hub, survey, text="Which area?", kind="single", choices=["North", "South"])
    return survey


def test_export_is_a_valid_xlsform_with_every_question(world: Any) -> None:
    survey = _round(world)
    xml = offline.validate(offline.workbook(survey))
    for name in (*KEYS, "custom_1", "role"):
        assert f"/{name}" in xml
    assert "scale_1_5" in xml or "select1" in xml


def test_round_trip_gives_the_same_figures_as_online_answers(world: Any) -> None:
    survey = builders.survey(world.coalition, keys=KEYS, title="Field round", opened=True)
    offline.validate(offline.workbook(survey))
    report = offline.do_import_responses(world.hub, survey, CSV.encode())
    assert not report.errors and len(report.rows) == 5
    aggregate, _views = queries.results(survey)
    assert aggregate.questions["satisfaction"].mean == Decimal("3.60")
    assert aggregate.questions["trust_hub"].mean == Decimal("4.00")
    assert aggregate.questions["value_kinds"].distribution == {
        "data": 2,
        "funding": 1,
        "influence": 1,
        "learning": 1,
        "networking": 1,
    }
    # the same answers given online in another round
    online = builders.survey(world.coalition, keys=KEYS, title="Online round", opened=True)
    people = builders.members(world.coalition, 5)
    for person, line in zip(people, CSV.splitlines()[1:], strict=True):
        cells = line.split(",")
        actions.do_answer_survey(
            person,
            online,
            {"satisfaction": cells[0], "trust_hub": cells[1], "value_kinds": cells[2].split(), "comment": cells[3]},
        )
    online_aggregate, _ = queries.results(online)
    for name in ("satisfaction", "trust_hub"):
        assert online_aggregate.questions[name].mean == aggregate.questions[name].mean
    assert online_aggregate.questions["value_kinds"].distribution == aggregate.questions["value_kinds"].distribution


def test_reimporting_adds_nothing(world: Any) -> None:
    survey = builders.survey(world.coalition, keys=KEYS, opened=True)
    offline.do_import_responses(world.hub, survey, CSV.encode())
    again = offline.do_import_responses(world.hub, survey, CSV.encode())
    assert (len(again.rows), again.already) == (0, 5)
    assert SurveyResponse.objects.filter(round=survey).count() == 5


def test_one_bad_row_rejects_the_file_with_line_and_reason(world: Any) -> None:
    survey = builders.survey(world.coalition, keys=KEYS, opened=True)
    bad = CSV + "9,3,data,,member,uuid:6\n" + "4,3,gold,,member,uuid:7\n" + "4,3,data,,mayor,uuid:8\n"
    report = offline.do_import_responses(world.hub, survey, bad.encode())
    assert [(e.line, e.column) for e in report.errors] == [(7, "satisfaction"), (8, "value_kinds"), (9, "role")]
    assert not SurveyResponse.objects.exists()


def test_wrong_columns_are_refused(world: Any) -> None:
    survey = builders.survey(world.coalition, keys=KEYS, opened=True)
    with pytest.raises(ValidationError):
        offline.do_import_responses(world.hub, survey, b"satisfaction,colour\n4,red\n")


def test_the_import_page_reports_rows_and_saves_nothing(world: Any) -> None:
    survey = builders.survey(world.coalition, keys=KEYS, opened=True)
    client = world.client_for(world.hub)
    url = reverse("feedback:import", args=[world.coalition.pk, survey.pk])
    bad = SimpleUploadedFile("a.csv", (CSV + "0,3,data,,member,uuid:9\n").encode(), content_type="text/csv")
    response = client.post(url, {"file": bad})
    assert response.status_code == 400 and b"satisfaction" in response.content and b"7" in response.content
    assert not SurveyResponse.objects.exists()
    good = SimpleUploadedFile("a.csv", CSV.encode(), content_type="text/csv")
    assert client.post(url, {"file": good}).status_code == 302
    assert SurveyResponse.objects.count() == 5
    download = client.get(reverse("feedback:xlsform", args=[world.coalition.pk, survey.pk]))
    assert download.status_code == 200 and download.content[:2] == b"PK"
