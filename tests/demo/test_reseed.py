"""``seed_demo`` re-creates the demo on a database that already holds it, also after people used it."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.core import mail
from django.core.management import call_command

from coalition.coalitions.access import get_access
from coalition.coalitions.models import Coalition, Membership
from coalition.demo import base
from coalition.measurement import actions as measurement_actions
from coalition.measurement import imports
from coalition.measurement.models import DataValue, Indicator
from coalition.stakeholders import actions as stakeholder_actions
from coalition.stakeholders.models import Stakeholder


def _counts() -> dict[str, int]:
    demo = Coalition.objects.filter(name=base.COALITION_NAME)
    return {
        "coalitions": demo.count(),
        "stakeholders": Stakeholder.objects.filter(coalition__in=demo).count(),
        "values": DataValue.objects.filter(coalition__in=demo).count(),
    }


def _change_demo_as_people_do() -> None:
    """What a visitor does on the demo: a new stakeholder, a typed value, an imported file."""
    coalition = Coalition.objects.get(name=base.COALITION_NAME)
    hub = Membership.objects.get(coalition=coalition, user__username="amina")
    access = get_access(hub.user, coalition.pk)
    newcomer = Stakeholder.objects.create(coalition=coalition, name="Visitor's new partner", sector="private")
    indicator = Indicator.objects.filter(coalition=coalition, kind="count", is_archived=False).first()
    assert indicator is not None
    start = indicator.first_period
    measurement_actions.do_enter_values(
        access, indicator, newcomer, start, [measurement_actions.Entry(value=Decimal(7))]
    )
    data = f"indicator,period,organisation,value\n{indicator.name},{indicator.period_label(start)},{newcomer.name},8\n"
    batch, preview = imports.do_import_values(access, data.encode(), "visitor.csv")
    assert batch is not None, preview.errors
    stakeholder_actions.do_import_stakeholders(hub.user, coalition, b"name,sector\nImported partner,private\n")


def test_seed_demo_twice_and_after_changes_gives_the_same_demo(db: Any, settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    out = io.StringIO()
    call_command("seed_demo", verbosity=0, stdout=out)
    lines = out.getvalue().splitlines()
    assert [line.split(" / ")[0] for line in lines if line.startswith("login:")] == [
        "login: amina",
        "login: marco",
        "login: grace",
    ]
    assert len(lines) == 4, "the demo's notifications must not be printed above the login lines"
    assert mail.outbox == []
    first = _counts()
    call_command("seed_demo", verbosity=0)  # on a seeded database
    assert _counts() == first
    _change_demo_as_people_do()
    assert _counts() != first
    call_command("seed_demo", verbosity=0)  # after people changed the demo
    assert _counts() == first
    assert first["coalitions"] == 1 and first["stakeholders"] > 0 and first["values"] > 0
