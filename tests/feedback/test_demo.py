"""The demo's listening: a year of feedback in every state and three survey rounds with a rising trend."""

from __future__ import annotations

import pytest

from coalition.demo import base
from coalition.feedback import demo, queries
from coalition.feedback.models import Feedback, Status


@pytest.mark.django_db
def test_the_demo_has_feedback_in_every_state_and_a_rising_trend() -> None:
    ctx = base.seed_base()
    demo.seed(ctx)
    items = Feedback.objects.filter(coalition=ctx.coalition)
    assert {f.status for f in items} == set(Status.values)
    assert items.filter(on_public_page=True).exists()
    days = sorted(f.received_on for f in items)
    assert (days[-1] - days[0]).days >= 330
    trends = dict(queries.trends(ctx.coalition))
    satisfaction = [value for _label, value in trends["Member satisfaction"]]
    assert len(satisfaction) == 3 and None not in satisfaction
    assert satisfaction[0] < satisfaction[1] < satisfaction[2]  # type: ignore[operator]
    months = queries.response_times(ctx.coalition)
    assert len(months) >= 12 and any(m.median_days_to_close is not None for m in months)
