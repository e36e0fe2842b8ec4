"""Writes through the API: the same actions and rules as the screens, idempotent replays, 409 on stale writes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.test import Client
from django.urls import reverse

from coalition.core.models import AuditEvent
from coalition.joint_action.models import Action
from coalition.measurement.models import DataValue
from coalition.stakeholders.models import Stakeholder
from tests import factories
from tests.joint_action import builders
from tests.measurement.builders import make_indicator


def _url(name: str, **kwargs: Any) -> str:
    return reverse(f"api:{name}", kwargs=kwargs)


def _post(client: Client, url: str, body: Any, **headers: str) -> Any:
    return client.post(url, body, content_type="application/json", headers=headers)


def _patch(client: Client, url: str, body: Any, **headers: str) -> Any:
    return client.patch(url, body, content_type="application/json", headers=headers)


def test_creating_a_stakeholder_goes_through_the_audited_action(world: Any) -> None:
    response = _post(
        world.client_for(world.hub),
        _url("stakeholder_create", coalition_id=world.coalition.pk),
        {"name": "Library", "sector": "academia", "power": 4},
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["name"], body["sector"], body["power"]) == ("Library", "academia", 4)
    assert response["ETag"] == body["etag"]
    assert AuditEvent.objects.filter(verb="stakeholder.created", object_id=str(body["id"])).count() == 1


def test_a_duplicate_name_is_a_json_422_naming_the_field(world: Any) -> None:
    response = _post(
        world.client_for(world.hub), _url("stakeholder_create", coalition_id=world.coalition.pk), {"name": "member org"}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "name"]


def test_a_replayed_idempotency_key_gets_the_first_answer_and_writes_once(world: Any) -> None:
    client = world.client_for(world.hub)
    url = _url("stakeholder_create", coalition_id=world.coalition.pk)
    first = _post(client, url, {"name": "Clinic"}, **{"Idempotency-Key": "abc-1"})
    again = _post(client, url, {"name": "Clinic"}, **{"Idempotency-Key": "abc-1"})
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Stakeholder.objects.filter(coalition=world.coalition, name="Clinic").count() == 1
    other = _post(client, url, {"name": "Other"}, **{"Idempotency-Key": "abc-1"})
    assert other.status_code == 422
    assert not Stakeholder.objects.filter(name="Other").exists()


def test_idempotency_keys_belong_to_their_caller(world: Any) -> None:
    facilitator = factories.add_member(world.coalition, factories.make_user("hub2"), ["hub"]).user
    url = _url("stakeholder_create", coalition_id=world.coalition.pk)
    assert _post(world.client_for(world.hub), url, {"name": "A"}, **{"Idempotency-Key": "k"}).status_code == 201
    second = _post(world.client_for(facilitator), url, {"name": "B"}, **{"Idempotency-Key": "k"})
    assert second.status_code == 201 and second.json()["name"] == "B"


def test_a_stale_if_match_gets_409_and_changes_nothing(world: Any) -> None:
    client = world.client_for(world.hub)
    url = _url("stakeholder_update", coalition_id=world.coalition.pk, stakeholder_id=world.member_org.pk)
    etag = client.get(_url("stakeholder", coalition_id=world.coalition.pk, stakeholder_id=world.member_org.pk))["ETag"]
    first = _patch(client, url, {"place": "East"}, **{"If-Match": etag})
    assert first.status_code == 200 and first["ETag"] != etag
    stale = _patch(client, url, {"place": "West"}, **{"If-Match": etag})
    assert stale.status_code == 409
    assert "detail" in stale.json()
    world.member_org.refresh_from_db()
    assert world.member_org.place == "East"
    assert _patch(client, url, {"place": "West"}, **{"If-Match": first["ETag"]}).status_code == 200


def test_a_stale_action_write_gets_409(world: Any) -> None:
    action = builders.action(world.coalition)
    client = world.client_for(world.hub)
    url = _url("action_update", coalition_id=world.coalition.pk, action_id=action.pk)
    etag = client.get(_url("action", coalition_id=world.coalition.pk, action_id=action.pk)).json()["etag"]
    assert _patch(client, url, {"title": "One"}, **{"If-Match": etag}).status_code == 200
    assert _patch(client, url, {"title": "Two"}, **{"If-Match": etag}).status_code == 409
    action.refresh_from_db()
    assert (action.title, action.version) == ("One", 2)


def test_a_member_edits_only_actions_its_organisation_leads(world: Any) -> None:
    own = builders.action(world.coalition, lead=world.member_org)
    other = builders.action(world.coalition, lead=world.other_org)
    client = world.client_for(world.member)
    assert (
        _patch(
            client, _url("action_update", coalition_id=world.coalition.pk, action_id=own.pk), {"title": "Mine"}
        ).status_code
        == 200
    )
    refused = _patch(
        client, _url("action_update", coalition_id=world.coalition.pk, action_id=other.pk), {"title": "Theirs"}
    )
    assert refused.status_code == 403
    assert Action.objects.get(pk=other.pk).title != "Theirs"


def test_a_member_enters_a_value_for_its_own_organisation_only(world: Any) -> None:
    indicator = make_indicator(world.coalition, "Readers", frequency="annual")
    period = indicator.period_label(indicator.first_period)
    client = world.client_for(world.member)
    url = _url("value_save", coalition_id=world.coalition.pk)
    body = {"indicator_id": indicator.pk, "period": period, "organisation_id": world.member_org.pk, "value": "12"}
    response = _post(client, url, body)
    assert response.status_code == 200, response.content
    assert response.json() == {"created": 1, "updated": 0, "deleted": 0, "unchanged": 0}
    assert DataValue.objects.get(indicator=indicator).value == Decimal("12")
    foreign = _post(client, url, {**body, "organisation_id": world.other_org.pk})
    assert foreign.status_code == 403


def test_a_batch_is_saved_whole_or_not_at_all_with_every_fault_listed(world: Any) -> None:
    indicator = make_indicator(world.coalition, "Readers", frequency="annual")
    period = indicator.period_label(indicator.first_period)
    row = {"indicator_id": indicator.pk, "period": period, "organisation_id": world.member_org.pk}
    url = _url("value_batch", coalition_id=world.coalition.pk)
    client = world.client_for(world.hub)
    bad = _post(
        client,
        url,
        {
            "values": [
                {**row, "value": "5"},
                {**row, "organisation_id": world.other_org.pk, "value": "-1"},
                {**row, "period": "someday", "value": "1"},
            ]
        },
    )
    assert bad.status_code == 422
    assert sorted({d["loc"][2] for d in bad.json()["detail"]}) == [1, 2]
    assert not DataValue.objects.exists()
    good = _post(
        client, url, {"values": [{**row, "value": "5"}, {**row, "organisation_id": world.other_org.pk, "value": "7"}]}
    )
    assert good.status_code == 200 and good.json()["created"] == 2
    assert sorted(DataValue.objects.values_list("value", flat=True)) == [Decimal("5"), Decimal("7")]


def test_writes_are_rate_limited_with_a_json_429(world: Any, settings: Any) -> None:
    settings.API_WRITES_PER_MINUTE = 2
    client = world.client_for(world.hub)
    url = _url("stakeholder_create", coalition_id=world.coalition.pk)
    answers = [_post(client, url, {"name": f"S{n}"}).status_code for n in range(3)]
    assert answers == [201, 201, 429]
    limited = _post(client, url, {"name": "S9"})
    assert limited.json()["detail"] and limited["Retry-After"] == "60"
    assert (
        client.get(_url("coalition", coalition_id=world.coalition.pk)).status_code == 200
    )  # reads have their own budget


def test_a_session_write_still_needs_its_csrf_token(world: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.hub)
    response = _post(client, _url("stakeholder_create", coalition_id=world.coalition.pk), {"name": "X"})
    assert response.status_code in (401, 403)
    assert not Stakeholder.objects.filter(name="X").exists()
