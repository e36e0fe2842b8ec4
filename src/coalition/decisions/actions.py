"""Every change to polls: open one, vote, declare a conflict of interest, close, record the outcome.

Anonymous ballots: the participation (who) and the ballot (what) are written in one transaction, the ballot
with a random id and no time or voter, and the poll's ballot contents are then reshuffled among its rows. The
audit trail records that a person voted, never what. One vote per voter is the unique constraint on
``Participation``: a second, concurrent ballot fails on it and its transaction (ballot included) rolls back.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition.coalitions.models import Coalition, Membership, WorkingGroup
from coalition.core import audit
from coalition.core.dates import check_dates
from coalition.decisions import ballots, notices, queries
from coalition.decisions.counting import quorum_met
from coalition.decisions.models import (
    OPTION_KINDS,
    OUTCOME_FIELDS,
    POLL_FIELDS,
    Ballot,
    DecisionSettings,
    Electorate,
    Kind,
    Option,
    Participation,
    Poll,
    Reasons,
    Recusal,
)

logger = logging.getLogger(__name__)
_shuffle = random.SystemRandom().shuffle
MAX_OPTIONS = 50


@transaction.atomic
def do_save_decision_settings(actor: Any, coalition: Coalition, *, facilitator_may_vote: bool) -> DecisionSettings:
    saved, _created = DecisionSettings.objects.get_or_create(coalition=coalition)
    before = audit.snapshot(saved, ["facilitator_may_vote"])
    saved.facilitator_may_vote = facilitator_may_vote
    saved.save()
    after = audit.snapshot(saved, ["facilitator_may_vote"])
    audit.record(actor, "decisions.settings_changed", saved, coalition=coalition, before=before, after=after)
    return saved


def _check_poll(
    coalition: Coalition, fields: Mapping[str, Any], options: Sequence[tuple[str, dt.datetime | None]]
) -> None:
    errors: dict[str, str] = {}
    kind = fields["kind"]
    if fields["closes_at"] <= fields["opens_at"]:
        errors["closes_at"] = _("A poll closes after it opens.")
    elif fields["closes_at"] <= timezone.now():
        errors["closes_at"] = _("The closing time has already passed.")
    group: WorkingGroup | None = fields.get("working_group")
    if fields["electorate"] == Electorate.WORKING_GROUP and (group is None or group.coalition_id != coalition.pk):
        errors["working_group"] = _("Choose the working group that votes.")
    if kind in OPTION_KINDS and not 2 <= len(options) <= MAX_OPTIONS:
        errors["options"] = _("Give between 2 and %(n)s options, one a line.") % {"n": MAX_OPTIONS}
    elif kind == Kind.STV and fields.get("seats", 1) >= len(options):
        errors["seats"] = _("Elect fewer seats than there are candidates.")
    elif kind == Kind.TIME and any(starts is None for _label, starts in options):
        errors["options"] = _("Give each slot as a date and time.")
    if len({label for label, _starts in options}) != len(options):
        errors["options"] = _("Each option appears once.")
    if errors:
        raise ValidationError(errors)
    check_dates(coalition.date_window, opens_at=fields["opens_at"].date(), closes_at=fields["closes_at"].date())


@transaction.atomic
def do_create_poll(
    actor: Any,
    coalition: Coalition,
    *,
    options: Sequence[tuple[str, dt.datetime | None]] = (),
    amends: Poll | None = None,
    **fields: Any,
) -> Poll:
    """Open a poll (it takes ballots from ``opens_at``). ``options`` are (label, slot start) pairs, in the
    order shown; ``amends`` names the proposal this one amends."""
    _check_poll(coalition, fields, options)
    if amends is not None and amends.coalition_id != coalition.pk:
        raise ValidationError({"amends": _("Choose a proposal of this coalition.")})
    if fields["kind"] not in OPTION_KINDS:
        options = ()
    if fields["electorate"] != Electorate.WORKING_GROUP:
        fields["working_group"] = None
    poll = Poll(
        coalition=coalition, created_by=actor, amends=amends, **{k: fields[k] for k in POLL_FIELDS if k in fields}
    )
    poll.full_clean()
    poll.save()
    Option.objects.bulk_create(
        Option(poll=poll, label=label, starts_at=starts, position=i) for i, (label, starts) in enumerate(options)
    )
    audit.record(actor, "poll.created", poll, coalition=coalition, after=audit.snapshot(poll, POLL_FIELDS))
    notices.poll_opened(poll)
    notices.schedule_closing(poll)
    return poll


def _reason_for(poll: Poll, choice: Mapping[str, Any], reason: str) -> str:
    reason = reason.strip()
    if not reason and (poll.reasons == Reasons.REQUIRED or ballots.needs_reason(choice)):
        raise ValidationError({"reason": _("Give the reason for your vote.")})
    return reason


def _check_can_vote(poll: Poll, membership: Membership) -> None:
    if not queries.is_open(poll):
        raise ValidationError(_("This poll is not open for votes."))
    standing = queries.standing(poll, membership)
    if standing.recusal is not None:
        raise ValidationError(_("You declared a conflict of interest and do not vote in this poll."))
    if not standing.eligible:
        raise ValidationError(_("You are not in this poll's electorate."))


def _shuffle_anonymous(poll: Poll) -> None:
    """Deal the poll's anonymous ballot contents out again at random over its rows: whichever row was written
    last, its content is now any ballot's, so neither ids nor storage order point at the newest voter."""
    rows = list(Ballot.objects.select_for_update().filter(poll=poll))
    contents = [(row.choice, row.reason) for row in rows]
    _shuffle(contents)
    for row, (choice, reason) in zip(rows, contents, strict=True):
        row.choice, row.reason = choice, reason
    Ballot.objects.bulk_update(rows, ["choice", "reason"])


