"""Decision screens: polls, voting, recusal, closing, outcomes, the decision log. Thin: forms parse, actions
write, ``queries``/``log`` read. A poll's result is shown only once it is closed (it exists only then)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from coalition.coalitions.access import Access, coalition_view, scoped_get
from coalition.core.forms import render_form, run_action, run_action_message, submitted
from coalition.core.listing import paginate, render_list
from coalition.core.permissions import Perm
from coalition.core.tabular import csv_response
from coalition.decisions import actions, log, queries, rules
from coalition.decisions.ballots import ANSWERS, describe
from coalition.decisions.forms import (
    ANSWER_LABELS,
    SLOT_LABELS,
    BallotForm,
    LogFilterForm,
    OutcomeForm,
    PollForm,
    RecusalForm,
    SettingsForm,
)
from coalition.decisions.models import Ballot, DecisionSettings, Kind, Poll

PAGE_SIZE = 25
ALL_LABELS = {**ANSWER_LABELS, **SLOT_LABELS}
RESULT_COLUMNS = {
    Kind.APPROVAL: (gettext_lazy("Option"), gettext_lazy("Approvals")),
    Kind.POINTS: (gettext_lazy("Option"), gettext_lazy("Points")),
    Kind.RANKED: (gettext_lazy("Candidate"), gettext_lazy("First preferences")),
    Kind.STV: (gettext_lazy("Candidate"), gettext_lazy("First preferences")),
    Kind.SCORE: (gettext_lazy("Option"), gettext_lazy("Mean score"), gettext_lazy("Median score")),
    Kind.TIME: (gettext_lazy("Slot"), gettext_lazy("Can come"), gettext_lazy("If need be")),
}


@coalition_view(Perm.VIEW_DECISIONS)
def poll_list(request: HttpRequest, access: Access) -> HttpResponse:
    page, query = paginate(request, queries.polls(access.coalition.pk), PAGE_SIZE)
    context = {"page": page, "query": query, "now": timezone.now(), "can_run": access.can(Perm.RUN_POLLS)}
    return render_list(request, "decisions/poll_list.html", "decisions/_poll_results.html", context)


def _default_times() -> dict[str, dt.datetime]:
    now = timezone.localtime().replace(second=0, microsecond=0)
    return {"opens_at": now, "closes_at": now + dt.timedelta(days=7)}


@coalition_view(Perm.RUN_POLLS)
def poll_new(request: HttpRequest, access: Access) -> HttpResponse:
    amends = None
    if amends_id := request.GET.get("amends", "").strip():
        amends = scoped_get(access, Poll, pk=int(amends_id)) if amends_id.isdigit() else None
    initial: dict[str, Any] = {**_default_times()}
    if amends is not None:
        initial.update(title=amends.title, details=amends.details, kind=amends.kind, electorate=amends.electorate)
    form = PollForm(request.POST or None, initial=initial, coalition=access.coalition)
    if submitted(request, form):
        made = run_action(
            form,
            actions.do_create_poll,
            request.user,
            access.coalition,
            options=form.cleaned_data["options"],
            amends=amends,
            **form.poll_fields(),
        )
        if made:
            messages.success(request, _("Poll “%(title)s” created.") % {"title": made.value.title})
            return redirect("decisions:poll", access.coalition.pk, made.value.pk)
    return render_form(request, "decisions/poll_form.html", {"form": form, "amends": amends})


def _result_table(poll: Poll) -> dict[str, Any]:
    result = poll.result or {}
    if poll.kind in ANSWERS:
        columns: tuple[Any, ...] = (_("Answer"), _("Votes"))
        rows = [[ANSWER_LABELS.get(answer, answer), n] for answer, n in result.get("rows", [])]
    else:
        columns, rows = RESULT_COLUMNS[Kind(poll.kind)], result.get("rows", [])
    return {"columns": columns, "rows": rows, "rounds": result.get("rounds", []), "summary": log.result_of(poll)}


def _named_ballots(poll: Poll, labels: dict[int, str]) -> list[tuple[Any, str, str]]:
    """A closed named poll's counted ballots: (membership, the ballot in words, reason). Anonymous: none."""
    if poll.is_anonymous or not poll.is_closed:
        return []
    counted = queries.counted_participations(poll)
    found = (
        Ballot.objects.filter(poll=poll, is_current=True, participation__in=counted)
        .select_related("participation__membership__user", "participation__membership__organisation")
        .order_by("participation__membership__user__username")
    )
    return [
        (b.participation.membership, describe(b.choice, labels, ALL_LABELS), b.reason) for b in found if b.participation
    ]


