"""Every change to co-design records goes through these functions.

Each takes the acting member's ``Access`` (who they are in this coalition and what they may do),
checks the rule it enforces, saves inside a transaction and writes an audit event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition.coalitions.access import Access
from coalition.coalitions.actions import StaleVersion
from coalition.coalitions.models import Membership
from coalition.core import audit
from coalition.core.dates import check_dates, check_new_dates
from coalition.core.permissions import Perm
from coalition.measurement.models import Indicator
from coalition.planning import calc, notices, queries
from coalition.planning.models import (
    AgendaVersion,
    Assessment,
    Asset,
    Ballot,
    BallotDot,
    DotVote,
    Priority,
    ProblemNode,
    Signature,
)
from coalition.stakeholders.models import Stakeholder


def _ids(objects: Iterable[Any]) -> list[int]:
    return sorted(obj.pk for obj in objects)


def _require(access: Access, allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _same_coalition(access: Access, *objects: Any) -> None:
    """Refuse objects of another coalition (views fetch with ``scoped_get``; this is the second lock)."""
    if any(obj is not None and obj.coalition_id != access.coalition.pk for obj in objects):
        raise PermissionDenied


# --- Rapid assessment and assets ------------------------------------------------------------------

ASSESSMENT_FIELDS = ("held_on", "key_findings", "challenges", "opportunities")
ASSET_FIELDS = ("name", "kind", "owner_id", "place", "who_may_use", "notes", "is_archived")


@transaction.atomic
def do_save_assessment(
    access: Access,
    *,
    expected_version: int | None = None,
    held_on: dt.date | None,
    key_findings: str,
    challenges: str,
    opportunities: str,
    stakeholders: Iterable[Stakeholder] = (),
) -> Assessment:
    access.require(Perm.EDIT_STAKEHOLDERS)
    stakeholders = list(stakeholders)
    _same_coalition(access, *stakeholders)
    assessment, _created = Assessment.objects.select_for_update().get_or_create(coalition=access.coalition)
    if expected_version is not None and assessment.version != expected_version:
        raise StaleVersion
    before = {
        **audit.snapshot(assessment, ASSESSMENT_FIELDS),
        "stakeholders": sorted(assessment.stakeholders.values_list("pk", flat=True)),
    }
    check_new_dates(access.coalition.date_window, assessment, {"held_on": held_on}, "held_on")
    assessment.held_on, assessment.key_findings = held_on, key_findings
    assessment.challenges, assessment.opportunities = challenges, opportunities
    assessment.version += 1
    assessment.full_clean()
    assessment.save()
    assessment.stakeholders.set(stakeholders)
    after = {**audit.snapshot(assessment, ASSESSMENT_FIELDS), "stakeholders": sorted(s.pk for s in stakeholders)}
    audit.record(access.user, "assessment.saved", assessment, coalition=access.coalition, before=before, after=after)
    return assessment


@transaction.atomic
def do_save_asset(access: Access, asset: Asset | None = None, **fields: Any) -> Asset:
    """Add an asset to the map, or change one."""
    access.require(Perm.EDIT_STAKEHOLDERS)
    _same_coalition(access, asset, fields.get("owner"))
    created = asset is None
    asset = asset or Asset(coalition=access.coalition)
    before = None if created else audit.snapshot(asset, ASSET_FIELDS)
    for name, value in fields.items():
        if name not in ("name", "kind", "owner", "place", "who_may_use", "notes"):
            raise ValueError(f"not an asset field: {name}")
        setattr(asset, name, value)
    asset.full_clean()
    asset.save()
    audit.record(
        access.user,
        "asset.created" if created else "asset.updated",
        asset,
        coalition=access.coalition,
        before=before,
        after=audit.snapshot(asset, ASSET_FIELDS),
    )
    return asset


@transaction.atomic
def do_set_asset_archived(access: Access, asset: Asset, archived: bool) -> Asset:
    """Take an asset off the map (or put it back); nothing is deleted."""
    access.require(Perm.EDIT_STAKEHOLDERS)
    _same_coalition(access, asset)
    before = audit.snapshot(asset, ["is_archived"])
    asset.is_archived = archived
    asset.save(update_fields=["is_archived", "updated_at"])
    audit.record(
        access.user,
        "asset.archived" if archived else "asset.restored",
        asset,
        coalition=access.coalition,
        before=before,
        after=audit.snapshot(asset, ["is_archived"]),
    )
    return asset


# --- Problem tree ---------------------------------------------------------------------------------

NODE_FIELDS = ("kind", "parent_id", "text", "evidence", "evidence_url", "is_archived", "merged_into_id")


def _require_codesign(access: Access) -> None:
    _require(access, queries.can_codesign(access))


def _validated(node: ProblemNode) -> ProblemNode:
    node.full_clean(exclude=["parent"])
    return node


@transaction.atomic
def do_set_core_problem(access: Access, *, text: str, evidence: str = "", evidence_url: str = "") -> ProblemNode:
    """Name the core problem (or reword it)."""
    _require_codesign(access)
    core = queries.core_problem(access.coalition, for_update=True)
    created = core is None
    core = core or ProblemNode(coalition=access.coalition, kind=ProblemNode.Kind.CORE)
    before = None if created else audit.snapshot(core, NODE_FIELDS)
    core.text, core.evidence, core.evidence_url = text, evidence, evidence_url
    _validated(core).save()
    audit.record(
        access.user,
        "problem_node.created" if created else "problem_node.updated",
        core,
        coalition=access.coalition,
        before=before,
        after=audit.snapshot(core, NODE_FIELDS),
    )
    return core


def _check_parent(node_kind: str, parent: ProblemNode) -> None:
    if parent.is_archived:
        raise ValidationError(_("That box has been removed from the tree."))
    if parent.kind != ProblemNode.Kind.CORE and parent.kind != node_kind:
        raise ValidationError(_("A cause goes under the core problem or another cause; an effect likewise."))


@transaction.atomic
def do_add_problem_node(
    access: Access, *, parent: ProblemNode, kind: str, text: str, evidence: str = "", evidence_url: str = ""
) -> ProblemNode:
    """Add a cause or an effect under the core problem or under another cause / effect."""
    _require_codesign(access)
    _same_coalition(access, parent)
    if kind not in (ProblemNode.Kind.CAUSE, ProblemNode.Kind.EFFECT):
        raise ValidationError(_("Choose cause or effect."))
    _check_parent(kind, parent)
    node = ProblemNode(
        coalition=access.coalition, kind=kind, parent=parent, text=text, evidence=evidence, evidence_url=evidence_url
    )
    _validated(node).save()
    audit.record(
        access.user, "problem_node.created", node, coalition=access.coalition, after=audit.snapshot(node, NODE_FIELDS)
    )
    return node


@transaction.atomic
def do_edit_problem_node(
    access: Access, node: ProblemNode, *, text: str, evidence: str = "", evidence_url: str = ""
) -> ProblemNode:
    _require_codesign(access)
    _same_coalition(access, node)
    if node.is_archived:
        raise ValidationError(_("That box has been removed from the tree."))
    before = audit.snapshot(node, NODE_FIELDS)
    node.text, node.evidence, node.evidence_url = text, evidence, evidence_url
    _validated(node).save()
    audit.record(
        access.user,
        "problem_node.updated",
        node,
        coalition=access.coalition,
        before=before,
        after=audit.snapshot(node, NODE_FIELDS),
    )
    return node


@transaction.atomic
def do_move_problem_node(access: Access, node: ProblemNode, *, parent: ProblemNode) -> ProblemNode:
    """Hang a cause or an effect (with everything under it) under another box on the same side."""
    _require_codesign(access)
    _same_coalition(access, node, parent)
    if node.kind == ProblemNode.Kind.CORE or node.is_archived:
        raise ValidationError(_("The core problem stays at the centre of the tree."))
    _check_parent(node.kind, parent)
    if parent.pk == node.pk or parent.pk in queries.descendant_ids(node):
        raise ValidationError(_("A box cannot move under itself or under one of its own branches."))
    before = audit.snapshot(node, NODE_FIELDS)
    node.parent = parent
    node.save(update_fields=["parent", "updated_at"])
    audit.record(
        access.user, "problem_node.moved", node, coalition=access.coalition, before=before, after=audit.snapshot(node)
    )
    return node


def _join(first: str, second: str) -> str:
    return "\n\n".join(part for part in (first.strip(), second.strip()) if part)


@transaction.atomic
def do_merge_problem_nodes(access: Access, source: ProblemNode, *, into: ProblemNode) -> ProblemNode:
    """Fold ``source`` into ``into``: its branches, evidence and linked priorities move over and
    ``source`` is archived (kept, pointing at what it was merged into)."""
    _require_codesign(access)
    _same_coalition(access, source, into)
    if ProblemNode.Kind.CORE in (source.kind, into.kind):
        raise ValidationError(_("The core problem cannot be merged; reword it instead."))
    if source.kind != into.kind:
        raise ValidationError(_("Only two causes or two effects can be merged."))
    if source.pk == into.pk or source.is_archived or into.is_archived:
        raise ValidationError(_("Choose two different boxes that are still on the tree."))
    if into.pk in queries.descendant_ids(source):
        # ``into`` sits on source's branch: lift it to source's place first so the tree stays connected.
        into.parent_id = source.parent_id
        into.save(update_fields=["parent", "updated_at"])
    before = audit.snapshot(into, NODE_FIELDS)
    ProblemNode.objects.filter(parent=source).exclude(pk=into.pk).update(parent=into, updated_at=timezone.now())
    source.priorities.update(problem_node=into)
    into.evidence = _join(into.evidence, source.evidence)
    if not into.evidence_url and source.evidence_url:
        into.evidence_url = source.evidence_url
    into.save()
    source.is_archived, source.merged_into = True, into
    source.save(update_fields=["is_archived", "merged_into", "updated_at"])
    audit.record(
        access.user,
        "problem_node.merged",
        into,
        coalition=access.coalition,
        before=before,
        after=audit.snapshot(into, NODE_FIELDS),
        note=f"merged #{source.pk}: {source.text}",
    )
    return into


@transaction.atomic
def do_remove_problem_node(access: Access, node: ProblemNode) -> ProblemNode:
    """Take a box off the tree; the boxes under it move up to its parent. Kept in the archive."""
    _require_codesign(access)
    _same_coalition(access, node)
    if node.kind == ProblemNode.Kind.CORE:
        raise ValidationError(_("The core problem stays at the centre of the tree; reword it instead."))
    if node.is_archived:
        raise ValidationError(_("That box has already been removed."))
    ProblemNode.objects.filter(parent=node).update(parent=node.parent, updated_at=timezone.now())
    node.is_archived = True
    node.save(update_fields=["is_archived", "updated_at"])
    audit.record(access.user, "problem_node.removed", node, coalition=access.coalition)
    return node


# --- Priorities and dot voting --------------------------------------------------------------------

PRIORITY_FIELDS = ("title", "description", "problem_node_id", "status")


@transaction.atomic
def do_propose_priority(
    access: Access, *, title: str, description: str = "", problem_node: ProblemNode | None = None
) -> Priority:
    access.require(Perm.PROPOSE_PRIORITY)
    _same_coalition(access, problem_node)
    priority = Priority(
        coalition=access.coalition,
        title=title.strip(),
        description=description,
        problem_node=problem_node,
        proposed_by=access.membership,
    )
    priority.full_clean()
    priority.save()
    audit.record(
        access.user,
        "priority.proposed",
        priority,
        coalition=access.coalition,
        after=audit.snapshot(priority, PRIORITY_FIELDS),
    )
    return priority


@transaction.atomic
def do_decide_priority(
    access: Access, priority: Priority, *, status: str, indicators: Iterable[Indicator] = ()
) -> Priority:
    """Mark a priority chosen (linked to the shared indicators that will track it) or set aside."""
    access.require(Perm.RUN_PRIORITY_VOTE)
    indicators = list(indicators) if status == Priority.Status.CHOSEN else []
    _same_coalition(access, priority, *indicators)
    if status not in Priority.Status.values:
        raise ValidationError(_("Unknown status."))
    before = {**audit.snapshot(priority, PRIORITY_FIELDS), "indicators": _ids(priority.indicators.all())}
    priority.status = status
    priority.save(update_fields=["status", "updated_at"])
    priority.indicators.set(indicators)
    after = {**audit.snapshot(priority, PRIORITY_FIELDS), "indicators": _ids(indicators)}
    audit.record(access.user, "priority.decided", priority, coalition=access.coalition, before=before, after=after)
    return priority


@transaction.atomic
def do_open_dot_vote(
    access: Access,
    *,
    title: str,
    budget: int,
    priorities: Iterable[Priority],
    codesign_group_only: bool = False,
    closes_at: dt.datetime | None = None,
) -> DotVote:
    """Open a dot vote; with ``closes_at``, ballots are refused from then on and the daily task closes it."""
    access.require(Perm.RUN_PRIORITY_VOTE)
    priorities = list(priorities)
    _same_coalition(access, *priorities)
    if len(priorities) < 2:
        raise ValidationError(_("Put at least two priorities on the ballot."))
    if closes_at is not None:
        if closes_at <= timezone.now():
            raise ValidationError({"closes_at": _("Choose a closing time in the future.")})
        check_dates(access.coalition.date_window, closes_at=timezone.localdate(closes_at))
    if DotVote.objects.filter(coalition=access.coalition, status=DotVote.Status.OPEN).exists():
        raise ValidationError(_("Another dot vote is still open. Close it first."))
    vote = DotVote(
        coalition=access.coalition,
        title=title,
        budget=budget,
        codesign_group_only=codesign_group_only,
        closes_at=closes_at,
        opened_by=access.membership,
    )
    vote.full_clean()
    if not 1 <= budget <= 50:
        raise ValidationError(_("Give each member between 1 and 50 dots."))
    vote.save()
    vote.priorities.set(priorities)
    audit.record(
        access.user,
        "dot_vote.opened",
        vote,
        coalition=access.coalition,
        after={
            "budget": budget,
            "priorities": sorted(p.pk for p in priorities),
            "codesign_only": codesign_group_only,
            "closes_at": closes_at.isoformat() if closes_at else None,
        },
    )
    notices.vote_changed(notices.VOTE_OPENED, vote)
    return vote


class DotBudgetExceeded(ValidationError):
    """The dots asked for do not fit in the voter's budget."""


