"""Reading a round into plain data for the measures, and applying who may see which names.

Everything shown or exported about a round goes through ``load_round``: actors whose respondent
declined or withdrew are left out here, once, so no view, measure or export can include them.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field, replace
from statistics import fmean
from typing import Any

from django.core.cache import cache
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from coalition.network import metrics
from coalition.network.models import (
    RATING_FIELDS,
    SCALE_MAX,
    TRUST_ITEMS,
    VALUE_ITEMS,
    Actor,
    Answer,
    RelationType,
    Respondent,
    SurveyRound,
)
from coalition.stakeholders.models import Sector

TRUST_FIELDS = tuple(name for name, _label, _help in TRUST_ITEMS)
VALUE_FIELDS = tuple(name for name, _label, _help in VALUE_ITEMS)
# Below this many raters an actor's trust and value scores are hidden from anyone who may not read
# individual answers: with one or two raters the average would give away what they said.
MIN_RATERS = 3
SECTOR_LABELS = dict(Sector.choices)


@dataclass(frozen=True)
class ActorInfo:
    id: int
    number: int
    name: str
    sector: str
    is_organisation: bool
    is_member: bool
    stakeholder_id: int | None
    named: bool  # agreed to be named to members
    responded: bool

    @property
    def sector_label(self) -> str:
        return str(SECTOR_LABELS.get(self.sector, self.sector))

    @property
    def key(self) -> tuple[str, Any]:
        """Identifies the same actor across rounds."""
        return ("s", self.stakeholder_id) if self.stakeholder_id else ("n", self.name.casefold())

    def anonymous_label(self) -> str:
        kind = _("Organisation") if self.is_organisation else _("Person")
        return f"{kind} {self.number}, {self.sector_label.lower()}"


@dataclass
class RoundData:
    survey: SurveyRound
    actors: list[ActorInfo]  # only those who may appear (opted-out actors already removed)
    reports: list[metrics.Report]
    reveal_names: bool
    by_id: dict[int, ActorInfo] = field(init=False)

    def __post_init__(self) -> None:
        self.by_id = {a.id: a for a in self.actors}

    def label(self, actor_id: int) -> str:
        actor = self.by_id[actor_id]
        return actor.name if self.reveal_names or actor.named else actor.anonymous_label()

    def ties(self, relation: str | None = None) -> set[tuple[int, int]]:
        return metrics.select_ties(self.reports, relation)

    @property
    def hub_actor_id(self) -> int | None:
        """The actor standing for the round's hub organisation, if it is in the network."""
        hub = self.survey.hub_organisation_id
        return next((a.id for a in self.actors if hub and a.stakeholder_id == hub), None)


def _mean(values: list[int | None]) -> float | None:
    given = [v for v in values if v is not None]
    return fmean(given) if given else None


OPTED_OUT = (Respondent.Status.DECLINED, Respondent.Status.WITHDRAWN)


def visible_answers(survey: SurveyRound) -> QuerySet[Answer]:
    """Answers that may be used: from consenting respondents, about actors who have not opted out."""
    return (
        Answer.objects.filter(respondent__round=survey, respondent__status=Respondent.Status.CONSENTED)
        .exclude(target__respondent__status__in=OPTED_OUT)
        .order_by("respondent__actor__name", "target__name")
    )


def with_pseudonyms(actors: list[ActorInfo]) -> list[ActorInfo]:
    """Number ``actors`` afresh: a new random permutation on every call, 1..k without gaps for each kind
    (organisations, people), so a number says nothing about a name, an id, the order of entry or who opted
    out. Named actors come first by name, then the others by kind and number: row order reveals nothing."""
    pick = secrets.SystemRandom()
    named = sorted((a for a in actors if a.named), key=lambda a: (a.name.casefold(), a.id))
    numbered: list[ActorInfo] = []
    for is_organisation in (True, False):
        group = [a for a in actors if not a.named and a.is_organisation == is_organisation]
        numbers = list(range(1, len(group) + 1))
        pick.shuffle(numbers)
        numbered += sorted((replace(a, number=n) for a, n in zip(group, numbers, strict=True)), key=lambda a: a.number)
    return named + numbered


def load_round(survey: SurveyRound, *, reveal_names: bool) -> RoundData:
    opted_out = set(Respondent.objects.filter(round=survey, status__in=OPTED_OUT).values_list("actor_id", flat=True))
    respondents = dict(
        Respondent.objects.filter(round=survey, status=Respondent.Status.CONSENTED).values_list(
            "actor_id", "agrees_to_be_named"
        )
    )
    actors = [
        ActorInfo(
            id=a.pk,
            number=0,  # replaced by a pseudonym number below
            name=a.name,
            sector=a.sector,
            is_organisation=a.is_organisation,
            is_member=a.is_member,
            stakeholder_id=a.stakeholder_id,
            named=respondents.get(a.pk, False),
            responded=a.pk in respondents,
        )
        for a in Actor.objects.filter(round=survey).order_by("number")
        if a.pk not in opted_out
    ]
    actors = with_pseudonyms(actors)
    if reveal_names:
        actors.sort(key=lambda a: (a.name.casefold(), a.id))
    fields = ("respondent__actor_id", "target_id", *RelationType.values, *RATING_FIELDS)
    reports = []
    for row in visible_answers(survey).values_list(*fields):
        source, target, *rest = row
        flags = rest[: len(RelationType.values)]
        ratings = dict(zip(RATING_FIELDS, rest[len(RelationType.values) :], strict=True))
        reports.append(
            metrics.Report(
                source=source,
                target=target,
                types=frozenset(t for t, on in zip(RelationType.values, flags, strict=True) if on),
                trust=_mean([ratings[f] for f in TRUST_FIELDS]),
                value=_mean([ratings[f] for f in VALUE_FIELDS]),
            )
        )
    return RoundData(survey=survey, actors=actors, reports=reports, reveal_names=reveal_names)


