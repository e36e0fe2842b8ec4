"""DHIS2 dataValueSets in and out through the mapping: periods, a round trip and DHIS2's documented example."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from coalition.api import exchange
from coalition.api.actions import do_set_dhis2_codes
from coalition.api.models import Dhis2Code
from coalition.measurement import periods
from coalition.measurement.models import DataValue
from tests import factories
from tests.measurement.builders import hub_access, make_category, make_indicator, options_of

# The example of DHIS2's Web API documentation ("Data values" → "Sending data values"), in its documented shape;
# only its dates move from 2014 to 2024, inside the coalition date window (core.dates).
DOCUMENTED_EXAMPLE = {
    "dataSet": "pBOMPrpg1QX",
    "completeDate": "2024-02-03",
    "period": "202401",
    "orgUnit": "DiszpKrYNg8",
    "attributeOptionCombo": "aocUID",
    "dataValues": [
        {"dataElement": "f7n9E0hX8qk", "value": "1"},
        {"dataElement": "Ix2HsbDMLea", "value": "2"},
        {"dataElement": "eY5ehpbEsB7", "value": "3"},
    ],
}


@pytest.mark.parametrize(
    ("frequency", "start", "text"),
    [
        ("annual", dt.date(2024, 1, 1), "2024"),
        ("quarterly", dt.date(2024, 4, 1), "2024Q2"),
        ("monthly", dt.date(2024, 1, 1), "202401"),
        ("monthly", dt.date(2024, 12, 1), "202412"),
        ("weekly", dt.date(2024, 12, 30), "2025W1"),  # ISO week 1 of 2025 starts in 2024
        ("weekly", dt.date(2024, 1, 15), "2024W3"),
    ],
)
def test_periods_in_dhis2_iso_form(frequency: str, start: dt.date, text: str) -> None:
    assert exchange.to_dhis2(frequency, start) == text
    assert exchange.from_dhis2(frequency, text) == start


@given(
    st.sampled_from(["annual", "quarterly", "monthly", "weekly"]), st.dates(dt.date(1950, 1, 1), dt.date(2900, 1, 1))
)
def test_every_period_survives_the_trip_through_dhis2(frequency: str, day: dt.date) -> None:
    start = periods.start_of(frequency, day)
    text = exchange.to_dhis2(frequency, start)
    assert text is not None
    assert exchange.from_dhis2(frequency, text) == start


@pytest.mark.parametrize(
    ("frequency", "text"), [("monthly", "2024Q1"), ("quarterly", "2024Q5"), ("monthly", "202413"), ("annual", "24")]
)
def test_a_period_of_another_shape_is_refused(frequency: str, text: str) -> None:
    with pytest.raises(ValueError):
        exchange.from_dhis2(frequency, text)


def _mapped(coalition: Any, prefix: str) -> dict[str, Any]:
    """Two disaggregated indicators and two organisations with the same DHIS2 codes in any coalition."""
    sex = make_category(coalition)
    female, male = options_of(sex)
    readers = make_indicator(coalition, f"{prefix} readers", frequency="monthly", starts_on=dt.date(2024, 1, 1))
    from coalition.measurement.actions import do_set_indicator_categories

    do_set_indicator_categories(hub_access(coalition), readers, [sex])
    clubs = make_indicator(coalition, f"{prefix} clubs", frequency="quarterly", starts_on=dt.date(2024, 1, 1))
    north = factories.make_stakeholder(coalition, f"{prefix} North", engagement="member")
    south = factories.make_stakeholder(coalition, f"{prefix} South", engagement="member")
    do_set_dhis2_codes(
        hub_access(coalition),
        {
            ("indicator", str(readers.pk)): "deReaders01",
            ("indicator", str(clubs.pk)): "deClubs0001",
            ("organisation", str(north.pk)): "ouNorth0001",
            ("organisation", str(south.pk)): "ouSouth0001",
            ("combination", str(female)): "cocFemale01",
            ("combination", str(male)): "cocMale0001",
        },
    )
    return {"readers": readers, "clubs": clubs, "north": north, "south": south, "female": female, "male": male}


def _figures(coalition: Any) -> set[tuple[str, str, str, str, Decimal]]:
    """Each value as (indicator code, period, org code, combination code, value), read back independently."""
    codes = {(c.kind, c.local_key): c.code for c in Dhis2Code.objects.filter(coalition=coalition)}
    return {
        (
            codes[("indicator", str(v.indicator_id))],
            str(v.period_start),
            codes[("organisation", str(v.organisation_id))],
            codes.get(("combination", v.combination.key), "total"),
            v.value,
        )
        for v in DataValue.objects.filter(coalition=coalition).select_related("combination")
    }


def test_a_data_value_set_round_trip_gives_the_same_figures_elsewhere(world: Any) -> None:
    a = _mapped(world.coalition, "A")
    hub = world.client_for(world.hub)
    url_a = reverse("api:dhis2_import", kwargs={"coalition_id": world.coalition.pk})
    sent = {
        "dataValues": [
            {
                "dataElement": "deReaders01",
                "period": "202401",
                "orgUnit": "ouNorth0001",
                "categoryOptionCombo": "cocFemale01",
                "value": "12",
            },
            {
                "dataElement": "deReaders01",
                "period": "202401",
                "orgUnit": "ouNorth0001",
                "categoryOptionCombo": "cocMale0001",
                "value": "9",
            },
            {
                "dataElement": "deReaders01",
                "period": "202402",
                "orgUnit": "ouSouth0001",
                "categoryOptionCombo": "cocFemale01",
                "value": "5",
            },
            {"dataElement": "deClubs0001", "period": "2024Q2", "orgUnit": "ouSouth0001", "value": "3"},
        ]
    }
    first = hub.post(url_a, sent, content_type="application/json")
    assert first.status_code == 200, first.content
    assert first.json()["created"] == 4
    assert DataValue.objects.get(indicator=a["clubs"]).period_start == dt.date(2024, 4, 1)
    exported = hub.get(reverse("api:dhis2_export", kwargs={"coalition_id": world.coalition.pk})).json()
    assert exported["skipped"] == 0 and len(exported["dataValues"]) == 4

    _mapped(world.other, "B")  # another coalition, same codes, other names and ids
    outsider = world.client_for(world.outsider)  # the hub of coalition B
    url_b = reverse("api:dhis2_import", kwargs={"coalition_id": world.other.pk})
    second = outsider.post(url_b, {"dataValues": exported["dataValues"]}, content_type="application/json")
    assert second.status_code == 200, second.content
    assert (
        _figures(world.other)
        == _figures(world.coalition)
        == {
            ("deReaders01", "2024-01-01", "ouNorth0001", "cocFemale01", Decimal("12")),
            ("deReaders01", "2024-01-01", "ouNorth0001", "cocMale0001", Decimal("9")),
            ("deReaders01", "2024-02-01", "ouSouth0001", "cocFemale01", Decimal("5")),
            ("deClubs0001", "2024-04-01", "ouSouth0001", "total", Decimal("3")),
        }
    )
    csv_text = hub.get(reverse("api:dhis2_export_csv", kwargs={"coalition_id": world.coalition.pk})).content.decode()
    assert csv_text.splitlines()[0] == "dataElement,period,orgUnit,categoryOptionCombo,value"
    assert sorted(exchange.rows_of_csv(csv_text.encode()), key=str) == sorted(exported["dataValues"], key=str)


def test_the_documented_dhis2_example_is_imported_through_the_mapping(world: Any) -> None:
    names = {"f7n9E0hX8qk": "Measles doses", "Ix2HsbDMLea": "BCG doses", "eY5ehpbEsB7": "Polio doses"}
    codes: dict[tuple[str, str], str] = {}
    for code, name in names.items():
        codes[
            (
                "indicator",
                str(make_indicator(world.coalition, name, frequency="monthly", starts_on=dt.date(2024, 1, 1)).pk),
            )
        ] = code
    clinic = factories.make_stakeholder(world.coalition, "Ngelehun clinic", engagement="member")
    codes[("organisation", str(clinic.pk))] = "DiszpKrYNg8"
    do_set_dhis2_codes(hub_access(world.coalition), codes)
    url = reverse("api:dhis2_import", kwargs={"coalition_id": world.coalition.pk})
    response = world.client_for(world.hub).post(url, DOCUMENTED_EXAMPLE, content_type="application/json")
    assert response.status_code == 200, response.content
    stored = {
        (v.indicator.name, v.period_start, v.organisation.name, v.value)
        for v in DataValue.objects.select_related("indicator", "organisation")
    }
    assert stored == {
        ("Measles doses", dt.date(2024, 1, 1), "Ngelehun clinic", Decimal("1")),
        ("BCG doses", dt.date(2024, 1, 1), "Ngelehun clinic", Decimal("2")),
        ("Polio doses", dt.date(2024, 1, 1), "Ngelehun clinic", Decimal("3")),
    }


def test_every_rejected_row_is_reported_and_nothing_is_saved(world: Any) -> None:
    _mapped(world.coalition, "A")
    url = reverse("api:dhis2_import", kwargs={"coalition_id": world.coalition.pk})
    sent = {
        "dataValues": [
            {"dataElement": "deClubs0001", "period": "2024Q1", "orgUnit": "ouNorth0001", "value": "2"},
            {"dataElement": "unknown0001", "period": "2024Q1", "orgUnit": "ouNorth0001", "value": "2"},
            {"dataElement": "deClubs0001", "period": "202401", "orgUnit": "ouNorth0001", "value": "2"},
            {"dataElement": "deClubs0001", "period": "2024Q2", "orgUnit": "ouNowhere01", "value": "2"},
            {"dataElement": "deClubs0001", "period": "2024Q3", "orgUnit": "ouNorth0001", "value": "-4"},
        ]
    }
    response = world.client_for(world.hub).post(url, sent, content_type="application/json")
    assert response.status_code == 422
    faults = sorted((d["loc"][2], d["loc"][3]) for d in response.json()["detail"])
    assert faults == [(1, "dataElement"), (2, "period"), (3, "orgUnit"), (4, "value")]
    assert not DataValue.objects.exists()
