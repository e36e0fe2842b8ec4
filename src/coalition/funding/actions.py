"""Every change to the fund: ledger entries (never edited: corrections reverse), resources offered, calls and
their phases, proposals, conflicts, reviews, member ballots, the decision, awards, disbursements and progress.

Ballots: a ballot is written inside one transaction that first locks the call's row (``select_for_update`` on
PostgreSQL; SQLite's ``BEGIN IMMEDIATE`` takes the write lock at the start of the transaction), so concurrent
changes from one voter are serialised, each reads the voter's current set, and a within-budget set is checked
against the budget before it is stored. The partial unique constraint keeps one current ballot per voter.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition.coalitions.models import Coalition, Membership
from coalition.core import audit
from coalition.core.dates import check_dates
from coalition.funding import calc, ledger, notices, queries
from coalition.funding.models import (
    CALL_FIELDS,
    CENT,
    ENTRY_FIELDS,
    FUND_FIELDS,
    INFLOW_KINDS,
    KIND_BUCKET,
    PHASE_ORDER,
    RESOURCE_FIELDS,
    Award,
    AwardStatus,
    BudgetLine,
    Call,
    CallBallot,
    ChoiceStyle,
    Conflict,
    EntryKind,
    Fund,
    Instalment,
    Joint,
    LedgerEntry,
    LedgerTotal,
    LineSpend,
    Milestone,
    Phase,
    PhaseChange,
    ProgressReport,
    Proposal,
    ProposalStatus,
    Resource,
    Restriction,
    Review,
    Reviewer,
    selection_rule,
)
from coalition.planning.models import Priority
from coalition.stakeholders.models import Stakeholder

CURRENCY = re.compile(r"^[A-Z]{3}$")
MAX_AMOUNT = Decimal("999999999999.99")
MAX_LINES = 30


def _currency(value: str, field: str = "currency") -> str:
    code = (value or "").strip().upper()
    if not CURRENCY.match(code):
        raise ValidationError({field: _("Give a three-letter ISO currency code, e.g. EUR.")})
    return code


def _positive(value: Decimal | None, field: str = "amount") -> Decimal:
    if value is None or not value.is_finite() or value <= 0 or value > MAX_AMOUNT:
        raise ValidationError({field: _("Give an amount above zero.")})
    if value != value.quantize(CENT):
        raise ValidationError({field: _("Give the amount to the cent at most.")})
    return value


def _restriction(coalition: Coalition, restriction: str, priority: Priority | None) -> Priority | None:
    if restriction not in Restriction.values:
        raise ValidationError({"restriction": _("Choose a restriction.")})
    if restriction != Restriction.PRIORITY:
        return None
    if priority is None or priority.coalition_id != coalition.pk:
        raise ValidationError({"priority": _("Choose the priority this money is restricted to.")})
    return priority


# --- funds and the ledger ------------------------------------------------------------------------------------


@transaction.atomic
def do_save_fund(actor: Any, coalition: Coalition, *, fund: Fund | None = None, **fields: Any) -> Fund:
    name = str(fields.get("name", "")).strip()
    if not name:
        raise ValidationError({"name": _("Name the fund.")})
    clash = Fund.objects.filter(coalition=coalition, name__iexact=name)
    if fund is not None:
        clash = clash.exclude(pk=fund.pk)
    if clash.exists():
        raise ValidationError({"name": _("Another fund already has this name.")})
    before = audit.snapshot(fund, FUND_FIELDS) if fund else None
    saved = fund or Fund(coalition=coalition)
    saved.name = name
    saved.currency = _currency(fields.get("currency", ""))
    saved.description = fields.get("description", "")
    saved.held_by = fields.get("held_by", "")
    saved.full_clean()
    saved.save()
    verb = "fund.changed" if before else "fund.created"
    audit.record(actor, verb, saved, coalition=coalition, before=before, after=audit.snapshot(saved, FUND_FIELDS))
    return saved


def _entry(actor: Any, fund: Fund, kind: str, **fields: Any) -> LedgerEntry:
    entry = LedgerEntry(coalition_id=fund.coalition_id, fund=fund, kind=kind, recorded_by=_user(actor), **fields)
    entry.bucket = fields.pop("bucket", None) or KIND_BUCKET[kind]
    entry.save()
    _add_to_total(entry)
    return entry


def _add_to_total(entry: LedgerEntry) -> None:
    """Add the entry to its running total (``get_or_create`` retries on a concurrent insert of the same group; the
    ``F`` update adds under the row's write lock, so concurrent entries never lose each other)."""
    total, _created = LedgerTotal.objects.get_or_create(
        coalition_id=entry.coalition_id,
        fund_id=entry.fund_id,
        restriction=entry.restriction,
        priority=entry.priority,
        currency=entry.currency,
        bucket=entry.bucket,
    )
    LedgerTotal.objects.filter(pk=total.pk).update(cents=F("cents") + entry.cents, entries=F("entries") + 1)


@transaction.atomic
def do_rebuild_totals(actor: Any, coalition: Coalition) -> int:
    """Recompute the coalition's running totals from its entries (after a bulk load; the totals the actions keep
    are always equal to it). Returns the number of totals."""
    LedgerTotal.objects.filter(coalition=coalition).delete()
    rows = ledger.grouped(ledger.entries(coalition.pk))
    made = LedgerTotal.objects.bulk_create(
        LedgerTotal(
            coalition=coalition,
            fund_id=row["fund_id"],
            restriction=row["restriction"],
            priority_id=row["priority_id"],
            currency=row["currency"],
            bucket=row["bucket"],
            cents=row["total"],
            entries=row["entries"],
        )
        for row in rows
    )
    audit.record(actor, "ledger.totals_rebuilt", coalition, coalition=coalition, after={"totals": len(made)})
    return len(made)


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


@transaction.atomic
def do_record_entry(
    actor: Any,
    fund: Fund,
    *,
    kind: str,
    occurred_on: dt.date,
    amount: Decimal | None,
    currency: str,
    restriction: str = Restriction.UNRESTRICTED,
    priority: Priority | None = None,
    source_type: str = "",
    source: Stakeholder | None = None,
    source_name: str = "",
    description: str = "",
    award: Award | None = None,
) -> LedgerEntry:
    """Add one entry: a contribution pledged, received or in kind (from a member, donor, government or private
    source), or money granted or paid out. Conversions and reversals have their own actions."""
    coalition = fund.coalition
    if kind not in KIND_BUCKET or kind == EntryKind.CONVERSION:
        raise ValidationError({"kind": _("Choose the kind of entry.")})
    errors: dict[str, str] = {}
    amount = _positive(amount)
    currency = _currency(currency)
    priority = _restriction(coalition, restriction, priority)
    source_name = source_name.strip()
    description = description.strip()
    if occurred_on is None:
        raise ValidationError({"occurred_on": _("Give the date.")})
    if kind in INFLOW_KINDS:
        if not source_type:
            errors["source_type"] = _("Say where the contribution comes from.")
        if source is None and not source_name:
            errors["source_name"] = _("Name the contributor, or choose the member.")
    else:
        source_type = ""
        if source is None and not source_name:
            errors["source_name"] = _("Name who receives the money.")
    if source is not None and source.coalition_id != coalition.pk:
        errors["source"] = _("Choose a member of this coalition.")
    if kind == EntryKind.IN_KIND and not description:
        errors["description"] = _("Describe what was given in kind (its amount is the estimated value).")
    if errors:
        raise ValidationError(errors)
    check_dates(coalition.date_window, occurred_on=occurred_on)
    entry = _entry(
        actor,
        fund,
        kind,
        occurred_on=occurred_on,
        amount=amount,
        currency=currency,
        restriction=restriction,
        priority=priority,
        source_type=source_type,
        source=source,
        source_name=source_name,
        description=description,
        award=award,
    )
    audit.record(actor, "ledger.recorded", entry, coalition=coalition, after=audit.snapshot(entry, ENTRY_FIELDS))
    return entry


@transaction.atomic
def do_convert(
    actor: Any,
    fund: Fund,
    *,
    occurred_on: dt.date,
    amount: Decimal | None,
    from_currency: str,
    to_currency: str,
    rate: Decimal | None,
    rate_source: str,
    restriction: str = Restriction.UNRESTRICTED,
    priority: Priority | None = None,
) -> tuple[LedgerEntry, LedgerEntry]:
    """Convert money held: two linked entries, ``amount`` out of one currency and ``amount × rate`` (to the
    cent, half to even) into the other, both carrying the rate and where it comes from."""
    coalition = fund.coalition
    amount = _positive(amount)
    source, target = _currency(from_currency, "from_currency"), _currency(to_currency, "to_currency")
    priority = _restriction(coalition, restriction, priority)
    if source == target:
        raise ValidationError({"to_currency": _("Convert into another currency.")})
    if rate is None or not rate.is_finite() or rate <= 0 or rate > Decimal(10) ** 9:
        raise ValidationError({"rate": _("Give the rate: how much of the new currency one unit buys.")})
    if not rate_source.strip():
        raise ValidationError({"rate_source": _("Say where the rate comes from.")})
    check_dates(coalition.date_window, occurred_on=occurred_on)
    held = next(
        (
            b.held
            for b in ledger.balances(coalition.pk)
            if (b.fund_id, b.restriction, b.priority_id, b.currency)
            == (fund.pk, restriction, getattr(priority, "pk", None), source)
        ),
        Decimal(0),
    )
    if amount > held:
        raise ValidationError({"amount": _("Only %(held)s %(cur)s is held there.") % {"held": held, "cur": source}})
    common = {
        "occurred_on": occurred_on,
        "restriction": restriction,
        "priority": priority,
        "rate": rate,
        "rate_source": rate_source.strip(),
    }
    out = _entry(actor, fund, EntryKind.CONVERSION, amount=-amount, currency=source, **common)
    received = (amount * rate).quantize(CENT, rounding=ROUND_HALF_EVEN)
    into = _entry(actor, fund, EntryKind.CONVERSION, amount=received, currency=target, pair=out, **common)
    after = {"from": f"{amount} {source}", "to": f"{received} {target}", "rate": str(rate), "source": rate_source}
    audit.record(actor, "ledger.converted", out, coalition=coalition, after=after)
    return out, into


@transaction.atomic
def do_reverse_entry(actor: Any, entry: LedgerEntry, *, reason: str, occurred_on: dt.date | None = None) -> LedgerEntry:
    """Correct an entry by a reversing one (a conversion's two legs are reversed together)."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the entry is reversed.")})
    entry = LedgerEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.kind == EntryKind.REVERSAL:
        raise ValidationError(_("A reversal is not reversed: record the entry again."))
    if LedgerEntry.objects.filter(reverses=entry).exists():
        raise ValidationError(_("This entry is already reversed."))
    if entry.award_id is not None:
        raise ValidationError(_("Entries of an award change through the award."))
    day = occurred_on or timezone.localdate()
    legs = [entry]
    if entry.kind == EntryKind.CONVERSION:
        other = LedgerEntry.objects.filter(pair=entry).first() or entry.pair
        if other is not None:
            legs.append(other)
    made = []
    for leg in legs:
        made.append(
            _entry(
                actor,
                leg.fund,
                EntryKind.REVERSAL,
                bucket=leg.bucket,
                occurred_on=day,
                amount=-leg.amount,
                currency=leg.currency,
                restriction=leg.restriction,
                priority=leg.priority,
                source_type=leg.source_type,
                source=leg.source,
                source_name=leg.source_name,
                description=reason[:500],
                reverses=leg,
            )
        )
    audit.record(actor, "ledger.reversed", entry, coalition=entry.fund.coalition, after={"reason": reason})
    return made[0]


# --- resources offered ---------------------------------------------------------------------------------------


@transaction.atomic
def do_offer_resource(actor: Any, coalition: Coalition, **fields: Any) -> Resource:
    offered_by = fields.get("offered_by")
    if offered_by is None or offered_by.coalition_id != coalition.pk:
        raise ValidationError({"offered_by": _("Choose the member who offers it.")})
    resource = Resource(coalition=coalition, **{k: fields[k] for k in RESOURCE_FIELDS if k in fields})
    resource.description = resource.description.strip()
    resource.full_clean()
    resource.save()
    after = audit.snapshot(resource, RESOURCE_FIELDS)
    audit.record(actor, "resource.offered", resource, coalition=coalition, after=after)
    return resource


@transaction.atomic
def do_withdraw_resource(actor: Any, resource: Resource) -> Resource:
    if resource.withdrawn_at is None:
        resource.withdrawn_at = timezone.now()
        resource.save(update_fields=["withdrawn_at", "updated_at"])
        audit.record(actor, "resource.withdrawn", resource, coalition=resource.coalition)
    return resource


# --- calls ---------------------------------------------------------------------------------------------------

DATE_ORDER = ("opens_on", "review_on", "voting_on", "decision_on", "implementation_on", "closes_on")


def _check_call(coalition: Coalition, fields: Mapping[str, Any]) -> None:
    errors: dict[str, str] = {}
    fund = fields.get("fund")
    if fund is None or fund.coalition_id != coalition.pk:
        errors["fund"] = _("Choose a fund of this coalition.")
    budget, cap = fields.get("budget"), fields.get("max_per_proposal")
    if budget is not None and cap is not None and cap > budget:
        errors["max_per_proposal"] = _("The maximum per proposal cannot exceed the budget.")
    if fields.get("with_review") and not fields.get("review_on"):
        errors["review_on"] = _("Give the date review starts.")
    if fields.get("with_review") and not str(fields.get("criteria", "")).strip():
        errors["criteria"] = _("Publish the criteria reviewers use.")
    days: list[tuple[str, dt.date]] = [(name, fields[name]) for name in DATE_ORDER if fields.get(name) is not None]
    for (_first, earlier), (name, later) in zip(days, days[1:], strict=False):
        if later < earlier:
            errors.setdefault(name, _("The phases' dates follow each other in order."))
    if errors:
        raise ValidationError(errors)
    check_dates(coalition.date_window, **dict(days))


@transaction.atomic
def do_save_call(actor: Any, coalition: Coalition, *, call: Call | None = None, **fields: Any) -> Call:
    """Draft a call (or change it while still drafting)."""
    if call is not None and call.phase != Phase.DRAFTING:
        raise ValidationError(_("A call can be changed only while it is being drafted."))
    _check_call(coalition, fields)
    fields["priority"] = _restriction(
        coalition, fields.get("restriction", Restriction.UNRESTRICTED), fields.get("priority")
    )
    if not fields.get("with_review"):
        fields["review_on"] = None
    before = audit.snapshot(call, CALL_FIELDS) if call else None
    saved = call or Call(coalition=coalition, created_by=_user(actor))
    for name in CALL_FIELDS:
        if name in fields:
            setattr(saved, name, fields[name])
    saved.full_clean()
    saved.save()
    verb = "call.changed" if before else "call.created"
    audit.record(actor, verb, saved, coalition=coalition, before=before, after=audit.snapshot(saved, CALL_FIELDS))
    return saved


def next_phase(call: Call) -> str | None:
    """The phase that follows (review is skipped by a call without review; decided comes only by deciding)."""
    at = PHASE_ORDER.index(call.phase)
    if at + 1 >= len(PHASE_ORDER):
        return None
    following = PHASE_ORDER[at + 1]
    if following == Phase.REVIEW and not call.with_review:
        following = Phase.VOTING
    return following


def _set_phase(actor: Any, call: Call, phase: str) -> None:
    before = call.phase
    call.phase = phase
    call.save(update_fields=["phase", "updated_at"])
    PhaseChange.objects.create(call=call, phase=phase, at=timezone.now(), by=_user(actor))
    audit.record(actor, "call.phase", call, coalition=call.coalition, before={"phase": before}, after={"phase": phase})
    notices.phase_entered(call)


@transaction.atomic
def do_advance_call(actor: Any, call: Call) -> Call:
    """Move the call to its next phase. Deciding is ``do_decide_call``; voting needs at least one proposal."""
    call = Call.objects.select_for_update().get(pk=call.pk)
    following = next_phase(call)
    if following is None:
        raise ValidationError(_("This call is closed."))
    if following == Phase.DECIDED:
        raise ValidationError(_("Record the decision to move on from member choice."))
    if following in (Phase.REVIEW, Phase.VOTING) and not queries.live_proposals(call).exists():
        raise ValidationError(_("No proposal has been submitted yet."))
    _set_phase(actor, call, following)
    return call


# --- proposals, conflicts, reviews ---------------------------------------------------------------------------


@transaction.atomic
def do_submit_proposal(
    actor: Any,
    membership: Membership,
    call: Call,
    *,
    title: str,
    summary: str,
    lines: Sequence[tuple[str, Decimal]],
    partners: Iterable[Stakeholder] = (),
    own_contribution: Decimal = Decimal(0),
    indicators: Iterable[Any] = (),
    conflicts: str = "",
) -> Proposal:
    """Submit a proposal for the member's organisation, alone or with partner members. The amount requested is
    the sum of its budget lines; the call's rules (maximum, joint, matching share) are checked here."""
    call = Call.objects.select_for_update().get(pk=call.pk)
    if call.phase != Phase.OPEN:
        raise ValidationError(_("This call is not open for proposals."))
    lead = membership.organisation
    if lead is None:
        raise ValidationError(_("Proposals come from member organisations: you do not represent one."))
    errors: dict[str, str] = {}
    title, summary = title.strip(), summary.strip()
    if not title:
        errors["title"] = _("Give the proposal a title.")
    if not summary:
        errors["summary"] = _("Say briefly what you will do.")
    partner_list = [p for p in partners if p.pk != lead.pk]
    if any(p.coalition_id != call.coalition_id for p in partner_list):
        errors["partners"] = _("Choose partners among this coalition's members.")
    if call.joint == Joint.REQUIRED and not partner_list:
        errors["partners"] = _("This call asks for joint proposals: name at least one partner.")
    if not lines or len(lines) > MAX_LINES:
        errors["lines"] = _("Give between 1 and %(n)s budget lines.") % {"n": MAX_LINES}
    elif any(not label.strip() or amount is None or amount <= 0 for label, amount in lines):
        errors["lines"] = _("Each budget line has a label and an amount above zero.")
    if errors:
        raise ValidationError(errors)
    requested = sum((_positive(amount, "lines") for _label, amount in lines), Decimal(0))
    if call.max_per_proposal is not None and requested > call.max_per_proposal:
        raise ValidationError(
            {"lines": _("The call funds at most %(max)s per proposal.") % {"max": call.max_per_proposal}}
        )
    if requested > call.budget:
        raise ValidationError({"lines": _("The request exceeds the call's budget.")})
    own = own_contribution or Decimal(0)
    if own < 0:
        raise ValidationError({"own_contribution": _("Give an amount of zero or more.")})
    needed = (requested * call.matching_percent / 100).quantize(CENT)
    if own < needed:
        raise ValidationError(
            {"own_contribution": _("The call asks partners to bring at least %(n)s themselves.") % {"n": needed}}
        )
    linked = list(indicators)
    if any(i.coalition_id != call.coalition_id for i in linked):
        raise ValidationError({"indicators": _("Choose this coalition's indicators.")})
    proposal = Proposal.objects.create(
        coalition_id=call.coalition_id,
        call=call,
        title=title[:200],
        summary=summary,
        lead=lead,
        requested=requested,
        own_contribution=own,
        conflicts=conflicts.strip(),
        submitted_by=_user(actor),
    )
    proposal.partners.set(partner_list)
    proposal.indicators.set(linked)
    BudgetLine.objects.bulk_create(
        BudgetLine(proposal=proposal, label=label.strip()[:200], amount=amount, position=i)
        for i, (label, amount) in enumerate(lines)
    )
    after = {"title": title, "requested": str(requested), "partners": [p.pk for p in partner_list]}
    audit.record(actor, "proposal.submitted", proposal, coalition=call.coalition, after=after)
    return proposal


@transaction.atomic
def do_withdraw_proposal(actor: Any, proposal: Proposal) -> Proposal:
    if Call.objects.get(pk=proposal.call_id).phase not in (Phase.OPEN, Phase.REVIEW):
        raise ValidationError(_("A proposal can be withdrawn only before member choice."))
    proposal.status = ProposalStatus.WITHDRAWN
    proposal.save(update_fields=["status", "updated_at"])
    audit.record(actor, "proposal.withdrawn", proposal, coalition=proposal.call.coalition)
    return proposal


@transaction.atomic
def do_declare_conflict(actor: Any, membership: Membership, proposal: Proposal, *, reason: str) -> Conflict:
    """Declare a conflict of interest on a proposal: the person neither reviews nor votes on it."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say what the conflict of interest is.")})
    if Call.objects.get(pk=proposal.call_id).phase in (Phase.DECIDED, Phase.IMPLEMENTING, Phase.CLOSED):
        raise ValidationError(_("This call is decided."))
    if Conflict.objects.filter(proposal=proposal, membership=membership).exists():
        raise ValidationError(_("You have already declared a conflict of interest."))
    conflict = Conflict.objects.create(
        proposal=proposal, membership=membership, reason=reason[:500], declared_on=timezone.localdate()
    )
    audit.record(actor, "proposal.conflict", conflict, coalition=proposal.call.coalition, after={"reason": reason})
    return conflict


@transaction.atomic
def do_assign_reviewer(actor: Any, call: Call, membership: Membership) -> Reviewer:
    if membership.coalition_id != call.coalition_id or not membership.is_active:
        raise ValidationError({"membership": _("Choose a member of this coalition.")})
    if not call.with_review:
        raise ValidationError(_("This call has no review."))
    reviewer, created = Reviewer.objects.get_or_create(call=call, membership=membership)
    if created:
        audit.record(actor, "call.reviewer", call, coalition=call.coalition, after={"reviewer": membership.pk})
        notices.reviewer_assigned(reviewer)
    return reviewer


@transaction.atomic
def do_review(actor: Any, membership: Membership, proposal: Proposal, *, score: int, reasons: str) -> Review:
    """An assigned reviewer's score (0 to 5) and reasons; reviewers are recused from their own organisation's
    proposals and from those they declared a conflict on. A second review by the same reviewer replaces theirs."""
    call = Call.objects.get(pk=proposal.call_id)
    if call.phase != Phase.REVIEW:
        raise ValidationError(_("This call is not in review."))
    if not Reviewer.objects.filter(call=call, membership=membership).exists():
        raise ValidationError(_("You are not a reviewer of this call."))
    if proposal.status == ProposalStatus.WITHDRAWN:
        raise ValidationError(_("This proposal was withdrawn."))
    if queries.is_recused(membership, proposal):
        raise ValidationError(_("You are recused from this proposal: you do not review it."))
    if not isinstance(score, int) or not 0 <= score <= 5:
        raise ValidationError({"score": _("Score from 0 to 5.")})
    reasons = reasons.strip()
    if not reasons:
        raise ValidationError({"reasons": _("Give the reasons for your score.")})
    review, _created = Review.objects.update_or_create(
        proposal=proposal, reviewer=membership, defaults={"score": score, "reasons": reasons}
    )
    after = {"score": score, "reasons": reasons}
    audit.record(actor, "proposal.reviewed", review, coalition=call.coalition, after=after)
    return review


# --- member choice -------------------------------------------------------------------------------------------


def clean_choice(call: Call, membership: Membership, choice: Mapping[str, Any]) -> tuple[dict[str, Any], Decimal]:
    """The ballot as stored and the total it asks for, or ValidationError on ``choice``."""
    live = dict(queries.live_proposals(call).values_list("pk", "requested"))
    recused = queries.recused_proposals(membership, call)
    if call.choice_style == ChoiceStyle.SCORE:
        raw = choice.get("scores")
        if not isinstance(raw, dict) or not raw:
            raise ValidationError({"choice": _("Score at least one proposal.")})
        scores: dict[str, int] = {}
        for key, value in raw.items():
            if not str(key).isdigit() or int(key) not in live or not isinstance(value, int) or not 0 <= value <= 5:
                raise ValidationError({"choice": _("Score this call's proposals from 0 to 5.")})
            if int(key) in recused:
                raise ValidationError({"choice": _("You are recused from a proposal you scored.")})
            scores[str(int(key))] = value
        return {"scores": scores}, Decimal(0)
    ids = choice.get("proposals")
    if not isinstance(ids, list) or not all(isinstance(i, int) and i in live for i in ids) or len(set(ids)) != len(ids):
        raise ValidationError({"choice": _("Choose among this call's proposals.")})
    if not ids:
        raise ValidationError({"choice": _("Choose at least one proposal.")})
    if recused & set(ids):
        raise ValidationError({"choice": _("You are recused from a proposal you chose.")})
    total = sum((live[i] for i in ids), Decimal(0))
    if call.choice_style == ChoiceStyle.APPROVAL and len(ids) > call.max_approvals:
        raise ValidationError({"choice": _("Choose at most %(n)s proposals.") % {"n": call.max_approvals}})
    if call.choice_style == ChoiceStyle.WITHIN_BUDGET and total > call.budget:
        raise ValidationError(
            {
                "choice": _("Your choice asks for %(total)s; the budget is %(budget)s.")
                % {"total": total, "budget": call.budget}
            }
        )
    return {"proposals": sorted(ids)}, total


def _check_voter(call: Call, membership: Membership) -> None:
    if call.phase != Phase.VOTING:
        raise ValidationError(_("This call is not open for member choice."))
    if not queries.may_vote(call, membership):
        raise ValidationError(_("You do not vote in this call."))


def _store_ballot(actor: Any, call: Call, membership: Membership, choice: dict[str, Any], total: Decimal) -> CallBallot:
    changed = CallBallot.objects.filter(call=call, membership=membership, is_current=True).update(is_current=False)
    ballot = CallBallot.objects.create(
        call=call, membership=membership, choice=choice, total=total, cast_at=timezone.now()
    )
    verb = "call.ballot_changed" if changed else "call.ballot_cast"
    audit.record(actor, verb, call, coalition=call.coalition, after={"choice": choice})
    return ballot


def _locked(call: Call) -> Call:
    return Call.objects.select_for_update().get(pk=call.pk)


def do_cast_call_ballot(actor: Any, membership: Membership, call: Call, *, choice: Mapping[str, Any]) -> CallBallot:
    """Cast or replace the member's ballot (the earlier one stays as history)."""
    try:
        with transaction.atomic():
            call = _locked(call)
            _check_voter(call, membership)
            cleaned, total = clean_choice(call, membership, choice)
            return _store_ballot(actor, call, membership, cleaned, total)
    except IntegrityError as clash:
        raise ValidationError(_("Another change to your ballot came first; look again and retry.")) from clash


def do_toggle_choice(actor: Any, membership: Membership, call: Call, proposal: Proposal, *, chosen: bool) -> CallBallot:
    """Add ``proposal`` to the member's set (or take it out), keeping the rest of their current ballot. Under the
    lock the current set is read afresh, so concurrent changes never combine into a set the rule refuses."""
    try:
        with transaction.atomic():
            call = _locked(call)
            _check_voter(call, membership)
            if call.choice_style == ChoiceStyle.SCORE:
                raise ValidationError(_("This call scores proposals: give a score to each."))
            current = CallBallot.objects.filter(call=call, membership=membership, is_current=True).first()
            ids = set(current.choice.get("proposals", [])) if current else set()
            ids = ids | {proposal.pk} if chosen else ids - {proposal.pk}
            cleaned, total = clean_choice(call, membership, {"proposals": sorted(ids)})
            return _store_ballot(actor, call, membership, cleaned, total)
    except IntegrityError as clash:
        raise ValidationError(_("Another change to your ballot came first; look again and retry.")) from clash


# --- the decision --------------------------------------------------------------------------------------------

def _fraction_text(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    return str((Decimal(value.numerator) / Decimal(value.denominator)).quantize(CENT))


def computed_result(call: Call) -> dict[str, Any]:
    """The call's result by its documented rule, as stored JSON (support and review per proposal, the ranking
    and the awards the rule gives)."""
    proposals = list(queries.live_proposals(call))
    support = queries.support(call, proposals)
    reviews = queries.review_means(call, proposals)
    candidates = [
        calc.Candidate(p.pk, p.requested, support.get(p.pk, Fraction(0)), reviews.get(p.pk, Fraction(0)))
        for p in proposals
    ]
    awards = calc.select(candidates, call.budget, part_funding=call.part_funding)
    return {
        "rule": selection_rule(part_funding=call.part_funding),
        "style": call.choice_style,
        "voters": queries.counted_ballots(call).count(),
        "rows": [
            {
                "proposal": c.id,
                "support": _fraction_text(c.support),
                "review": _fraction_text(c.review) if c.id in reviews else "",
                "requested": str(c.cost),
            }
            for c in calc.ranked(candidates)
        ],
        "awards": [[pid, str(amount)] for pid, amount in awards],
    }


@transaction.atomic
def do_decide_call(
    actor: Any,
    call: Call,
    *,
    awards: Sequence[tuple[Proposal, Decimal]] | None = None,
    reason: str = "",
    reasons: Mapping[int, str] | None = None,
) -> Call:
    """Close member choice and record the decision: the rule's awards, or others the hub chooses with a
    recorded reason that every member sees. Each award is granted in the ledger."""
    call = _locked(call)
    if call.phase != Phase.VOTING:
        raise ValidationError(_("The decision follows member choice."))
    result = computed_result(call)
    computed = [(int(pid), Decimal(amount)) for pid, amount in result["awards"]]
    live = {p.pk: p for p in queries.live_proposals(call)}
    chosen = [(p.pk, amount) for p, amount in awards] if awards is not None else computed
    reason = reason.strip()
    if sorted(chosen) != sorted(computed) and not reason:
        raise ValidationError({"reason": _("Departing from the members' result needs a reason everyone will see.")})
    if any(pid not in live for pid, _amount in chosen) or len({pid for pid, _a in chosen}) != len(chosen):
        raise ValidationError({"awards": _("Award this call's proposals, each once.")})
    for pid, amount in chosen:
        _positive(amount, "awards")
        if amount > live[pid].requested:
            raise ValidationError({"awards": _("An award cannot exceed what the proposal requested.")})
    if sum((a for _pid, a in chosen), Decimal(0)) > call.budget:
        raise ValidationError({"awards": _("The awards exceed the call's budget.")})
    call.result = result
    call.decided_at = timezone.now()
    call.departure_reason = reason if sorted(chosen) != sorted(computed) else ""
    call.save(update_fields=["result", "decided_at", "departure_reason", "updated_at"])
    awarded = dict(chosen)
    for pid, proposal in live.items():
        if pid not in awarded:
            proposal.status = ProposalStatus.NOT_FUNDED
        else:
            amount = awarded[pid]
            proposal.status = ProposalStatus.FUNDED if amount == proposal.requested else ProposalStatus.PART_FUNDED
            award = Award.objects.create(
                coalition_id=call.coalition_id,
                call=call,
                proposal=proposal,
                amount=amount,
                currency=call.fund.currency,
                reason=(reasons or {}).get(pid, "").strip(),
            )
            _entry(
                actor,
                call.fund,
                EntryKind.GRANT,
                occurred_on=timezone.localdate(),
                amount=amount,
                currency=award.currency,
                restriction=call.restriction,
                priority=call.priority,
                source=proposal.lead,
                description=_("Award: %(title)s") % {"title": proposal.title[:400]},
                award=award,
            )
        proposal.save(update_fields=["status", "updated_at"])
    after = {"awards": [[pid, str(a)] for pid, a in chosen], "departure_reason": call.departure_reason}
    audit.record(actor, "call.decided", call, coalition=call.coalition, after=after)
    _set_phase(actor, call, Phase.DECIDED)
    return call


# --- awards: schedule, disbursements, progress ---------------------------------------------------------------


@transaction.atomic
def do_schedule_instalment(actor: Any, award: Award, *, due_on: dt.date, amount: Decimal | None) -> Instalment:
    amount = _positive(amount)
    award = Award.objects.select_for_update().get(pk=award.pk)
    scheduled = sum((i.amount for i in award.instalments.all()), Decimal(0))
    if scheduled + amount > award.amount:
        raise ValidationError(
            {"amount": _("The schedule cannot exceed the award (%(n)s left).") % {"n": award.amount - scheduled}}
        )
    check_dates(award.call.coalition.date_window, due_on=due_on)
    instalment = Instalment.objects.create(award=award, due_on=due_on, amount=amount)
    after = {"due_on": str(due_on), "amount": str(amount)}
    audit.record(actor, "award.instalment", award, coalition=award.call.coalition, after=after)
    return instalment


@transaction.atomic
def do_disburse(actor: Any, instalment: Instalment, *, occurred_on: dt.date | None = None) -> LedgerEntry:
    """Pay an instalment: a disbursement entry in the ledger, from the call's fund and restriction."""
    instalment = Instalment.objects.select_for_update().select_related("award__call__fund").get(pk=instalment.pk)
    if instalment.paid_entry_id is not None:
        raise ValidationError(_("This instalment is already paid."))
    award = instalment.award
    call = award.call
    day = occurred_on or timezone.localdate()
    check_dates(call.coalition.date_window, occurred_on=day)
    entry = _entry(
        actor,
        call.fund,
        EntryKind.DISBURSEMENT,
        occurred_on=day,
        amount=instalment.amount,
        currency=award.currency,
        restriction=call.restriction,
        priority=call.priority,
        source=award.proposal.lead,
        description=_("Disbursement: %(title)s") % {"title": award.proposal.title[:400]},
        award=award,
    )
    instalment.paid_entry = entry
    instalment.save(update_fields=["paid_entry"])
    audit.record(actor, "award.disbursed", award, coalition=call.coalition, after={"amount": str(instalment.amount)})
    return entry


@transaction.atomic
def do_add_milestone(actor: Any, award: Award, *, title: str, due_on: dt.date) -> Milestone:
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Name the milestone.")})
    check_dates(award.call.coalition.date_window, due_on=due_on)
    milestone = Milestone.objects.create(award=award, title=title[:200], due_on=due_on)
    audit.record(actor, "award.milestone", award, coalition=award.call.coalition, after={"title": title})
    return milestone


def _spend(value: Decimal | None, field: str) -> Decimal:
    if value is None or not value.is_finite() or value < 0 or value > MAX_AMOUNT:
        raise ValidationError({field: _("Give the amount spent so far (zero or more).")})
    if value != value.quantize(CENT):
        raise ValidationError({field: _("Give the amount to the cent at most.")})
    return value


@transaction.atomic
def do_report_progress(
    actor: Any,
    award: Award,
    *,
    status: str,
    spent: Decimal | None = None,
    by_line: Mapping[int, Decimal | None] | None = None,
    note: str = "",
    done: Iterable[Milestone] = (),
) -> ProgressReport:
    """A short progress report: status, spend so far and milestones reached (no burdensome reporting). Spend is
    given in total, or line by line against the proposal's budget lines (the total is then their sum)."""
    if status not in AwardStatus.values:
        raise ValidationError({"status": _("Choose a status.")})
    award = Award.objects.select_for_update().get(pk=award.pk)
    lines = {line.pk: line for line in award.proposal.lines.all()}
    given = {pk: value for pk, value in (by_line or {}).items() if value is not None}
    if any(pk not in lines for pk in given):
        raise ValidationError({"by_line": _("Report against this proposal's budget lines.")})
    given = {pk: _spend(value, "by_line") for pk, value in given.items()}
    if given:
        total = sum(given.values(), Decimal(0))
        if spent is not None and spent != total:
            raise ValidationError(
                {"spent": _("The lines add up to %(total)s: leave the total empty or give that.") % {"total": total}}
            )
        spent = total
    spent = _spend(spent, "spent")
    today = timezone.localdate()
    for milestone in done:
        if milestone.award_id != award.pk:
            raise ValidationError({"done": _("Choose this award's milestones.")})
        if milestone.done_on is None:
            milestone.done_on = today
            milestone.save(update_fields=["done_on"])
    award.status, award.spent = status, spent
    award.save(update_fields=["status", "spent", "updated_at"])
    report = ProgressReport.objects.create(
        award=award, status=status, spent=spent, note=note.strip(), reported_at=timezone.now(), reported_by=_user(actor)
    )
    LineSpend.objects.bulk_create(LineSpend(report=report, line=lines[pk], spent=value) for pk, value in given.items())
    after = {
        "status": status,
        "spent": str(spent),
        "note": note,
        "by_line": {lines[pk].label: str(value) for pk, value in given.items()},
    }
    audit.record(actor, "award.progress", award, coalition=award.call.coalition, after=after)
    return report


@transaction.atomic
def do_link_action(actor: Any, award: Award, action: Any) -> Award:
    if action is not None and action.coalition_id != award.coalition_id:
        raise ValidationError({"action": _("Choose an action of this coalition.")})
    award.action = action
    award.save(update_fields=["action", "updated_at"])
    audit.record(
        actor, "award.linked", award, coalition=award.call.coalition, after={"action": getattr(action, "pk", None)}
    )
    return award