def _anonymous_reasons(poll: Poll) -> list[str]:
    """A closed anonymous poll's reasons, in alphabetical order (so no order points at a voter), from three voters."""
    if not poll.is_anonymous or not poll.is_closed or not queries.turnout_shown(poll, poll.turnout or 0):
        return []
    return sorted(r for r in Ballot.objects.filter(poll=poll).values_list("reason", flat=True) if r)


def _poll_context(access: Access, poll: Poll, ballot_form: BallotForm | None) -> dict[str, Any]:
    standing = queries.standing(poll, access.membership)
    options = list(poll.options.all())
    labels = {o.pk: o.label for o in options}
    is_open = queries.is_open(poll)
    turnout = poll.turnout if poll.is_closed else poll.participations.count()
    voters = [] if poll.is_anonymous else list(poll.participations.select_related("membership__user"))
    history = []
    if not poll.is_anonymous:
        history = list(Ballot.objects.filter(participation__poll=poll, participation__membership=access.membership))
    may_vote = is_open and standing.eligible and rules.may_vote(access) and not (poll.is_anonymous and standing.voted)
    if ballot_form is None and may_vote:
        ballot_form = BallotForm(poll=poll, options=options)
    return {
        "poll": poll,
        "options": options,
        "is_open": is_open,
        "standing": standing,
        "ballot_form": ballot_form if may_vote else None,
        "recusal_form": RecusalForm()
        if is_open and standing.eligible and not (poll.is_anonymous and standing.voted)
        else None,
        "recusals": list(poll.recusals.select_related("membership__user")),
        "turnout": turnout if queries.turnout_shown(poll, turnout or 0) else None,
        "min_turnout": queries.MIN_TURNOUT_SHOWN,
        "voters": voters,
        "history": [(b, describe(b.choice, labels, ALL_LABELS)) for b in sorted(history, key=lambda b: str(b.cast_at))],
        "result": _result_table(poll) if poll.is_closed else None,
        "show_counts": poll.is_closed and queries.turnout_shown(poll, poll.turnout or 0),
        "named_ballots": _named_ballots(poll, labels),
        "anonymous_reasons": _anonymous_reasons(poll),
        "can_run": access.can(Perm.RUN_POLLS),
        "forum": log.forum_of(poll),
        "rule": log.rule_of(poll),
    }


@coalition_view(Perm.VIEW_DECISIONS, rules=(rules.VOTER,))
def poll_detail(request: HttpRequest, access: Access, poll_id: int) -> HttpResponse:
    poll = scoped_get(access, Poll.objects.select_related("working_group", "amends"), pk=poll_id)
    form = None
    if request.method == "POST":
        form = BallotForm(request.POST, poll=poll, options=list(poll.options.all()))
        if form.is_valid():
            cast = run_action(
                form,
                actions.do_cast_ballot,
                request.user,
                access.membership,
                poll,
                choice=form.choice(),
                reason=form.cleaned_data["reason"],
            )
            if cast:
                messages.success(request, _("Your vote is recorded."))
                return redirect("decisions:poll", access.coalition.pk, poll.pk)
    status = 400 if form is not None and form.errors else 200
    return TemplateResponse(request, "decisions/poll_detail.html", _poll_context(access, poll, form), status=status)