def do_cast_ballot(
    actor: Any, membership: Membership, poll: Poll, *, choice: Mapping[str, Any], reason: str = ""
) -> None:
    """Vote. In a named poll a later ballot replaces the earlier one until closing, which stays as history; in
    an anonymous poll a ballot is final (nothing links it back to change it)."""
    option_ids = list(poll.options.values_list("pk", flat=True))
    cleaned = ballots.clean_choice(poll, option_ids, choice)
    reason = _reason_for(poll, cleaned, reason)
    try:
        with transaction.atomic():
            _record_ballot(actor, membership, poll, cleaned, reason)
    except IntegrityError as clash:
        # another ballot of this voter won the race (the unique constraint): nothing of this one was kept
        raise ValidationError(_("Your vote was already recorded.")) from clash


def _record_ballot(actor: Any, membership: Membership, poll: Poll, choice: dict[str, Any], reason: str) -> None:
    poll = Poll.objects.select_for_update().get(pk=poll.pk)
    _check_can_vote(poll, membership)
    key = queries.voter_key(poll, membership)
    participation = Participation.objects.filter(poll=poll, voter_key=key).first()
    if poll.is_anonymous:
        if participation is not None:
            raise ValidationError(_("You have voted; an anonymous ballot cannot be changed."))
        Participation.objects.create(poll=poll, membership=membership, voter_key=key, voted_on=timezone.localdate())
        Ballot.objects.create(poll=poll, choice=choice, reason=reason)
        _shuffle_anonymous(poll)
        audit.record(actor, "poll.voted", poll, coalition=poll.coalition)
        return
    if participation is None:
        participation = Participation.objects.create(
            poll=poll, membership=membership, voter_key=key, voted_on=timezone.localdate()
        )
    changed = Ballot.objects.filter(participation=participation, is_current=True).update(is_current=False)
    Ballot.objects.create(poll=poll, participation=participation, choice=choice, reason=reason, cast_at=timezone.now())
    verb = "ballot.changed" if changed else "ballot.cast"
    audit.record(actor, verb, poll, coalition=poll.coalition, after={"choice": choice, "reason": reason})


