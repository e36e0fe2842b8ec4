from __future__ import annotations

from typing import Any

from coalition.core.models import AuditEvent
from coalition.demo import base
from coalition.demo.management.commands.seed_demo import APP_SEEDS
from coalition.stakeholders import demo
from coalition.stakeholders.models import ContactPerson, Interview


def test_demo_adds_contacts_interviews_and_engagement_moves(db: Any) -> None:
    ctx = base.seed_base()
    demo.seed(ctx)
    assert ContactPerson.objects.filter(stakeholder__coalition=ctx.coalition).count() == len(demo.CONTACTS)
    assert Interview.objects.filter(stakeholder__coalition=ctx.coalition).count() == len(demo.INTERVIEWS)
    assert ctx.stakeholders["Metro Transit Authority"].engagement == "contacted"
    assert AuditEvent.objects.filter(coalition=ctx.coalition, verb="stakeholder.engagement_changed").count() == 2


def test_stakeholder_seed_runs_first() -> None:
    assert APP_SEEDS[0] == "stakeholders"
