"""Objects inside a given coalition, for the URL-generated isolation tests (tests/test_isolation.py)."""

from __future__ import annotations

from coalition.measurement import actions
from coalition.measurement.models import Submission
from tests import factories
from tests.measurement import builders


def _submission(coalition):
    indicator = builders.make_indicator(coalition)
    organisation = factories.make_stakeholder(coalition)
    access = builders.hub_access(coalition)
    actions.do_enter_values(access, indicator, organisation, builders.START, [builders.entry(3)])
    return Submission.objects.get(indicator=indicator, organisation=organisation)


FACTORIES = {
    "indicator_id": lambda coalition: builders.make_indicator(coalition).pk,
    "category_id": lambda coalition: builders.make_category(coalition, name=f"Category {coalition.pk}").pk,
    "option_id": lambda coalition: builders.options_of(builders.make_category(coalition, name=f"Band {coalition.pk}"))[
        0
    ],
    "submission_id": lambda coalition: _submission(coalition).pk,
    "organisation_id": lambda coalition: factories.make_stakeholder(coalition).pk,
    # Non-object route keywords of the measurement screens.
    "period": lambda coalition: "2025-Q1",
    "table": lambda coalition: "series",
}