@dataclass
class Analysis:
    """A round's measures for one relationship type, with rows ready for tables."""

    data: RoundData
    relation: str | None
    ties: set[tuple[int, int]]
    result: metrics.NetworkMetrics
    ratings: metrics.Ratings
    show_individual_scores: bool

    def rows(self) -> list[dict[str, Any]]:
        r, rt = self.result, self.ratings
        rows = []
        for actor in self.data.actors:
            enough = self.show_individual_scores or rt.raters.get(actor.id, 0) >= MIN_RATERS
            rows.append(
                {
                    "id": actor.id,
                    "label": self.data.label(actor.id),
                    "sector": actor.sector,
                    "sector_label": actor.sector_label,
                    "is_member": actor.is_member,
                    "responded": actor.responded,
                    "degree": r.degree[actor.id],
                    "in_degree": r.in_degree[actor.id],
                    "betweenness": r.betweenness[actor.id],
                    "reach": r.reach[actor.id],
                    "trust": rt.trust.get(actor.id) if enough else None,
                    "value": rt.value.get(actor.id) if enough else None,
                    "raters": rt.raters.get(actor.id, 0),
                }
            )
        return rows

    def top(self, key: str, count: int = 5) -> list[dict[str, Any]]:
        ranked = sorted((row for row in self.rows() if row[key] > 0), key=lambda row: (-row[key], row["label"]))
        return ranked[:count]

    @property
    def trust_percent(self) -> float | None:
        return metrics.Ratings.percent(self.ratings.network_trust, SCALE_MAX)

    @property
    def value_percent(self) -> float | None:
        return metrics.Ratings.percent(self.ratings.network_value, SCALE_MAX)

    def hub_place(self) -> dict[str, Any]:
        """The hub's share of direct ties (its ties ÷ (n − 1)) and its brokerage, beside the round's
        density and centralisation: ``None`` where the hub is not in the network."""
        hub, r = self.data.hub_actor_id, self.result
        return {
            "round": self.data.survey,
            "degree_share": r.degree[hub] / (r.size - 1) if hub is not None and r.size > 1 else None,
            "betweenness": r.betweenness[hub] if hub is not None else None,
            "centralisation": r.centralisation,
            "density": r.density,
        }

    def keyed_pairs(self) -> set[frozenset]:
        """The ties as pairs of actor keys, which mean the same actors in every round."""
        keys = {a.id: a.key for a in self.data.actors}
        return {frozenset((keys[s], keys[t])) for s, t in self.ties}

    def suggestions(self) -> dict[str, Any]:
        rows = self.rows()
        by_id = {row["id"]: row for row in rows}
        # Possible conveners: the bridges others trust (or, without enough ratings, the bridges).
        conveners = sorted(
            (row for row in rows if row["betweenness"] > 0),
            key=lambda row: (-(row["betweenness"] * (row["trust"] or SCALE_MAX / 2)), row["label"]),
        )[:3]
        isolated = [by_id[i] for i in self.result.isolates if by_id[i]["is_member"]]
        weakly = [row for row in rows if row["is_member"] and row["degree"] == 1]
        gaps = metrics.sector_gaps({a.id: a.sector for a in self.data.actors}, self.ties)
        return {
            "conveners": conveners,
            "isolated_members": isolated,
            "weakly_tied_members": weakly,
            "sector_gaps": [(str(SECTOR_LABELS[a]), str(SECTOR_LABELS[b])) for a, b in gaps],
        }


def round_key(survey: SurveyRound) -> str:
    """Names one version of a round's answers, for caching what is computed from them."""
    return f"{survey.pk}:{survey.created_at.timestamp()}:{survey.data_version}"


def analyse(survey: SurveyRound, *, reveal_names: bool, relation: str | None = None) -> Analysis:
    """The measures of ``survey`` (cached per round version and relationship type)."""
    if relation is not None and relation not in RelationType.values:
        relation = None
    data = load_round(survey, reveal_names=reveal_names)
    key = f"network:metrics:{round_key(survey)}:{relation or 'any'}"
    cached = cache.get(key)
    ties = data.ties(relation)
    if cached is None:
        cached = (metrics.compute([a.id for a in data.actors], ties), metrics.ratings(data.reports))
        cache.set(key, cached, 3600)
    result, ratings = cached
    return Analysis(
        data, relation, ties, result, ratings, show_individual_scores=survey.hub_sees_answers and reveal_names
    )


def compare_rounds(before: Analysis, after: Analysis) -> metrics.Comparison:
    """What changed from one round to a later one, with ties matched across rounds by actor key."""
    return metrics.compare(before.result, after.result, before.keyed_pairs(), after.keyed_pairs())
