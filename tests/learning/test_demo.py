"""The demo's learning tells the intended story: four pauses over a year, adaptations of every kind, stories
with a selection round, a dozen outcomes."""

from __future__ import annotations

import pytest

from coalition.demo import base
from coalition.learning.models import Adaptation, Outcome, Pause, SelectionRound, Story

pytestmark = pytest.mark.django_db


def test_demo_seed_has_pauses_adaptations_stories_and_outcomes() -> None:
    import importlib

    ctx = base.seed_base()
    for app in ("stakeholders", "measurement", "network", "planning", "joint_action", "meetings", "decisions"):
        importlib.import_module(f"coalition.{app}.demo").seed(ctx)
    from coalition.learning import demo, queries

    demo.seed(ctx)
    pauses = list(Pause.objects.filter(coalition=ctx.coalition).order_by("held_on"))
    assert len(pauses) == 4
    assert (pauses[-1].held_on - pauses[0].held_on).days == 270
    assert set(Adaptation.objects.filter(coalition=ctx.coalition).values_list("kind", flat=True)) == set(
        Adaptation.Kind.values
    )
    assert all(a.before != a.after for a in Adaptation.objects.filter(coalition=ctx.coalition))
    assert SelectionRound.objects.get(coalition=ctx.coalition).selections.count() == 3
    assert Story.objects.filter(coalition=ctx.coalition).count() == 8
    assert queries.stories(ctx.coalition, "internal").count() == 7
    assert Outcome.objects.filter(coalition=ctx.coalition).count() == 12
