"""The demo's decisions: every type of poll, open and closed, one without quorum, a blocked and amended proposal."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from coalition.coalitions.models import Coalition
from coalition.decisions.models import Kind, Poll
from coalition.demo import base


@pytest.mark.django_db
def test_the_demo_has_polls_of_every_type_and_a_blocked_then_amended_proposal(capsys: Any) -> None:
    call_command("seed_demo")
    coalition = Coalition.objects.get(name=base.COALITION_NAME)
    polls = Poll.objects.filter(coalition=coalition)
    assert {p.kind for p in polls} == set(Kind.values)
    assert polls.filter(closed_at__isnull=True).exists() and polls.filter(closed_at__isnull=False).exists()
    assert polls.filter(quorum_met=False).count() == 1
    blocked = polls.get(title="Adopt the data-sharing agreement")
    assert blocked.result is not None and blocked.result["passed"] is False
    amended = blocked.amendments.get()
    assert amended.result is not None and amended.result["passed"] is True
    stv = polls.get(kind=Kind.STV)
    assert stv.result is not None and len(stv.result["winners"]) == 2
