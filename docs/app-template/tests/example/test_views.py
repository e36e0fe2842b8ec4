"""Views: what each persona sees and may do; an action's error shows on the field it names."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from coalition.example import actions
from coalition.example.models import Note


def test_a_coordinator_adds_a_note(world: Any) -> None:
    client = world.client_for(world.hub)
    url = reverse("example:new", args=[world.coalition.pk])
    response = client.post(url, {"title": "Agenda", "body": ""})
    assert response.status_code == 302
    assert Note.objects.filter(coalition=world.coalition, title="Agenda").count() == 1


def test_a_duplicate_title_is_shown_on_the_title_field(world: Any) -> None:
    actions.do_save_note(world.hub, world.coalition, title="Agenda", body="")
    client = world.client_for(world.hub)
    response = client.post(reverse("example:new", args=[world.coalition.pk]), {"title": "agenda", "body": ""})
    assert response.status_code == 400
    assert response.context["form"].errors["title"] == ["Another note already has this title."]


def test_an_observer_reads_but_cannot_write(world: Any) -> None:
    client = world.client_for(world.observer)
    assert client.get(reverse("example:list", args=[world.coalition.pk])).status_code == 200
    response = client.post(reverse("example:new", args=[world.coalition.pk]), {"title": "X", "body": ""})
    assert response.status_code == 403
    assert not Note.objects.exists()
