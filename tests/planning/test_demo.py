"""The demo's co-design tells the intended story, from the assessment to a signed agenda and a new draft."""

from __future__ import annotations

import pytest

from coalition.demo import base
from coalition.measurement import demo as measurement_demo
from coalition.planning import demo, queries
from coalition.planning.models import Asset, DotVote, Priority, ProblemNode

pytestmark = pytest.mark.django_db


def test_demo_seed_covers_every_co_design_step() -> None:
    ctx = base.seed_base()
    measurement_demo.seed(ctx)
    demo.seed(ctx)
    coalition = ctx.coalition
    assessment = coalition.assessment
    assert assessment.key_findings and assessment.stakeholders.count() == 7
    assert Asset.objects.filter(coalition=coalition).count() == len(demo.ASSETS)
    nodes = ProblemNode.objects.filter(coalition=coalition)
    assert nodes.filter(is_archived=True, merged_into__isnull=False).count() == 1
    assert nodes.filter(kind="effect", is_archived=False).count() == len(demo.EFFECTS)
    assert nodes.exclude(evidence="").exists()
    vote = DotVote.objects.get(coalition=coalition)
    assert vote.status == "closed" and vote.result["ballots"] > 0
    assert all(b.dots_spent <= b.budget for b in vote.ballots.all())
    chosen = Priority.objects.filter(coalition=coalition, status="chosen")
    assert chosen.count() == demo.CHOSEN and all(p.indicators.exists() for p in chosen)
    assert Priority.objects.filter(coalition=coalition, status="set_aside").count() == 1
    current = queries.current_agenda(coalition)
    signed, total = queries.charter_signatory_share(coalition)
    assert current.number == 1 and 0 < signed == total - 2
    assert queries.agenda_draft(coalition).change_note
