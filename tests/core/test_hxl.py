"""HXL hashtag rows: exports of stakeholders and indicators carry one on request, and every import skips it."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from coalition.core.tabular import is_hxl_row, read_csv
from coalition.measurement import imports
from coalition.stakeholders import importing
from tests import factories
from tests.measurement.builders import hub_access, make_indicator

WORD = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True)
TAG = st.builds(lambda h, attrs: "#" + h + "".join(f" +{a}" for a in attrs), WORD, st.lists(WORD, max_size=3))


def _rows(response: Any) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_what_is_and_is_not_a_hashtag_row() -> None:
    assert is_hxl_row(["#org +name", "", "#sector", "#affected +f +children"])
    assert not is_hxl_row(["", " "])  # nothing filled
    assert not is_hxl_row(["#1 Food bank", "#sector"])  # a name that starts with "#"
    assert not is_hxl_row(["#org +name", "Library"])


@given(st.lists(st.one_of(TAG, st.just("")), min_size=1).filter(any))
def test_rows_of_hashtags_and_blanks_are_hashtag_rows(cells: list[str]) -> None:
    assert is_hxl_row(cells)


@given(st.lists(TAG, max_size=5), st.text(min_size=1).filter(lambda t: not t.strip().startswith("#") and t.strip()))
def test_one_cell_of_data_makes_it_a_data_row(tags: list[str], text: str) -> None:
    assert not is_hxl_row([*tags, text])


def test_only_the_row_under_the_header_is_skipped() -> None:
    data = b"name,sector\n#org +name,#sector\nLibrary,academia\n#org,#sector\n"
    _header, rows = read_csv(data, ("name", "sector"))
    assert list(rows) == [(3, {"name": "Library", "sector": "academia"}), (4, {"name": "#org", "sector": "#sector"})]


def test_a_stakeholder_export_with_hashtags_imports_unchanged(world: Any) -> None:
    factories.make_stakeholder(world.coalition, "Library", sector="academia", email="desk@library.example")
    url = reverse("stakeholders:export", args=[world.coalition.pk])
    response = world.client_for(world.hub).get(url, {"hxl": "1"})
    rows = _rows(response)
    assert tuple(rows[0]) == importing.COLUMNS
    assert rows[1][:3] == ["#org +name", "#org +type +sector", "#org +type +kind"]
    assert is_hxl_row(rows[1])
    assert _rows(world.client_for(world.hub).get(url))[1][0] != "#org +name"  # only on request
    plan = importing.plan_import(world.coalition, response.content)
    assert (len(plan.creates), len(plan.updates), len(plan.errors)) == (0, 0, 0)
    assert len(plan.unchanged) == len(rows) - 2


def test_an_indicator_template_with_hashtags_imports_once_filled(world: Any) -> None:
    indicator = make_indicator(world.coalition, "Readers", frequency="annual")
    url = reverse("measurement:import_template", args=[world.coalition.pk, indicator.pk])
    rows = _rows(world.client_for(world.hub).get(url, {"hxl": "1"}))
    assert rows[1] == ["#indicator +name", "#date +period", "#org +name", "#indicator +value +num"]
    rows[2][2:4] = ["Member Org", "7"]
    data = "\n".join(",".join(row) for row in rows).encode()
    preview = imports.preview_import(hub_access(world.coalition), data, "readers.csv")
    assert (preview.rows, preview.created, preview.errors) == (1, 1, [])


def test_an_xlsx_template_carries_the_hashtags_and_imports(world: Any) -> None:
    indicator = make_indicator(world.coalition, "Readers", frequency="annual")
    url = reverse("measurement:import_template", args=[world.coalition.pk, indicator.pk])
    content = world.client_for(world.hub).get(url, {"hxl": "1", "format": "xlsx"}).content
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    assert [c.value for c in sheet[2]] == ["#indicator +name", "#date +period", "#org +name", "#indicator +value +num"]
    sheet["C3"], sheet["D3"] = "Member Org", 5
    out = io.BytesIO()
    sheet.parent.save(out)
    preview = imports.preview_import(hub_access(world.coalition), out.getvalue(), "readers.xlsx")
    assert (preview.rows, preview.created, preview.errors) == (1, 1, [])


def test_indicator_tables_export_with_hashtags(world: Any) -> None:
    make_indicator(world.coalition, "Readers", frequency="annual")
    url = reverse("measurement:export_scorecard", args=[world.coalition.pk])
    rows = _rows(world.client_for(world.hub).get(url, {"hxl": "1"}))
    assert rows[1][0] == "#meta +row" and is_hxl_row(rows[1])
