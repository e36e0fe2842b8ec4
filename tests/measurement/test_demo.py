"""The demo coalition's measurement data: shared indicators first, two years of reviewed data."""

from __future__ import annotations

import pytest

from coalition.demo import base
from coalition.measurement import demo, queries, summary
from coalition.measurement.models import DataValue, Submission

pytestmark = pytest.mark.django_db


def test_demo_seed_gives_three_shared_indicators_with_two_years_of_data() -> None:
    ctx = base.seed_base()
    demo.seed(ctx)  # bulk: one generated import, then a few review actions
    brief = summary.shared_indicator_summary(ctx.coalition)
    assert len(brief) == 3 and all(s.latest_value is not None for s in brief)
    rows = queries.scorecard(ctx.coalition)
    assert len(rows) == 6 and [r.indicator.is_shared for r in rows[:3]] == [True] * 3
    assert DataValue.objects.filter(coalition=ctx.coalition).count() > 500
    states = set(Submission.objects.values_list("state", flat=True))
    assert {"locked", "approved", "submitted"} <= states
    attending = rows[0].indicator
    completeness = queries.completeness(attending, ctx.today)
    assert 0 < completeness.missing < len(completeness.periods) * len(completeness.rows)
