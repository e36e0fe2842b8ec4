"""The hub's DHIS2 exchange screen: the mapping form, downloads and uploads (JSON and CSV), and the API's CSV import."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coalition.api.models import Dhis2Code
from coalition.measurement.models import DataValue
from tests.api.test_exchange import _figures, _mapped
from tests.measurement.builders import make_indicator

SENT = (
    "dataElement,period,orgUnit,categoryOptionCombo,value\n"
    "deReaders01,202401,ouNorth0001,cocFemale01,12\n"
    "deReaders01,202401,ouNorth0001,cocMale0001,9\n"
    "deClubs0001,2024Q2,ouSouth0001,,3\n"
)
EXPECTED = {
    ("deReaders01", "2024-01-01", "ouNorth0001", "cocFemale01", Decimal("12")),
    ("deReaders01", "2024-01-01", "ouNorth0001", "cocMale0001", Decimal("9")),
    ("deClubs0001", "2024-04-01", "ouSouth0001", "total", Decimal("3")),
}


def _url(name: str, coalition: Any) -> str:
    return reverse(f"exchange:{name}", kwargs={"coalition_id": coalition.pk})


def test_the_hub_maps_records_to_dhis2_identifiers(world: Any) -> None:
    readers = make_indicator(world.coalition, "Readers")
    clubs = make_indicator(world.coalition, "Clubs")
    hub = world.client_for(world.hub)
    page = hub.get(_url("dhis2", world.coalition))
    assert page.status_code == 200
    assert "Readers" in page.content.decode() and "Member Org" in page.content.decode()
    assert 'value="HllvX50cXC0"' in page.content.decode()  # the total is offered DHIS2's default combo
    clash = hub.post(
        _url("dhis2", world.coalition),
        {f"indicator-{readers.pk}": "deSame00001", f"indicator-{clubs.pk}": "deSame00001"},
    )
    assert clash.status_code == 400 and not Dhis2Code.objects.filter(kind="indicator").exists()
    saved = hub.post(
        _url("dhis2", world.coalition),
        {f"indicator-{readers.pk}": "deReaders01", f"organisation-{world.member_org.pk}": "ouMember001"},
    )
    assert saved.status_code == 302
    codes = {(c.kind, c.local_key): c.code for c in Dhis2Code.objects.filter(coalition=world.coalition)}
    assert codes[("indicator", str(readers.pk))] == "deReaders01"
    assert codes[("organisation", str(world.member_org.pk))] == "ouMember001"
    assert ("combination", "") not in codes  # left empty: the total travels as DHIS2's default combo


def test_a_csv_upload_then_a_json_download_then_an_upload_elsewhere_gives_the_same_figures(world: Any) -> None:
    _mapped(world.coalition, "A")
    hub = world.client_for(world.hub)
    uploaded = hub.post(
        _url("dhis2_import", world.coalition), {"file": SimpleUploadedFile("values.csv", SENT.encode())}
    )
    assert uploaded.status_code == 302, uploaded.content.decode()
    assert _figures(world.coalition) == EXPECTED
    downloaded = hub.get(_url("dhis2_export", world.coalition) + "?format=json")
    assert downloaded["Content-Type"] == "application/json"
    _mapped(world.other, "B")
    outsider = world.client_for(world.outsider)  # the hub of coalition B
    again = outsider.post(
        _url("dhis2_import", world.other), {"file": SimpleUploadedFile("set.json", downloaded.content)}
    )
    assert again.status_code == 302
    assert _figures(world.other) == EXPECTED
    csv_download = hub.get(_url("dhis2_export", world.coalition) + "?format=csv").content.decode()
    assert sorted(csv_download.splitlines()[1:]) == sorted(
        [
            "deReaders01,202401,ouNorth0001,cocFemale01,12",
            "deReaders01,202401,ouNorth0001,cocMale0001,9",
            "deClubs0001,2024Q2,ouSouth0001,HllvX50cXC0,3",
        ]
    )


def test_an_upload_with_a_bad_row_saves_nothing_and_lists_it(world: Any) -> None:
    _mapped(world.coalition, "A")
    bad = SENT + "deUnknown01,202401,ouNorth0001,,1\n"
    response = world.client_for(world.hub).post(
        _url("dhis2_import", world.coalition), {"file": SimpleUploadedFile("values.csv", bad.encode())}
    )
    assert response.status_code == 400
    assert "No indicator is mapped to this data element." in response.content.decode()
    assert not DataValue.objects.exists()


def test_the_api_imports_a_csv_data_value_set(world: Any) -> None:
    _mapped(world.coalition, "A")
    url = reverse("api:dhis2_import_csv", kwargs={"coalition_id": world.coalition.pk})
    response = world.client_for(world.hub).post(url, {"file": SimpleUploadedFile("v.csv", SENT.encode())})
    assert response.status_code == 200, response.content
    assert response.json() == {"rows": 3, "created": 3, "updated": 0, "unchanged": 0}
    assert _figures(world.coalition) == EXPECTED
    assert DataValue.objects.get(indicator__name="A clubs").period_start == dt.date(2024, 4, 1)


def test_a_member_cannot_open_the_mapping(world: Any) -> None:
    assert world.client_for(world.member).get(_url("dhis2", world.coalition)).status_code == 403


def test_the_import_page_offers_the_exchange_to_the_hub_only(world: Any) -> None:
    url = reverse("measurement:import", kwargs={"coalition_id": world.coalition.pk})
    link = _url("dhis2", world.coalition)
    assert link in world.client_for(world.hub).get(url).content.decode()
    assert link not in world.client_for(world.member).get(url).content.decode()