@transaction.atomic
def do_place_dots(access: Access, vote: DotVote, allocation: Mapping[int, int]) -> Ballot:
    """Replace the voter's dots in ``vote`` with ``allocation`` (priority id -> dots)."""
    access.require(Perm.VOTE_PRIORITY)
    _same_coalition(access, vote)
    vote = DotVote.objects.select_for_update().get(pk=vote.pk)
    if not vote.takes_ballots(timezone.now()):
        raise ValidationError(_("This vote is closed."))
    if not queries.may_vote(access, vote):
        raise PermissionDenied
    ballot_ids = set(vote.priorities.values_list("pk", flat=True))
    error = calc.allocation_error(allocation, vote.budget, ballot_ids)
    if error:
        raise DotBudgetExceeded(error)
    ballot, _created = Ballot.objects.select_for_update().get_or_create(
        vote=vote, voter=access.membership, defaults={"budget": vote.budget}
    )
    before = queries.ballot_allocation(ballot)
    ballot.dots.all().delete()
    BallotDot.objects.bulk_create(
        [BallotDot(ballot=ballot, priority_id=pk, dots=dots) for pk, dots in sorted(allocation.items()) if dots > 0]
    )
    ballot.dots_spent = sum(allocation.values())
    ballot.save()  # the database refuses dots_spent > budget as well
    audit.record(
        access.user,
        "dot_vote.dots_placed",
        vote,
        coalition=access.coalition,
        before={"dots": {str(k): v for k, v in before.items()}},
        after={"dots": {str(k): v for k, v in sorted(allocation.items()) if v > 0}},
    )
    return ballot


