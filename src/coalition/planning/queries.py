"""Read-side helpers for co-design: who may do what, the tree, vote state, agenda versions and signatures."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

from coalition.coalitions.access import Access, Rule, scoped_get
from coalition.coalitions.models import Coalition, Membership, WorkingGroup
from coalition.core.permissions import Perm, permissions_for_roles
from coalition.measurement.summary import shared_indicator_summary
from coalition.planning import calc, tree
from coalition.planning.models import AgendaVersion, Asset, Ballot, BallotDot, DotVote, Priority, ProblemNode, Signature

# --- Who may do what ------------------------------------------------------------------------------


def in_codesign_group(membership: Membership) -> bool:
    return WorkingGroup.objects.filter(
        coalition_id=membership.coalition_id, is_codesign_group=True, members=membership
    ).exists()


def can_codesign(access: Access) -> bool:
    """Edit the problem tree and the common agenda: the hub, facilitators, the steering committee
    (``EDIT_AGENDA``) and every participating member (``CODESIGN_IN_GROUP``) of a co-design working group."""
    return access.can(Perm.EDIT_AGENDA) or (access.can(Perm.CODESIGN_IN_GROUP) and in_codesign_group(access.membership))


CODESIGN = Rule(
    "members of a co-design working group edit the tree and the agenda",
    perm=Perm.CODESIGN_IN_GROUP,
    bypass=Perm.EDIT_AGENDA,
    check=lambda request, access, **_: in_codesign_group(access.membership),
)
CODESIGN_WRITES = replace(CODESIGN, writes_only=True)


def active_members(coalition: Coalition) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(coalition=coalition, is_active=True)
        .select_related("user", "organisation")
        .prefetch_related("roles")
    )


def members_with(coalition: Coalition, perm: Perm) -> list[Membership]:
    return [m for m in active_members(coalition) if perm in permissions_for_roles(m.role_codes)]


def may_vote(access: Access, vote: DotVote) -> bool:
    if not access.can(Perm.VOTE_PRIORITY):
        return False
    return not vote.codesign_group_only or in_codesign_group(access.membership)


def _may_vote_in(request: HttpRequest, access: Access, vote_id: int) -> bool:
    return may_vote(access, scoped_get(access, DotVote, pk=vote_id))


VOTE = Rule(
    "voters place dots; a co-design vote takes only its working group's dots",
    perm=Perm.VOTE_PRIORITY,
    check=_may_vote_in,
    writes_only=True,
)


def eligible_voters(vote: DotVote) -> list[Membership]:
    voters = members_with(vote.coalition, Perm.VOTE_PRIORITY)
    if vote.codesign_group_only:
        group_ids = set(
            Membership.objects.filter(
                working_groups__coalition=vote.coalition, working_groups__is_codesign_group=True
            ).values_list("pk", flat=True)
        )
        voters = [m for m in voters if m.pk in group_ids]
    return voters


# --- Assets -----------------------------------------------------------------------------------------


def asset_map(coalition: Coalition, by: str = "kind") -> list[tuple[str, list[tuple[str, list[Asset]]]]]:
    """Assets grouped by type then place (``by="kind"``) or by place then type (``by="place"``)."""
    assets = Asset.objects.filter(coalition=coalition, is_archived=False).select_related("owner")
    groups: dict[str, dict[str, list[Asset]]] = defaultdict(lambda: defaultdict(list))
    for asset in assets:
        kind, place = str(asset.get_kind_display()), asset.place or "—"
        outer, inner = (kind, place) if by == "kind" else (place, kind)
        groups[outer][inner].append(asset)
    return [
        (
            outer,
            [(inner, sorted(items, key=lambda a: a.name.lower())) for inner, items in sorted(groups[outer].items())],
        )
        for outer in sorted(groups)
    ]


# --- Problem tree -------------------------------------------------------------------------------------


def core_problem(coalition: Coalition, for_update: bool = False) -> ProblemNode | None:
    qs = ProblemNode.objects.filter(coalition=coalition, kind=ProblemNode.Kind.CORE, is_archived=False)
    return (qs.select_for_update() if for_update else qs).first()


def live_nodes(coalition: Coalition) -> QuerySet[ProblemNode]:
    return ProblemNode.objects.filter(coalition=coalition, is_archived=False)


def descendant_ids(node: ProblemNode) -> set[int]:
    """Ids of every live or archived box hanging (directly or not) under ``node``."""
    found: set[int] = set()
    frontier = [node.pk]
    while frontier:
        frontier = list(ProblemNode.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        found.update(frontier)
    return found


def move_targets(node: ProblemNode) -> list[ProblemNode]:
    """Where ``node`` may move: the core problem or a box on its own side, not on its own branch."""
    excluded = descendant_ids(node) | {node.pk, node.parent_id}
    return [
        n
        for n in live_nodes(node.coalition).filter(kind__in=[ProblemNode.Kind.CORE, node.kind]).order_by("kind", "text")
        if n.pk not in excluded
    ]


def problem_tree(coalition: Coalition) -> tree.TreeNode | None:
    nodes = [
        tree.TreeNode(n.pk, n.kind, n.text, n.parent_id, n.evidence, n.evidence_url)
        for n in live_nodes(coalition).only("pk", "kind", "text", "parent_id", "evidence", "evidence_url")
    ]
    return tree.build(nodes)


# --- Dot votes --------------------------------------------------------------------------------------


def ballot_allocation(ballot: Ballot) -> dict[int, int]:
    return dict(ballot.dots.values_list("priority_id", "dots"))


def tally_vote(vote: DotVote) -> list[calc.Ranked]:
    """Count the stored ballots of ``vote`` (the pure ``calc.tally`` does the ranking)."""
    ballots: dict[int, dict[int, int]] = defaultdict(dict)
    for ballot_id, priority_id, dots in BallotDot.objects.filter(ballot__vote=vote).values_list(
        "ballot_id", "priority_id", "dots"
    ):
        ballots[ballot_id][priority_id] = dots
    return calc.tally(ballots.values(), vote.priorities.values_list("pk", flat=True))


def vote_record(vote: DotVote) -> list[tuple[Membership, list[tuple[str, int]]]]:
    """Every ballot with dots: the voter and the dots they gave each priority (kept with the result)."""
    rows: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for ballot_id, title, dots in (
        BallotDot.objects.filter(ballot__vote=vote)
        .order_by("priority__title")
        .values_list("ballot_id", "priority__title", "dots")
    ):
        rows[ballot_id].append((title, dots))
    ballots = vote.ballots.filter(pk__in=rows).select_related("voter__user", "voter__organisation")
    return sorted(((b.voter, rows[b.pk]) for b in ballots), key=lambda row: row[0].display_name.lower())


def my_allocation(access: Access, vote: DotVote) -> dict[int, int]:
    ballot = Ballot.objects.filter(vote=vote, voter=access.membership).first()
    return ballot_allocation(ballot) if ballot else {}


def vote_order(coalition: Coalition, priorities: Iterable[Priority]) -> list[Priority]:
    """``priorities`` in the order the coalition's dot votes ranked them.

    The most recent closed vote decides: the priorities it ranked come first, in its order (more dots,
    then more distinct voters, then the earlier proposal: the tie-break of ``calc.tally``). Priorities
    that were only on older votes follow, vote by vote from the newest, in each vote's order. Priorities
    never voted on come last, by title.
    """
    place: dict[int, tuple[int, int]] = {}
    closed = DotVote.objects.filter(coalition=coalition, status=DotVote.Status.CLOSED, result__isnull=False)
    for age, result in enumerate(closed.order_by("-closed_at", "-pk").values_list("result", flat=True)):
        for position, row in enumerate((result or {}).get("ranking", [])):
            place.setdefault(row["priority"], (age, position))
    return sorted(priorities, key=lambda p: (p.pk not in place, place.get(p.pk, (0, 0)), p.title.casefold(), p.pk))


# --- Agenda and charter -------------------------------------------------------------------------------


def agenda_draft(coalition: Coalition, for_update: bool = False) -> AgendaVersion | None:
    qs = AgendaVersion.objects.filter(coalition=coalition, status=AgendaVersion.Status.DRAFT)
    return (qs.select_for_update() if for_update else qs).first()


def current_agenda(coalition: Coalition) -> AgendaVersion | None:
    """The latest published version: the one members are asked to sign."""
    return (
        AgendaVersion.objects.filter(coalition=coalition, status=AgendaVersion.Status.PUBLISHED)
        .order_by("-number")
        .first()
    )


def freeze_agenda(version: AgendaVersion) -> dict[str, Any]:
    """What a published version says, by name, so later renames do not rewrite history."""
    coordinator = version.coordinator
    return {
        "priorities": [p.title for p in vote_order(version.coalition, version.priorities.all())],
        "indicators": [i.name for i in version.indicators.all()],
        "coordinator": coordinator.display_name if coordinator else "",
        "coordinator_organisation": str(coordinator.organisation) if coordinator and coordinator.organisation else "",
    }


def charter_signatory_share(coalition: Coalition) -> tuple[int, int]:
    """(members who signed the current charter version, members who may sign) — the cohesion indicator
    "members who signed the by-laws". Observers are not counted; (0, n) before anything is published."""
    signers = members_with(coalition, Perm.SIGN_CHARTER)
    current = current_agenda(coalition)
    if current is None:
        return 0, len(signers)
    signed = set(current.signatures.values_list("membership_id", flat=True))
    return sum(1 for m in signers if m.pk in signed), len(signers)


@dataclass(frozen=True)
class SignatoryRow:
    membership: Membership
    signed_current: bool
    signed_at: Any
    last_signed_number: int | None


def signatories(coalition: Coalition) -> list[SignatoryRow]:
    """Every member who may sign, whether they signed the current version and the last version they signed."""
    current = current_agenda(coalition)
    last: dict[int, int] = {}
    current_at: dict[int, Any] = {}
    for membership_id, number, signed_at in Signature.objects.filter(version__coalition=coalition).values_list(
        "membership_id", "version__number", "signed_at"
    ):
        if number is None:  # only published versions are numbered, and only they can be signed
            continue
        last[membership_id] = max(last.get(membership_id, 0), number)
        if current is not None and number == current.number:
            current_at[membership_id] = signed_at
    return [
        SignatoryRow(m, m.pk in current_at, current_at.get(m.pk), last.get(m.pk))
        for m in members_with(coalition, Perm.SIGN_CHARTER)
    ]


# --- Priorities brief --------------------------------------------------------------------------------


def member_organisations(coalition: Coalition) -> list[str]:
    """Names of the organisations represented by active members (the named partners)."""
    names = (
        Membership.objects.filter(coalition=coalition, is_active=True, organisation__isnull=False)
        .values_list("organisation__name", flat=True)
        .distinct()
    )
    return sorted(set(names), key=str.lower)


def brief(coalition: Coalition) -> dict[str, Any]:
    """What the one-page priorities brief says: the current agenda where one is published, otherwise
    the coalition's own statements and its chosen priorities; shared indicators come from measurement."""
    current = current_agenda(coalition)
    if current is not None:
        names = current.frozen or freeze_agenda(current)
        problem, vision = current.problem_statement, current.vision
        priorities, coordinator = names["priorities"], names["coordinator"]
        coordinator_organisation = names["coordinator_organisation"]
    else:
        problem, vision = coalition.problem_statement, coalition.common_purpose
        priorities = [p.title for p in vote_order(coalition, coalition.priorities.filter(status="chosen"))]
        coordinator, coordinator_organisation = "", ""
    return {
        "coalition": coalition,
        "version": current,
        "problem": problem,
        "vision": vision,
        "priorities": priorities,
        "coordinator": coordinator,
        "coordinator_organisation": coordinator_organisation,
        "indicators": shared_indicator_summary(coalition, approved_only=True),
        "partners": member_organisations(coalition),
    }
