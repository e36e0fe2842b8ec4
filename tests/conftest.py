"""Personas shared by every test: a hub coordinator, a facilitator, a member, an observer and an
outsider (who belongs only to another coalition)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from coalition.coalitions.models import Coalition
from coalition.stakeholders.models import Stakeholder
from tests import factories


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test starts in the default language: a request in French (Django's LocaleMiddleware activates it for the
    thread and leaves it active) must not make the next test's messages French."""
    yield
    translation.deactivate()


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


DATABASE_FIXTURES = frozenset(
    {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback", "live_server"}
)


def uses_database(item: pytest.Item) -> bool:
    """Whether a test opens the database (pytest-django's marker or one of its database fixtures)."""
    return item.get_closest_marker("django_db") is not None or not DATABASE_FIXTURES.isdisjoint(
        getattr(item, "fixturenames", ())
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """``COALITION_DATABASE_TESTS_ONLY=1`` (the PostgreSQL pass of ``make test``) keeps the tests that open the
    database: the others (pure calculations and their properties) run the same code on any engine, so the
    SQLite pass already ran them."""
    if os.environ.get("COALITION_DATABASE_TESTS_ONLY") != "1":
        return
    kept = [item for item in items if uses_database(item)]
    if dropped := [item for item in items if not uses_database(item)]:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