@transaction.atomic
def do_close_dot_vote(access: Access, vote: DotVote) -> DotVote:
    """Close the vote and keep its result (ranking and dots per priority) with the ballots."""
    access.require(Perm.RUN_PRIORITY_VOTE)
    _same_coalition(access, vote)
    vote = DotVote.objects.select_for_update().get(pk=vote.pk)
    if vote.status != DotVote.Status.OPEN:
        raise ValidationError(_("This vote is already closed."))
    return _close_vote(access.user, vote)


@transaction.atomic
def do_close_votes_due(now: dt.datetime) -> int:
    """Close every open vote whose closing time has come (the daily task, no person acting); returns how many."""
    due = DotVote.objects.select_for_update().filter(status=DotVote.Status.OPEN, closes_at__lte=now).order_by("pk")
    closed = 0
    for vote in due.select_related("coalition"):
        _close_vote(None, vote)
        closed += 1
    return closed


def _close_vote(actor: Any, vote: DotVote) -> DotVote:
    ranked = queries.tally_vote(vote)
    titles = dict(vote.priorities.values_list("pk", "title"))
    vote.result = {
        "ballots": vote.ballots.filter(dots_spent__gt=0).count(),
        "ranking": [
            {
                "priority": r.priority_id,
                "title": titles[r.priority_id],
                "dots": r.dots,
                "voters": r.voters,
                "rank": r.rank,
            }
            for r in ranked
        ],
    }
    vote.status, vote.closed_at = DotVote.Status.CLOSED, timezone.now()
    vote.save()
    audit.record(actor, "dot_vote.closed", vote, coalition=vote.coalition, after=vote.result)
    notices.vote_changed(notices.VOTE_CLOSED, vote)
    return vote