@require_POST
@coalition_view(Perm.VIEW_DECISIONS)
def poll_recuse(request: HttpRequest, access: Access, poll_id: int) -> HttpResponse:
    poll = scoped_get(access, Poll, pk=poll_id)
    form = RecusalForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    if run_action_message(request, actions.do_declare_recusal, request.user, access.membership, poll, reason=reason):
        messages.success(request, _("Your conflict of interest is recorded; you do not vote in this poll."))
    return redirect("decisions:poll", access.coalition.pk, poll.pk)


@require_POST
@coalition_view(Perm.RUN_POLLS)
def poll_close(request: HttpRequest, access: Access, poll_id: int) -> HttpResponse:
    poll = scoped_get(access, Poll, pk=poll_id)
    if run_action_message(request, actions.do_close_poll, request.user, poll):
        messages.success(request, _("The poll is closed and counted."))
    return redirect("decisions:poll", access.coalition.pk, poll.pk)


@coalition_view(Perm.RUN_POLLS)
def poll_outcome(request: HttpRequest, access: Access, poll_id: int) -> HttpResponse:
    poll = scoped_get(access, Poll, pk=poll_id)
    form = OutcomeForm(request.POST or None, instance=poll, coalition=access.coalition)
    if submitted(request, form):
        fields = {name: form.cleaned_data[name] for name in ("outcome_statement", "outcome_reasoning", "next_steps")}
        recorded = run_action(
            form,
            actions.do_record_outcome,
            request.user,
            poll,
            actions=form.cleaned_data["actions"],
            review_on=form.cleaned_data["review_on"],
            **fields,
        )
        if recorded:
            messages.success(request, _("The outcome is recorded in the decision log."))
            return redirect("decisions:poll", access.coalition.pk, poll.pk)
    return render_form(request, "decisions/outcome_form.html", {"form": form, "poll": poll})


@coalition_view(Perm.VIEW_DECISIONS, write=Perm.CHANGE_SETTINGS)
def decision_settings(request: HttpRequest, access: Access) -> HttpResponse:
    current = DecisionSettings.objects.filter(coalition=access.coalition).first()
    initial = {"facilitator_may_vote": bool(current and current.facilitator_may_vote)}
    form = SettingsForm(request.POST or None, initial=initial)
    if submitted(request, form):
        may_vote = form.cleaned_data["facilitator_may_vote"]
        if run_action(
            form, actions.do_save_decision_settings, request.user, access.coalition, facilitator_may_vote=may_vote
        ):
            messages.success(request, _("Decision settings saved."))
            return redirect("decisions:settings", access.coalition.pk)
    context = {"form": form, "can_change": access.can(Perm.CHANGE_SETTINGS)}
    return TemplateResponse(request, "decisions/settings.html", context, status=400 if form.errors else 200)


def _log_filter(request: HttpRequest) -> tuple[LogFilterForm, log.LogFilter]:
    form = LogFilterForm(request.GET or None)
    if not form.is_valid():
        return form, log.LogFilter()
    data = form.cleaned_data
    return form, log.LogFilter(q=data["q"], rule=data["rule"], since=data["since"], until=data["until"])


@coalition_view(Perm.VIEW_DECISIONS)
def decision_log(request: HttpRequest, access: Access) -> HttpResponse:
    form, filters = _log_filter(request)
    page, query = paginate(request, log.entries(access.coalition.pk, filters), PAGE_SIZE)
    context = {"form": form, "page": page, "query": query}
    return render_list(request, "decisions/log.html", "decisions/_log_results.html", context)


@coalition_view(Perm.VIEW_DECISIONS)
def decision_log_export(request: HttpRequest, access: Access) -> HttpResponse:
    _form, filters = _log_filter(request)
    rows = log.export_rows(log.entries(access.coalition.pk, filters))
    return csv_response("decision-log.csv", log.EXPORT_HEADER, rows)
