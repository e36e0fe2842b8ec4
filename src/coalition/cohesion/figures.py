"""Cohesion figures computed from the records of meetings, the charter, joint action and the network rounds.

Each figure is read in two steps: ``load_*`` fetches the plain rows a whole series needs (a fixed number of
queries, however many periods, members or years), and a pure function picks, for one period, the records the
figure counts. The figure is the size (or share) of that pick, and the records page lists the same pick:
the number shown and the records linked to it cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property, lru_cache
from typing import Any

from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from coalition.coalitions.models import Coalition
from coalition.joint_action import calc as ja_calc
from coalition.joint_action.models import Action, JointActionPlan
from coalition.meetings.models import Attendance, Meeting
from coalition.network import metrics
from coalition.network.models import Actor, Answer, RelationType, Respondent, SurveyRound
from coalition.planning.models import AgendaVersion, Signature

Period = tuple[dt.date, dt.date]
SeriesFn = Callable[[Coalition, Sequence[Period]], dict[dt.date, Decimal | None]]
CONSISTENT_SHARE = Decimal("0.75")  # present at three meetings in four, or more
HUNDRED = Decimal(100)


def _day(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localtime(moment).date() if moment is not None else None


def _span(spans: Sequence[Period]) -> Period:
    return min(first for first, _l in spans), max(last for _f, last in spans)


def percent(part: int, whole: int) -> Decimal | None:
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(Decimal("0.01")) if whole else None


# --- Meetings: members consistently attending --------------------------------------------------------


@dataclass(frozen=True)
class AttendanceRows:
    held: dict[int, dt.date]  # meeting id → local date, for meetings whose attendance was taken
    present: dict[int, set[int]]  # meeting id → organisations with someone present


def load_attendance(coalition: Coalition, spans: Sequence[Period]) -> AttendanceRows:
    """Two queries: the period's meetings (not cancelled) whose attendance was taken, and which organisations
    had someone present at each (pairs only, counted once: the rows the figure needs and no more)."""
    first, last = _span(spans)
    window = {
        "coalition": coalition,
        "status": Meeting.Status.SCHEDULED,
        "starts_at__gte": _aware(first) - dt.timedelta(days=1),
        "starts_at__lt": _aware(last) + dt.timedelta(days=2),
    }
    held = {
        pk: _day(starts_at) or first
        for pk, starts_at in Meeting.objects.filter(**window, attendance__isnull=False)
        .distinct()
        .values_list("pk", "starts_at")
    }
    present: dict[int, set[int]] = defaultdict(set)
    for meeting_id, org in (
        Attendance.objects.filter(
            status=Attendance.Status.PRESENT, **{f"meeting__{k}": v for k, v in window.items()}
        )
        .annotate(org=Coalesce("organisation_id", "membership__organisation_id"))
        .filter(org__isnull=False)
        .values_list("meeting_id", "org")
        .distinct()
    ):
        present[meeting_id].add(org)
    return AttendanceRows(held, dict(present))


def _aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@dataclass(frozen=True)
class AttendancePick:
    meetings: list[int]
    attended: dict[int, int]  # organisation → meetings of the period it attended
    consistent: list[int]  # organisations present at ≥ 75 % of them


def pick_attendance(rows: AttendanceRows, first: dt.date, last: dt.date) -> AttendancePick:
    meetings = sorted(m for m, day in rows.held.items() if first <= day <= last)
    attended: dict[int, int] = defaultdict(int)
    for meeting in meetings:
        for org in rows.present.get(meeting, ()):
            attended[org] += 1
    need = CONSISTENT_SHARE * len(meetings)
    consistent = sorted(org for org, n in attended.items() if n >= need)
    return AttendancePick(meetings, dict(attended), consistent)


def consistent_attendance(coalition: Coalition, spans: Sequence[Period]) -> dict[dt.date, Decimal | None]:
    rows = load_attendance(coalition, spans)
    found: dict[dt.date, Decimal | None] = {}
    for first, last in spans:
        pick = pick_attendance(rows, first, last)
        found[first] = Decimal(len(pick.consistent)) if pick.meetings else None
    return found


# --- Charter: member organisations that signed the current version ------------------------------------


@dataclass(frozen=True)
class CharterRows:
    versions: list[tuple[int, dt.date]]  # published versions and the day they were published, oldest first
    signatures: list[tuple[int, int, dt.date]]  # version, organisation, day signed


def load_charter(coalition: Coalition, spans: Sequence[Period]) -> CharterRows:
    """Two queries: the published versions, and the signatures of people who represent an organisation."""
    versions = [
        (pk, _day(at) or dt.date.min)
        for pk, at in AgendaVersion.objects.filter(coalition=coalition, status=AgendaVersion.Status.PUBLISHED)
        .order_by("published_at", "pk")
        .values_list("pk", "published_at")
    ]
    signatures = [
        (version, org, _day(at) or dt.date.min)
        for version, org, at in Signature.objects.filter(
            version__coalition=coalition, membership__organisation__isnull=False
        ).values_list("version_id", "membership__organisation_id", "signed_at")
    ]
    return CharterRows(versions, signatures)


def pick_charter(rows: CharterRows, last: dt.date) -> tuple[int | None, list[int]]:
    """The version current at the end of the period, and the organisations that had signed it by then."""
    current = [pk for pk, day in rows.versions if day <= last]
    if not current:
        return None, []
    version = current[-1]
    return version, sorted({org for v, org, day in rows.signatures if v == version and day <= last})


def charter_signatories(coalition: Coalition, spans: Sequence[Period]) -> dict[dt.date, Decimal | None]:
    rows = load_charter(coalition, spans)
    found: dict[dt.date, Decimal | None] = {}
    for first, last in spans:
        version, orgs = pick_charter(rows, last)
        found[first] = None if version is None else Decimal(len(orgs))
    return found


# --- Joint action: plans, actions completed, follow-through ---------------------------------------------


def load_plans(coalition: Coalition, spans: Sequence[Period]) -> list[tuple[int, dt.date]]:
    """One query: each plan in use and the day it counts from (its start, else the day it was made)."""
    return [
        (pk, starts_on or _day(created) or dt.date.min)
        for pk, starts_on, created in JointActionPlan.objects.filter(
            coalition=coalition, is_archived=False
        ).values_list("pk", "starts_on", "created_at")
    ]


def pick_plans(rows: list[tuple[int, dt.date]], last: dt.date) -> list[int]:
    return sorted(pk for pk, day in rows if day <= last)


def joint_plans(coalition: Coalition, spans: Sequence[Period]) -> dict[dt.date, Decimal | None]:
    rows = load_plans(coalition, spans)
    return {first: Decimal(len(pick_plans(rows, last))) for first, last in spans}


@dataclass(frozen=True)
class ActionRow:
    pk: int
    status: str
    due_on: dt.date
    completed_on: dt.date | None

    @cached_property
    def due_from(self) -> dt.date | None:
        """The first day at whose end the action has come due (``joint_action.calc.follow_through`` as of the
        next day, the action taken as it stood then: one done later was still open): done, or past its due date.
        Dropped actions never come due."""
        if self.status == ja_calc.DROPPED:
            return None
        if self.status == ja_calc.DONE and self.completed_on is not None:
            return min(self.completed_on, self.due_on)
        return self.due_on

    @cached_property
    def on_time_from(self) -> dt.date | None:
        """The first day at whose end it counts as done on time (done by its due date), or None."""
        done = self.status == ja_calc.DONE and self.completed_on is not None
        return self.completed_on if done and self.completed_on and self.completed_on <= self.due_on else None


def load_actions(coalition: Coalition, spans: Sequence[Period]) -> list[ActionRow]:
    """One query: every joint action of the coalition (dropped ones never come due)."""
    return [
        ActionRow(*row)
        for row in Action.objects.filter(coalition=coalition).values_list("pk", "status", "due_on", "completed_on")
    ]


def pick_completed(rows: Sequence[ActionRow], first: dt.date, last: dt.date) -> list[int]:
    return sorted(r.pk for r in rows if r.status == ja_calc.DONE and r.completed_on and first <= r.completed_on <= last)


def actions_completed(coalition: Coalition, spans: Sequence[Period]) -> dict[dt.date, Decimal | None]:
    rows = load_actions(coalition, spans)
    return {first: Decimal(len(pick_completed(rows, first, last))) for first, last in spans}


def pick_follow_through(rows: Sequence[ActionRow], last: dt.date) -> tuple[list[int], list[int]]:
    """The actions that had come due by the end of ``last``, and those of them done on time."""
    due = [r.pk for r in rows if r.due_from is not None and r.due_from <= last]
    on_time = [r.pk for r in rows if r.on_time_from is not None and r.on_time_from <= last]
    return sorted(due), sorted(on_time)


def follow_through(coalition: Coalition, spans: Sequence[Period]) -> dict[dt.date, Decimal | None]:
    rows = load_actions(coalition, spans)
    found: dict[dt.date, Decimal | None] = {}
    for first, last in spans:
        due, on_time = pick_follow_through(rows, last)
        found[first] = percent(len(on_time), len(due))
    return found


# --- Network rounds ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoundFigures:
    pk: int
    name: str
    closed_on: dt.date
    size: int
    density: float
    centralisation: float
    hub_share: float | None  # the hub's direct ties ÷ (n − 1)
    most_central: frozenset[Any]  # keys of the actors with the highest degree
    ties: int = 0  # connected pairs
    hub_ties: int | None = None  # the hub's direct ties; None when the hub is not an actor of the round
    hub_is_most_central: bool = False
    changed: bool | None = None  # whether the most central actors differ from the round before


@dataclass(frozen=True)
class Degrees:
    degree: dict[int, int]  # actor → direct ties
    ties: int  # connected pairs


def degrees(nodes: Sequence[int], links: Iterable[tuple[int, int]]) -> Degrees:
    """Direct ties of each actor over undirected pairs of ``links`` (either direction, once; loops and links
    to actors outside ``nodes`` left out)."""
    known = set(nodes)
    # ``metrics.undirected_pairs`` as ordered tuples, which hash faster than its frozensets.
    pairs = {(s, t) if s < t else (t, s) for s, t in links if s != t and s in known and t in known}
    degree = dict.fromkeys(nodes, 0)
    for a, b in pairs:
        degree[a] += 1
        degree[b] += 1
    return Degrees(degree, len(pairs))


def _actor_key(stakeholder_id: int | None, name: str) -> tuple[str, Any]:
    return ("s", stakeholder_id) if stakeholder_id else ("n", name.casefold())


OPTED_OUT = (Respondent.Status.DECLINED, Respondent.Status.WITHDRAWN)
RoundRow = tuple[int, str, dt.date, int | None]  # pk, name, local day closed, hub organisation
ActorRow = tuple[int, int, int | None, str]  # pk, round, stakeholder, name
LinkRow = tuple[int, int, int]  # round, source actor, target actor


def load_rounds(coalition: Coalition, spans: Sequence[Period] = ()) -> list[RoundFigures]:
    """Three queries: the closed rounds, their actors who did not opt out, and the usable answers (consented
    respondents naming another actor who did not opt out, by any relationship); the measures of each round are
    those of the network page."""
    rounds = tuple(
        (pk, name, _day(closed_at) or dt.date.min, hub)
        for pk, name, closed_at, hub in SurveyRound.objects.filter(
            coalition=coalition, status=SurveyRound.Status.CLOSED, closed_at__isnull=False
        )
        .order_by("closed_at", "pk")
        .values_list("pk", "name", "closed_at", "hub_organisation_id")
    )
    if not rounds:
        return []
    ids = [r[0] for r in rounds]
    actors = tuple(
        Actor.objects.filter(round_id__in=ids)
        .exclude(respondent__status__in=OPTED_OUT)
        .order_by("pk")
        .values_list("pk", "round_id", "stakeholder_id", "name")
    )
    any_relation = Q()
    for flag in RelationType.values:
        any_relation |= Q(**{flag: True})
    links = tuple(
        Answer.objects.filter(any_relation, respondent__round_id__in=ids, respondent__status=Respondent.Status.CONSENTED)
        .exclude(target__respondent__status__in=OPTED_OUT)
        .exclude(target_id=F("respondent__actor_id"))
        .values_list("respondent__round_id", "respondent__actor_id", "target_id")
    )
    return list(measure_rounds(rounds, actors, links))


@lru_cache(maxsize=8)
def measure_rounds(
    rounds: tuple[RoundRow, ...], actors: tuple[ActorRow, ...], links: tuple[LinkRow, ...]
) -> tuple[RoundFigures, ...]:
    """The measures of each round from its plain rows. A pure function of them, so the five network figures of
    one refresh measure the same rows once (the cache holds only what these very rows give)."""
    by_round: dict[int, list[tuple[int, int | None, str]]] = defaultdict(list)
    for pk, round_id, stakeholder_id, name in actors:
        by_round[round_id].append((pk, stakeholder_id, name))
    ties: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for round_id, source, target in links:
        ties[round_id].append((source, target))
    found: list[RoundFigures] = []
    for pk, name, closed_on, hub in rounds:
        listed = by_round[pk]
        nodes = [a[0] for a in listed]
        keys: dict[Any, tuple[str, Any]] = {a[0]: _actor_key(a[1], a[2]) for a in listed}
        # Only the measures shown here (degree, density, centralisation), as ``metrics`` defines them: the
        # network page's betweenness and communities are not needed and cost most of the time.
        counted = degrees(nodes, ties[pk])
        degree = counted.degree
        size = len(nodes)
        top = max(degree.values(), default=0)
        hub_actor = next((a[0] for a in listed if hub and a[1] == hub), None)
        hub_degree = None if hub_actor is None else degree[hub_actor]
        most_central = frozenset(keys[n] for n, d in degree.items() if top and d == top)
        found.append(
            RoundFigures(
                pk=pk,
                name=name,
                closed_on=closed_on,
                size=size,
                density=metrics.density(size, counted.ties),
                centralisation=metrics.freeman_centralisation(list(degree.values())),
                hub_share=(hub_degree / (size - 1)) if hub_degree is not None and size > 1 else None,
                most_central=most_central,
                ties=counted.ties,
                hub_ties=hub_degree,
                hub_is_most_central=bool(top and hub_degree == top),
                changed=None if not found else most_central != found[-1].most_central,
            )
        )
    return tuple(found)


def pick_round(rounds: Sequence[RoundFigures], last: dt.date) -> RoundFigures | None:
    """The latest round closed by the end of the period."""
    closed = [r for r in rounds if r.closed_on <= last]
    return closed[-1] if closed else None


def _round_figure(read: Callable[[RoundFigures], Decimal | None]) -> SeriesFn:
    def compute_many(coalition: Coalition, spans: Sequence[Period]) -> dict[dt.date, Decimal | None]:
        rounds = load_rounds(coalition, spans)
        found: dict[dt.date, Decimal | None] = {}
        for first, last in spans:
            chosen = pick_round(rounds, last)
            found[first] = None if chosen is None else read(chosen)
        return found

    return compute_many


def share(value: float | None) -> Decimal | None:
    """A fraction as a percentage with two decimals."""
    return None if value is None else (Decimal(str(value)) * HUNDRED).quantize(Decimal("0.01"))


network_size = _round_figure(lambda r: Decimal(r.size))
network_density = _round_figure(lambda r: share(r.density))
network_centralisation = _round_figure(lambda r: share(r.centralisation))
hub_share = _round_figure(lambda r: share(r.hub_share))
most_central_changed = _round_figure(lambda r: None if r.changed is None else Decimal(int(r.changed)))


def one_period(compute_many: SeriesFn) -> Callable[[Coalition, dt.date, dt.date], Decimal | None]:
    """``compute`` for one period, from the series function."""

    def compute(coalition: Coalition, first: dt.date, last: dt.date) -> Decimal | None:
        return compute_many(coalition, [(first, last)]).get(first)

    return compute


def meetings_held_count(coalition: Coalition, first: dt.date, last: dt.date) -> int:
    return len(pick_attendance(load_attendance(coalition, [(first, last)]), first, last).meetings)
