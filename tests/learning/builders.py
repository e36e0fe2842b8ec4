"""Builders for learning tests, through the actions as the product does."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from coalition.coalitions.access import Access, get_access
from coalition.coalitions.models import Coalition
from coalition.learning import actions
from coalition.learning.models import Outcome, Pause, Story, StoryDomain
from tests.joint_action.builders import hub_of


def hub_access(coalition: Coalition) -> Access:
    return get_access(hub_of(coalition), coalition.pk)


def pause(coalition: Coalition, **fields: Any) -> Pause:
    today = timezone.localdate()
    values: dict[str, Any] = {"period_start": today - dt.timedelta(weeks=8), "period_end": today}
    values.update(fields)
    return actions.do_hold_pause(hub_of(coalition), coalition, **values)


def domain(coalition: Coalition, name: str = "Children's confidence") -> StoryDomain:
    found = StoryDomain.objects.filter(coalition=coalition, name=name).first()
    return found or actions.do_save_domain(hub_of(coalition), coalition, name=name)


def story(coalition: Coalition, *, in_domain: StoryDomain | None = None, **fields: Any) -> Story:
    values: dict[str, Any] = {
        "title": "A quiet boy reads aloud",
        "text": "He read to the group for the first time.",
        "storyteller": "Amal Rivers",
        "told_on": timezone.localdate(),
        "consent_internal": True,
        "consent_public": True,
        "consent_named": True,
    }
    values.update(fields)
    return actions.do_submit_story(hub_of(coalition), coalition, domain=in_domain or domain(coalition), **values)


def outcome(coalition: Coalition, **fields: Any) -> Outcome:
    values: dict[str, Any] = {
        "description": "The council opened the library on Saturdays.",
        "social_actor": "City council",
        "happened_on": timezone.localdate() - dt.timedelta(days=10),
        "contribution": "Members presented reading figures to the council.",
    }
    values.update(fields)
    return actions.do_save_outcome(hub_of(coalition), coalition, **values)


def selection_round(coalition: Coalition) -> Any:
    picked = story(coalition)
    return actions.do_record_selection(
        hub_of(coalition),
        coalition,
        title="Spring round",
        held_on=timezone.localdate(),
        panel="Two parents, two youth workers",
        picks=[(picked.domain, picked, "It shows a change nobody planned for.")],
    )