# --- Common agenda and charter --------------------------------------------------------------------

AGENDA_TEXT_FIELDS = (
    "problem_statement",
    "vision",
    "decision_rules",
    "meeting_rhythm",
    "charter_text",
    "participation_expectations",
    "change_note",
)


def _agenda_snapshot(version: AgendaVersion) -> dict[str, Any]:
    return {
        **audit.snapshot(version, (*AGENDA_TEXT_FIELDS, "coordinator_id")),
        "priorities": _ids(version.priorities.all()),
        "indicators": _ids(version.indicators.all()),
    }


@transaction.atomic
def do_save_agenda_draft(
    access: Access,
    *,
    expected_lock_version: int | None = None,
    priorities: Iterable[Priority] = (),
    indicators: Iterable[Indicator] = (),
    coordinator: Membership | None = None,
    **fields: Any,
) -> AgendaVersion:
    """Create or change the draft of the next agenda version (only one draft at a time)."""
    _require(access, queries.can_codesign(access))
    priorities, indicators = list(priorities), list(indicators)
    _same_coalition(access, coordinator, *priorities, *indicators)
    if coordinator is not None and not coordinator.is_active:
        raise ValidationError(_("The coordinator must be an active member."))
    existing = queries.agenda_draft(access.coalition, for_update=True)
    created = existing is None
    if existing is not None and expected_lock_version is not None and existing.lock_version != expected_lock_version:
        raise StaleVersion
    draft = AgendaVersion(coalition=access.coalition) if existing is None else existing
    before = None if existing is None else _agenda_snapshot(existing)
    for name, value in fields.items():
        if name not in AGENDA_TEXT_FIELDS:
            raise ValueError(f"not an agenda field: {name}")
        setattr(draft, name, value)
    draft.coordinator = coordinator
    draft.lock_version = 1 if created else draft.lock_version + 1
    draft.full_clean()
    draft.save()
    draft.priorities.set(priorities)
    draft.indicators.set(indicators)
    audit.record(
        access.user,
        "agenda.draft_created" if created else "agenda.draft_saved",
        draft,
        coalition=access.coalition,
        before=before,
        after=_agenda_snapshot(draft),
    )
    return draft


