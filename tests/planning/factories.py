"""Builders for co-design records in tests (direct fixtures, or through actions where rules matter)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from coalition.coalitions.access import Access, get_access
from coalition.coalitions.models import Coalition
from coalition.measurement.models import Indicator
from coalition.planning import actions
from coalition.planning.models import AgendaVersion, Asset, DotVote, Priority, ProblemNode


def hub_access(coalition: Coalition) -> Access:
    hub = coalition.memberships.filter(roles__role="hub", is_active=True).first()
    return get_access(hub.user, coalition.pk)


def access_for(user: Any, coalition: Coalition) -> Access:
    return get_access(user, coalition.pk)


def make_indicator(coalition: Coalition, name: str = "Children attending clubs", **fields: Any) -> Indicator:
    fields.setdefault("starts_on", dt.date(2026, 1, 1))
    fields.setdefault("is_shared", True)
    return Indicator.objects.create(coalition=coalition, name=name, **fields)


def make_asset(coalition: Coalition, name: str = "Town library", **fields: Any) -> Asset:
    fields.setdefault("kind", Asset.Kind.LIBRARY)
    return Asset.objects.create(coalition=coalition, name=name, **fields)


def make_core(coalition: Coalition, text: str = "Children have nowhere safe to go after school") -> ProblemNode:
    return ProblemNode.objects.filter(coalition=coalition, kind="core", is_archived=False).first() or (
        ProblemNode.objects.create(coalition=coalition, kind=ProblemNode.Kind.CORE, text=text)
    )


def make_node(
    coalition: Coalition, text: str = "Few clubs run after 3 pm", kind: str = "cause", parent=None
) -> ProblemNode:
    return ProblemNode.objects.create(coalition=coalition, kind=kind, text=text, parent=parent or make_core(coalition))


def make_priority(coalition: Coalition, title: str | None = None, **fields: Any) -> Priority:
    title = title or f"Priority {Priority.objects.count() + 1}"
    return Priority.objects.create(coalition=coalition, title=title, **fields)


def make_vote(coalition: Coalition, budget: int = 3, priorities: int = 3, **fields: Any) -> DotVote:
    """An open dot vote (closing any vote already open in the coalition first)."""
    DotVote.objects.filter(coalition=coalition, status="open").update(status="closed")
    vote = DotVote.objects.create(coalition=coalition, title="Rank priorities", budget=budget, **fields)
    vote.priorities.set([make_priority(coalition) for _ in range(priorities)])
    return vote


def make_published_agenda(coalition: Coalition, **fields: Any) -> AgendaVersion:
    access = hub_access(coalition)
    fields.setdefault("problem_statement", "Children lack safe places after school.")
    fields.setdefault("vision", "Every child has somewhere safe to go.")
    fields.setdefault("charter_text", "Members share data and attend meetings.")
    fields.setdefault("coordinator", access.membership)
    draft = actions.do_save_agenda_draft(access, **fields)
    return actions.do_publish_agenda(access, draft)
