"""Bodies the API matrix sends to each write operation: ones the hub's call would have saved, so a refused
call is seen to change nothing (``tests/test_authorization_matrix.py``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.joint_action import builders
from tests.measurement.builders import make_indicator


def _action(coalition: Any) -> dict[str, Any]:
    return {
        "plan_id": builders.plan(coalition).pk,
        "title": "Homework club",
        "activity_type_id": builders.activity_type(coalition).pk,
        "place": "North",
        "lead_id": builders.member_org(coalition).pk,
        "starts_on": builders.TODAY.isoformat(),
        "due_on": builders.TODAY.isoformat(),
    }


def _value(coalition: Any) -> dict[str, Any]:
    indicator = make_indicator(coalition, "Matrix readers", frequency="annual")
    organisation = builders.member_org(coalition, "Matrix org")
    return {
        "indicator_id": indicator.pk,
        "period": indicator.period_label(indicator.first_period),
        "organisation_id": organisation.pk,
        "value": "3",
    }


BODIES: dict[str, Callable[[Any], dict[str, Any]]] = {
    "POST /coalitions/{int:coalition_id}/stakeholders": lambda coalition: {"name": "Matrix library"},
    "PATCH /coalitions/{int:coalition_id}/stakeholders/{int:stakeholder_id}": lambda coalition: {"place": "East"},
    "POST /coalitions/{int:coalition_id}/actions": _action,
    "PATCH /coalitions/{int:coalition_id}/actions/{int:action_id}": lambda coalition: {"title": "Renamed"},
    "POST /coalitions/{int:coalition_id}/values": _value,
    "POST /coalitions/{int:coalition_id}/values/batch": lambda coalition: {"values": [_value(coalition)]},
    "POST /coalitions/{int:coalition_id}/feedback": lambda coalition: {"topic": "safety", "text": "More lights"},
}


def _dhis2(coalition: Any) -> dict[str, Any]:
    from coalition.api.actions import do_set_dhis2_codes
    from tests.measurement.builders import hub_access

    body = _value(coalition)
    do_set_dhis2_codes(
        hub_access(coalition),
        {
            ("indicator", str(body["indicator_id"])): "deMatrix001",
            ("organisation", str(body["organisation_id"])): "ouMatrix001",
        },
    )
    year = body["period"]
    return {"dataValues": [{"dataElement": "deMatrix001", "period": year, "orgUnit": "ouMatrix001", "value": "4"}]}


BODIES["POST /coalitions/{int:coalition_id}/dhis2/dataValueSets"] = _dhis2


def _dhis2_csv(coalition: Any) -> dict[str, Any]:
    """A multipart body: ``(filename, bytes)`` values are sent as files."""
    value = _dhis2(coalition)["dataValues"][0]
    text = "dataElement,period,orgUnit,value\n" + ",".join(
        value[k] for k in ("dataElement", "period", "orgUnit", "value")
    )
    return {"file": ("dataValueSet.csv", text.encode())}


BODIES["POST /coalitions/{int:coalition_id}/dhis2/dataValueSets.csv"] = _dhis2_csv
