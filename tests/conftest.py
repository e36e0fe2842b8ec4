"""Personas shared by every test: a hub coordinator, a facilitator, a member, an observer and an
outsider (who belongs only to another coalition)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from coalition.coalitions.models import Coalition
from coalition.stakeholders.models import Stakeholder
from tests import factories


@dataclass
class World:
    coalition: Coalition
    other: Coalition
    hub: Any
    facilitator: Any
    member: Any
    observer: Any
    outsider: Any
    member_org: Stakeholder
    other_org: Stakeholder

    def client_for(self, user: Any) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client


@pytest.fixture
def world(db: Any) -> World:
    hub = factories.make_user("hub", first_name="Hana", last_name="Hub")
    coalition = factories.make_coalition("Coalition A", hub=hub)
    member_org = factories.make_stakeholder(coalition, "Member Org", engagement="member")
    other_org = factories.make_stakeholder(coalition, "Second Org", engagement="member")
    facilitator = factories.add_member(coalition, factories.make_user("facilitator"), ["facilitator"]).user
    member = factories.add_member(coalition, factories.make_user("member"), ["member"], organisation=member_org).user
    observer = factories.add_member(coalition, factories.make_user("observer"), ["observer"]).user
    outsider = factories.make_user("outsider")
    other = factories.make_coalition("Coalition B", hub=outsider)
    return World(coalition, other, hub, facilitator, member, observer, outsider, member_org, other_org)


@pytest.fixture
def hub_client(world: World) -> Client:
    return world.client_for(world.hub)


@pytest.fixture
def member_client(world: World) -> Client:
    return world.client_for(world.member)
