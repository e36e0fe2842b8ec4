"""The bulk write of imports: a first import is inserted without ``ON CONFLICT`` (on PostgreSQL), and
whatever the order of files, what is stored equals the last value each file gave per identity.

Both tests run on either engine (``DATABASE_URL``); on PostgreSQL they go through the COPY path."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from coalition.measurement import actions, imports
from coalition.measurement.models import DataValue, OptionCombination, Submission
from tests import factories
from tests.measurement.builders import hub_access, make_category, make_indicator

HEADER = "indicator,period,organisation,sex,value"


@pytest.mark.django_db
def test_a_value_stored_between_the_check_and_the_write_is_updated_not_refused(world, monkeypatch) -> None:
    """The file is checked as a first import (nothing stored: insert only); a member then enters one of
    its values and a review state for its period before the write. The insert meets them, so the
    import falls back to the upserts: the file's figure wins and the period is submitted for review."""
    hub = hub_access(world.coalition)
    indicator = make_indicator(world.coalition, "Children attending", frequency="monthly")
    data = "indicator,period,organisation,value\nChildren attending,2025-01,Member Org,12\nChildren attending,2025-02,Member Org,5\n"
    checked = imports.preview_import

    def then_a_member_writes(*args, **kwargs):
        preview = checked(*args, **kwargs)
        assert preview.fresh and len(preview.for_review) == 2
        total = actions.ensure_combinations(world.coalition, [()])[OptionCombination.key_for(())]
        january = dt.date(2025, 1, 1)
        DataValue.objects.create(
            coalition=world.coalition,
            indicator=indicator,
            period_start=january,
            organisation=world.member_org,
            combination_id=total,
            value=Decimal(3),
        )
        Submission.objects.create(
            coalition=world.coalition, indicator=indicator, period_start=january, organisation=world.member_org
        )
        return preview

    monkeypatch.setattr(imports, "preview_import", then_a_member_writes)
    batch, preview = imports.do_import_values(hub, data.encode(), "values.csv")
    assert batch is not None, preview.grouped
    stored = dict(DataValue.objects.values_list("period_start__month", "value"))
    assert stored == {1: Decimal(12), 2: Decimal(5)}
    assert set(Submission.objects.values_list("state", flat=True)) == {Submission.State.SUBMITTED}


ORGANISATIONS = ("Member Org", "Second Org")
MONTHS = ("2025-01", "2025-02", "2025-03")
CELLS = ("", "Female", "Male")  # the total, or one option of the category
# One file: identity (organisation, month, cell) -> value; identities are distinct within a file.
files = st.lists(
    st.dictionaries(
        st.tuples(st.sampled_from(ORGANISATIONS), st.sampled_from(MONTHS), st.sampled_from(CELLS)),
        st.integers(0, 50),
        min_size=1,
    ),
    min_size=1,
    max_size=4,
)


class LastValueWins(HypothesisTestCase):
    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(files)
    def test_stored_values_are_each_identitys_last_imported_value(self, contents: list[dict]) -> None:
        hub = factories.make_user("hub")
        coalition = factories.make_coalition("Coalition A", hub=hub)
        for name in ORGANISATIONS:
            factories.make_stakeholder(coalition, name, engagement="member")
        sex = make_category(coalition)
        indicator = make_indicator(coalition, "Children attending", frequency="monthly")
        access = hub_access(coalition)
        actions.do_set_indicator_categories(access, indicator, [sex])
        expected: dict[tuple, Decimal] = {}  # brute force: every file's values in turn, later ones win
        for content in contents:
            rows = [f"Children attending,{m},{o},{c},{v}" for (o, m, c), v in content.items()]
            batch, preview = imports.do_import_values(access, "\n".join([HEADER, *rows]).encode(), "values.csv")
            assert batch is not None, preview.grouped
            expected.update({key: Decimal(value) for key, value in content.items()})
        cell_names = {
            c.pk: "".join(o.name for o in c.options.all())
            for c in OptionCombination.objects.filter(coalition=coalition).prefetch_related("options")
        }
        stored = {
            (v.organisation.name, v.period_start.strftime("%Y-%m"), cell_names[v.combination_id]): v.value
            for v in DataValue.objects.select_related("organisation")
        }
        assert stored == expected