@transaction.atomic
def do_declare_recusal(actor: Any, membership: Membership, poll: Poll, *, reason: str) -> Recusal:
    """Declare a conflict of interest: the person no longer votes in ``poll`` and the recusal is shown. In a
    named poll an earlier ballot of theirs is set aside; in an anonymous one it cannot be found, so a recusal
    must come before voting."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say what the conflict of interest is.")})
    if poll.closed_at is not None:
        raise ValidationError(_("This poll is closed."))
    if Recusal.objects.filter(poll=poll, membership=membership).exists():
        raise ValidationError(_("You have already declared a conflict of interest."))
    if not queries.electorate_members(poll).filter(pk=membership.pk).exists():
        raise ValidationError(_("You are not in this poll's electorate."))
    voted = Participation.objects.filter(poll=poll, membership=membership).exists()
    if poll.is_anonymous and voted:
        raise ValidationError(_("Your anonymous ballot is already in and cannot be set aside."))
    recusal = Recusal.objects.create(poll=poll, membership=membership, reason=reason, declared_on=timezone.localdate())
    audit.record(actor, "poll.recused", recusal, coalition=poll.coalition, after={"reason": reason})
    return recusal


def _counted_choices(poll: Poll) -> list[dict[str, Any]]:
    if poll.is_anonymous:
        return list(Ballot.objects.filter(poll=poll).values_list("choice", flat=True))
    counted = queries.counted_participations(poll)
    return list(
        Ballot.objects.filter(poll=poll, is_current=True, participation__in=counted).values_list("choice", flat=True)
    )


@transaction.atomic
def do_close_poll(actor: Any, poll: Poll) -> Poll:
    """Close ``poll`` and count it. A poll that missed its quorum records its counts but decides nothing."""
    poll = Poll.objects.select_for_update().get(pk=poll.pk)
    if poll.closed_at is not None:
        raise ValidationError(_("This poll is already closed."))
    labels = dict(poll.options.values_list("pk", "label"))
    electorate = queries.electorate_size(poll)
    turnout = queries.counted_participations(poll).count()
    poll.electorate_size, poll.turnout = electorate, turnout
    poll.quorum_met = quorum_met(turnout, electorate, poll.quorum_share)
    result = ballots.count(poll, _counted_choices(poll), electorate, labels)
    if not poll.quorum_met:
        result.update(passed=None, winners=[], tied=[])
    poll.result = {**result, "labels": {str(k): v for k, v in labels.items()}}
    poll.closed_at = timezone.now()
    poll.save()
    after = {"turnout": turnout, "electorate": electorate, "quorum_met": poll.quorum_met}
    audit.record(actor, "poll.closed", poll, coalition=poll.coalition, after=after)
    notices.poll_closed(poll)
    return poll


def do_close_due_polls(now: dt.datetime | None = None) -> int:
    """Close every poll whose closing time has passed (the scheduled task and the daily hook call this)."""
    moment = now or timezone.now()
    due = Poll.objects.filter(closed_at__isnull=True, closes_at__lte=moment).values_list("pk", flat=True)
    closed = 0
    for pk in list(due):
        poll = Poll.objects.get(pk=pk)
        if poll.closed_at is None:
            do_close_poll(None, poll)
            closed += 1
    return closed


@transaction.atomic
def do_record_outcome(actor: Any, poll: Poll, *, actions: Iterable[Any] = (), **fields: Any) -> Poll:
    """The facilitator's statement of what was decided, why, the next steps and when to review it."""
    if poll.closed_at is None:
        raise ValidationError(_("Record the outcome once the poll is closed."))
    if not str(fields.get("outcome_statement", "")).strip():
        raise ValidationError({"outcome_statement": _("Say what was decided.")})
    review_on = fields.get("review_on")
    if review_on is not None:
        check_dates(poll.coalition.date_window, review_on=review_on)
    linked = list(actions)
    if any(action.coalition_id != poll.coalition_id for action in linked):
        raise ValidationError({"actions": _("Link actions of this coalition only.")})
    before = audit.snapshot(poll, OUTCOME_FIELDS)
    for name in OUTCOME_FIELDS:
        setattr(poll, name, fields.get(name) or ("" if name != "review_on" else None))
    poll.outcome_recorded_at = timezone.now()
    poll.save()
    poll.actions.set(linked)
    after = {**audit.snapshot(poll, OUTCOME_FIELDS), "actions": [a.pk for a in linked]}
    audit.record(actor, "poll.outcome_recorded", poll, coalition=poll.coalition, before=before, after=after)
    notices.outcome_recorded(poll)
    return poll