@transaction.atomic
def do_publish_agenda(access: Access, draft: AgendaVersion) -> AgendaVersion:
    """Publish the draft as the next numbered version; from then on it never changes and every
    member is asked to sign it (signatures of earlier versions stay on record)."""
    _require(access, queries.can_codesign(access))
    _same_coalition(access, draft)
    draft = AgendaVersion.objects.select_for_update().get(pk=draft.pk)
    if draft.status != AgendaVersion.Status.DRAFT:
        raise ValidationError(_("This version is already published."))
    missing = [
        label
        for label, value in (
            (_("shared problem statement"), draft.problem_statement.strip()),
            (_("vision"), draft.vision.strip()),
            (_("named coordinator"), draft.coordinator_id),
            (_("charter / by-laws"), draft.charter_text.strip()),
        )
        if not value
    ]
    if missing:
        raise ValidationError(_("Fill in before publishing: %(fields)s.") % {"fields": ", ".join(missing)})
    latest = AgendaVersion.objects.filter(coalition=access.coalition).aggregate(n=Max("number"))["n"] or 0
    draft.number, draft.status = latest + 1, AgendaVersion.Status.PUBLISHED
    draft.published_at, draft.published_by = timezone.now(), access.membership
    draft.frozen = queries.freeze_agenda(draft)
    draft.save()
    audit.record(access.user, "agenda.published", draft, coalition=access.coalition, after={"number": draft.number})
    notices.agenda_published(draft)
    return draft


@transaction.atomic
def do_sign_agenda(access: Access, version: AgendaVersion) -> Signature:
    """Sign the current published version (members and above; observers cannot sign)."""
    access.require(Perm.SIGN_CHARTER)
    _same_coalition(access, version)
    current = queries.current_agenda(access.coalition)
    if current is None or version.pk != current.pk:
        raise ValidationError(_("Only the current published version can be signed."))
    signature, created = Signature.objects.get_or_create(version=version, membership=access.membership)
    if not created:
        raise ValidationError(_("You have already signed this version."))
    audit.record(
        access.user, "agenda.signed", version, coalition=access.coalition, after={"membership": access.membership.pk}
    )
    return signature
