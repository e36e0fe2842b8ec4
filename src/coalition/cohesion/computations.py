"""The cohesion figures offered as computed indicators, and the catalogue of every cohesion figure the
issue lists, including those other apps register (looked up by key: absent ones read "not yet measured")."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from coalition.coalitions.models import Coalition
from coalition.cohesion import figures
from coalition.measurement.computed import Computation, RecordsUrl, computation, register_computation


def records_url(key: str) -> RecordsUrl:
    """The cohesion records page of ``key`` for one period: it lists exactly what the figure counts."""

    def url(coalition: Coalition, first: dt.date, last: dt.date) -> str | None:
        query = urlencode({"key": key, "first": first.isoformat(), "last": last.isoformat()})
        return f"{reverse('cohesion:records', args=[coalition.pk])}?{query}"

    return url


def _make(
    key: str,
    label: str | Promise,
    definition: str | Promise,
    kind: str,
    many: figures.SeriesFn,
    *,
    unit: str | Promise = "",
    time_aggregation: str = "latest",
    direction: str = "increase",
) -> Computation:
    return Computation(
        key=key,
        label=label,
        definition=definition,
        kind=kind,
        compute=figures.one_period(many),
        compute_many=many,
        unit=unit,
        records_url=records_url(key),
        time_aggregation=time_aggregation,
        direction=direction,
    )


OWN: tuple[Computation, ...] = (
    _make(
        "cohesion.consistent_attendance",
        _("Members consistently attending"),
        _(
            "Member organisations with someone present at three in four or more of the meetings held in the "
            "period whose attendance was taken (cancelled meetings left out)."
        ),
        "count",
        figures.consistent_attendance,
        unit=_("organisations"),
    ),
    _make(
        "cohesion.charter_signatories",
        _("Member organisations that signed the current charter"),
        _("Organisations whose representative had signed the charter version in force at the end of the period."),
        "count",
        figures.charter_signatories,
        unit=_("organisations"),
    ),
    _make(
        "cohesion.joint_plans",
        _("Joint action plans"),
        _("Joint action plans in use (not archived) that had started by the end of the period."),
        "count",
        figures.joint_plans,
        unit=_("plans"),
    ),
    _make(
        "cohesion.actions_completed",
        _("Joint actions completed"),
        _("Joint actions marked done with a completion date in the period."),
        "count",
        figures.actions_completed,
        unit=_("actions"),
        time_aggregation="sum",
    ),
    _make(
        "cohesion.follow_through",
        _("Follow-through rate"),
        _(
            "Of the joint actions that had come due by the end of the period (done, or past their due date), "
            "the share done on or before their due date. Dropped actions never come due."
        ),
        "percentage",
        figures.follow_through,
        unit="%",
    ),
    _make(
        "cohesion.network_size",
        _("Network size"),
        _("Actors in the latest network round closed by the end of the period (those who opted out left out)."),
        "count",
        figures.network_size,
        unit=_("actors"),
    ),
    _make(
        "cohesion.network_density",
        _("Network density"),
        _("Connected pairs of actors, of every pair that could be connected, in the latest closed round."),
        "percentage",
        figures.network_density,
        unit="%",
    ),
    _make(
        "cohesion.network_centralisation",
        _("Degree centralisation"),
        _("Freeman degree centralisation of the latest closed round: 100 for a star, 0 when all are equal."),
        "percentage",
        figures.network_centralisation,
        unit="%",
        direction="decrease",
    ),
    _make(
        "cohesion.hub_share",
        _("Hub's share of direct ties"),
        _("The hub organisation's direct ties divided by the other actors in the latest closed round."),
        "percentage",
        figures.hub_share,
        unit="%",
        direction="decrease",
    ),
    _make(
        "cohesion.most_central_changed",
        _("Change in who is most central"),
        _("Yes (1) when the actors with the most direct ties differ from those of the round before."),
        "yes_no",
        figures.most_central_changed,
    ),
)


def register() -> None:
    for item in OWN:
        register_computation(item)


@dataclass(frozen=True)
class CatalogueEntry:
    key: str
    label: str | Promise

    @property
    def computation(self) -> Computation | None:
        return computation(self.key)


# The cohesion indicators of the facilitators' guide, in its order. Keys of other apps are looked up.
CATALOGUE: tuple[CatalogueEntry, ...] = (
    CatalogueEntry("cohesion.consistent_attendance", _("Members consistently attending")),
    CatalogueEntry("cohesion.charter_signatories", _("Member organisations that signed the current charter")),
    CatalogueEntry("cohesion.joint_plans", _("Joint action plans")),
    CatalogueEntry("cohesion.actions_completed", _("Joint actions completed")),
    CatalogueEntry("cohesion.follow_through", _("Follow-through rate")),
    CatalogueEntry("funding.resources_mobilised", _("Resources mobilised")),
    CatalogueEntry("feedback.satisfaction", _("Satisfaction with the coalition")),
    CatalogueEntry("feedback.likely_to_stay", _("Likelihood to stay")),
    CatalogueEntry("feedback.perceived_progress", _("Perceived progress")),
    CatalogueEntry("feedback.well_managed", _("Coalition well managed")),
    CatalogueEntry("feedback.trust_members", _("Trust in other members")),
    CatalogueEntry("feedback.trust_hub", _("Trust in the hub")),
    CatalogueEntry("cohesion.network_size", _("Network size")),
    CatalogueEntry("cohesion.network_density", _("Network density")),
    CatalogueEntry("cohesion.network_centralisation", _("Degree centralisation")),
    CatalogueEntry("cohesion.most_central_changed", _("Change in who is most central")),
    CatalogueEntry("cohesion.hub_share", _("Hub's share of direct ties")),
)
