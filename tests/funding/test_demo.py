"""The demo's fund: a dozen contributions in two currencies, a decided call being implemented, an open call."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from coalition.coalitions.models import Coalition
from coalition.demo import base
from coalition.funding import ledger
from coalition.funding.models import Call, LedgerEntry, Phase


@pytest.mark.django_db
def test_the_demo_has_a_fund_a_call_being_implemented_and_an_open_call(capsys: Any) -> None:
    call_command("seed_demo")
    coalition = Coalition.objects.get(name=base.COALITION_NAME)
    contributions = LedgerEntry.objects.filter(coalition=coalition, kind__in=["pledge", "receipt", "in_kind"])
    assert contributions.count() >= 12
    assert set(contributions.values_list("currency", flat=True)) == {"EUR", "USD"}
    phases = set(Call.objects.filter(coalition=coalition).values_list("phase", flat=True))
    assert phases == {Phase.IMPLEMENTING, Phase.OPEN}
    implementing = Call.objects.get(coalition=coalition, phase=Phase.IMPLEMENTING)
    assert implementing.awards.exists()
    assert all(b.held >= 0 for b in ledger.balances(coalition.pk))
