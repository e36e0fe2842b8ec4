"""The demo's cohesion: two checks in which some factors improve and funding slips, and a plan whose fee line is
a joint action owned by a member organisation."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command

from coalition.coalitions.models import Coalition
from coalition.cohesion import demo
from coalition.cohesion.models import HealthCheck, PlanItem
from coalition.demo import base


@pytest.mark.django_db
def test_cohesion_improves_in_some_factors_slips_in_one_and_a_line_is_an_action(capsys: Any) -> None:
    call_command("seed_demo")
    coalition = Coalition.objects.get(name=base.COALITION_NAME)
    earlier, later = HealthCheck.objects.filter(coalition=coalition).order_by("held_on")
    mean = {code: (Decimal(earlier.results[code]["mean"]), Decimal(later.results[code]["mean"])) for code in demo.LATER}
    assert all(after > before for before, after in (mean["communications"], mean["joint_work"]))
    assert mean["funding"][1] < mean["funding"][0]
    fees = PlanItem.objects.get(plan__coalition=coalition, what=demo.FEES)
    assert fees.action is not None and fees.action.lead.coalition_id == coalition.pk
    assert PlanItem.objects.filter(plan__coalition=coalition, action__isnull=True).count() == len(demo.PLAN) - 1
