"""The API answers with the stories consent allows, like every screen and export."""

from __future__ import annotations

from typing import Any

from coalition.learning import actions
from tests.learning import builders


def test_withdrawn_consent_leaves_the_api_answer(world: Any) -> None:
    kept = builders.story(world.coalition, title="Kept", consent_named=False)
    gone = builders.story(world.coalition, title="Withdrawn")
    client = world.client_for(world.member)
    url = f"/api/v1/coalitions/{world.coalition.pk}/stories"
    items = client.get(url).json()["items"]
    assert {i["title"] for i in items} == {"Kept", "Withdrawn"}
    assert next(i for i in items if i["title"] == "Kept")["storyteller"] == "Anonymous"
    actions.do_set_consent(world.hub, gone, consent_internal=False, consent_public=False, consent_named=False)
    assert [i["id"] for i in client.get(url).json()["items"]] == [kept.pk]
    assert world.client_for(world.outsider).get(url).status_code == 404
