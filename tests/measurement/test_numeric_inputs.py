"""Every numeric input goes through the value fields' own limits (issue 12 item 3): random numeric
text through the entry grid, the CSV import and the action an API would call never gives a 500 and
never stores a figure that is not finite or does not fit ``DecimalField(20, 4)``."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coalition.core.numbers import NumberError, parse_amount
from coalition.measurement import actions, imports
from coalition.measurement.models import DataValue
from tests.measurement.builders import START, hub_access, make_indicator

pytestmark = pytest.mark.django_db
SPECIAL = [
    "1" * 31,
    "9" * 10_000,
    "1e30",
    "1E+400",
    "-1e-30",
    "1e-30",
    "NaN",
    "-nan",
    "sNaN",
    "Infinity",
    "-Infinity",
    "inf",
    "-0",
    "0.00001",
    "  12  ",
    "\u0661\u0662\u0663",
    "\uff11\uff12",
    "1,234.5",
    "1 234",
    "999999999999999.9999",
    "1000000000000000",
    "9999999999999999.9999",
    "0.0001",
    "1e15",
    "",
    "   ",
    "½",
    "1.2.3",
    "--1",
    "0x10",
]
numeric_text = st.one_of(
    st.sampled_from(SPECIAL),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats().map(repr),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.text(alphabet="0123456789eE+-.,_ \u00a0\u0663nNaIifty", max_size=30),
)
FIXTURE_OK = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _fits(number: Decimal) -> bool:
    """The oracle, independent of the parser: finite, at most 4 decimals and 15 whole digits."""
    if not number.is_finite() or abs(number) >= Decimal(10) ** 15:
        return False
    return number == number.quantize(Decimal("0.0001"))


def _assert_all_stored_values_fit() -> None:
    for value in DataValue.objects.values_list("value", flat=True):  # SQLite keeps them as floats: 15 digits
        assert value.is_finite() and abs(value) <= Decimal(10) ** 15, value


@FIXTURE_OK
@given(text=numeric_text)
def test_the_entry_grid_never_fails_and_stores_only_what_fits(world: Any, text: str) -> None:
    indicator = make_indicator(world.coalition, kind="count")  # "count" rejects negatives and fractions too
    url = reverse(
        "measurement:entry_grid",
        kwargs={"coalition_id": world.coalition.pk, "indicator_id": indicator.pk, "period": "2025-Q1"},
    )
    response = world.client_for(world.member).post(url, {"cell-total": text, "intent": "save"})
    assert response.status_code in (200, 302)
    _assert_all_stored_values_fit()
    assert world.client_for(world.member).get(url).status_code == 200


@FIXTURE_OK
@given(text=numeric_text)
def test_the_import_never_fails_and_stores_only_what_fits(world: Any, text: str) -> None:
    indicator = make_indicator(world.coalition, kind="score")
    cell = '"' + text.replace('"', '""') + '"'
    data = f"indicator,period,organisation,value\n{indicator.name},2025-Q1,Member Org,{cell}\n".encode()
    batch, preview = imports.do_import_values(hub_access(world.coalition), data, "values.csv")
    _assert_all_stored_values_fit()
    try:
        expected = Decimal(text.strip().replace(",", "").replace(" ", "").replace("_", "").replace("\u00a0", ""))
    except (InvalidOperation, ValueError):
        expected = None
    if expected is not None and _fits(expected):
        assert batch is not None, preview.grouped
        stored = DataValue.objects.get(indicator=indicator).value
        assert abs(stored - expected) <= abs(expected) * Decimal("1e-14") + Decimal("0.0001")
    elif text.strip():
        assert batch is None and preview.errors


@FIXTURE_OK
@given(number=st.decimals(allow_nan=True, allow_infinity=True))
def test_the_action_refuses_what_does_not_fit(world: Any, number: Decimal) -> None:
    """What an API (or any caller) hands to the entry action is checked there too."""
    indicator = make_indicator(world.coalition, kind="score")
    try:
        actions.do_enter_values(
            hub_access(world.coalition), indicator, world.member_org, START, [actions.Entry((), number)]
        )
    except actions.EntryErrors:
        assert not _fits(number)
    else:
        assert _fits(number)
    _assert_all_stored_values_fit()


def test_the_numbers_in_the_issue_are_refused_with_a_reason() -> None:
    for text in ("1" * 31, "9" * 10_000, "NaN", "Infinity", "1e-30"):
        with pytest.raises(NumberError):
            parse_amount(text, 20, 4)
    assert parse_amount("-0", 20, 4) == 0 and str(parse_amount("-0", 20, 4)) == "0"
    assert parse_amount("9999999999999999.9999", 20, 4) == Decimal("9999999999999999.9999")
    with pytest.raises(NumberError):
        parse_amount("10000000000000000", 20, 4)
