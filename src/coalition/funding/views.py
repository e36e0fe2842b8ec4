"""Funding screens: the fund and its balances, the ledger, the statement (HTML, CSV, PDF), the resource register,
calls with their proposals, reviews, member choice, decision and awards. Thin: forms parse, actions write,
``ledger``/``queries`` read. Every member sees the whole process."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from weasyprint import HTML

from coalition.coalitions.access import Access, coalition_view, scoped_get
from coalition.core.forms import render_form, run_action, run_action_message, submitted
from coalition.core.listing import paginate, render_list
from coalition.core.permissions import Perm
from coalition.core.tabular import csv_response
from coalition.decisions import rules as decision_rules
from coalition.funding import actions, ledger, queries, rules
from coalition.funding.forms import (
    BallotForm,
    CallForm,
    ConversionForm,
    DecisionForm,
    EntryForm,
    FundForm,
    InstalmentForm,
    MilestoneForm,
    ProgressForm,
    ProposalForm,
    ReasonForm,
    ResourceForm,
    ReviewerForm,
    ReviewForm,
    StatementForm,
)
from coalition.funding.models import (
    CALL_FIELDS,
    ENTRY_FIELDS,
    FUND_FIELDS,
    RESOURCE_FIELDS,
    Award,
    Call,
    CallBallot,
    Fund,
    Instalment,
    LedgerEntry,
    Phase,
    Proposal,
    Resource,
    rule_sentence,
)
from coalition.planning.models import Priority

PAGE_SIZE = 50


def _balance_rows(coalition_id: int, found: list[Any]) -> list[dict[str, Any]]:
    funds = ledger.fund_names(coalition_id)
    priorities = dict(Priority.objects.filter(coalition_id=coalition_id).values_list("pk", "title"))
    return [{"label": ledger.describe_group(b, funds, priorities), "b": b} for b in found]


@coalition_view(Perm.VIEW_FUNDING)
def fund(request: HttpRequest, access: Access) -> HttpResponse:
    cid = access.coalition.pk
    context = {
        "funds": list(Fund.objects.filter(coalition=access.coalition)),
        "balances": _balance_rows(cid, ledger.balances(cid)),
        "calls": list(queries.calls(cid)[:10]),
        "can_manage": access.can(Perm.MANAGE_FUND),
    }
    return TemplateResponse(request, "funding/fund.html", context)


@coalition_view(Perm.MANAGE_FUND)
def fund_new(request: HttpRequest, access: Access) -> HttpResponse:
    form = FundForm(request.POST or None)
    if submitted(request, form):
        fields = {name: form.cleaned_data[name] for name in FUND_FIELDS}
        if run_action(form, actions.do_save_fund, request.user, access.coalition, **fields):
            messages.success(request, _("Fund created."))
            return redirect("funding:fund", access.coalition.pk)
    return render_form(request, "funding/form.html", {"form": form, "title": _("New fund")})


@coalition_view(Perm.VIEW_FUNDING)
def ledger_list(request: HttpRequest, access: Access) -> HttpResponse:
    found = (
        ledger.entries(access.coalition.pk).select_related("fund", "source", "reverses").order_by("-occurred_on", "-id")
    )
    page, query = paginate(request, found, PAGE_SIZE)
    context = {"page": page, "query": query, "can_manage": access.can(Perm.MANAGE_FUND), "reason_form": ReasonForm()}
    return render_list(request, "funding/ledger.html", "funding/_ledger_results.html", context)


@coalition_view(Perm.MANAGE_FUND)
def entry_new(request: HttpRequest, access: Access) -> HttpResponse:
    form = EntryForm(request.POST or None, coalition=access.coalition)
    if submitted(request, form):
        fields = {name: form.cleaned_data[name] for name in ENTRY_FIELDS}
        if run_action(form, actions.do_record_entry, request.user, form.cleaned_data["fund"], **fields):
            messages.success(request, _("Entry recorded."))
            return redirect("funding:ledger", access.coalition.pk)
    return render_form(request, "funding/form.html", {"form": form, "title": _("New ledger entry")})


@coalition_view(Perm.MANAGE_FUND)
def conversion_new(request: HttpRequest, access: Access) -> HttpResponse:
    form = ConversionForm(request.POST or None, coalition=access.coalition)
    if submitted(request, form):
        data = dict(form.cleaned_data)
        target = data.pop("fund")
        if run_action(form, actions.do_convert, request.user, target, **data):
            messages.success(request, _("Conversion recorded."))
            return redirect("funding:ledger", access.coalition.pk)
    return render_form(request, "funding/form.html", {"form": form, "title": _("Record a currency conversion")})


@require_POST
@coalition_view(Perm.MANAGE_FUND)
def entry_reverse(request: HttpRequest, access: Access, entry_id: int) -> HttpResponse:
    entry = scoped_get(access, LedgerEntry, pk=entry_id)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    if run_action_message(request, actions.do_reverse_entry, request.user, entry, reason=reason):
        messages.success(request, _("The entry is reversed."))
    return redirect("funding:ledger", access.coalition.pk)


def _statement(request: HttpRequest, access: Access) -> tuple[StatementForm, ledger.Statement]:
    form = StatementForm(request.GET or None)
    start, end = form.period()
    return form, ledger.statement(access.coalition.pk, start, end)


def _statement_context(access: Access, found: ledger.Statement) -> dict[str, Any]:
    cid = access.coalition.pk
    return {
        "statement": found,
        "opening": _balance_rows(cid, found.opening),
        "closing": _balance_rows(cid, found.closing),
        "coalition": access.coalition,
    }


@coalition_view(Perm.VIEW_FUNDING)
def statement(request: HttpRequest, access: Access) -> HttpResponse:
    form, found = _statement(request, access)
    context = {"form": form, "query": request.GET.urlencode(), **_statement_context(access, found)}
    return TemplateResponse(request, "funding/statement.html", context)


@coalition_view(Perm.VIEW_FUNDING)
def statement_csv(request: HttpRequest, access: Access) -> HttpResponse:
    _form, found = _statement(request, access)
    name = f"fund-statement-{found.start.isoformat()}-{found.end.isoformat()}.csv"
    return csv_response(name, ledger.STATEMENT_HEADER, ledger.statement_rows(found))


@coalition_view(Perm.VIEW_FUNDING)
def statement_pdf(request: HttpRequest, access: Access) -> HttpResponse:
    _form, found = _statement(request, access)
    html = render_to_string("funding/statement_document.html", _statement_context(access, found))
    response = HttpResponse(HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(), "application/pdf")
    name = f"fund-statement-{found.start.isoformat()}-{found.end.isoformat()}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@coalition_view(Perm.VIEW_FUNDING, write=Perm.PROPOSE_FUNDING)
def resources(request: HttpRequest, access: Access) -> HttpResponse:
    form = ResourceForm(request.POST or None, coalition=access.coalition)
    if submitted(request, form):
        fields = {name: form.cleaned_data[name] for name in RESOURCE_FIELDS}
        if run_action(form, actions.do_offer_resource, request.user, access.coalition, **fields):
            messages.success(request, _("Thank you: the resource is in the register."))
            return redirect("funding:resources", access.coalition.pk)
    found = Resource.objects.filter(coalition=access.coalition, withdrawn_at__isnull=True).select_related("offered_by")
    context = {"form": form, "resources": list(found), "can_offer": access.can(Perm.PROPOSE_FUNDING)}
    return TemplateResponse(request, "funding/resources.html", context, status=400 if form.errors else 200)


@require_POST
@coalition_view(Perm.MANAGE_FUND)
def resource_withdraw(request: HttpRequest, access: Access, resource_id: int) -> HttpResponse:
    resource = scoped_get(access, Resource, pk=resource_id)
    if run_action_message(request, actions.do_withdraw_resource, request.user, resource):
        messages.success(request, _("The resource is withdrawn from the register."))
    return redirect("funding:resources", access.coalition.pk)


# --- calls ---------------------------------------------------------------------------------------------------


@coalition_view(Perm.VIEW_FUNDING)
def call_list(request: HttpRequest, access: Access) -> HttpResponse:
    page, query = paginate(request, queries.calls(access.coalition.pk), PAGE_SIZE)
    context = {"page": page, "query": query, "can_manage": access.can(Perm.MANAGE_FUND)}
    return render_list(request, "funding/calls.html", "funding/_call_results.html", context)


@coalition_view(Perm.MANAGE_FUND)
def call_new(request: HttpRequest, access: Access) -> HttpResponse:
    form = CallForm(request.POST or None, coalition=access.coalition)
    if submitted(request, form):
        fields = {name: form.cleaned_data[name] for name in CALL_FIELDS}
        made = run_action(form, actions.do_save_call, request.user, access.coalition, **fields)
        if made:
            messages.success(request, _("Call drafted. Open it when it is ready."))
            return redirect("funding:call", access.coalition.pk, made.value.pk)
    return render_form(request, "funding/form.html", {"form": form, "title": _("New call for proposals")})


def _labels(proposals: list[Proposal]) -> dict[str, str]:
    return {str(p.pk): p.title for p in proposals}


@coalition_view(Perm.VIEW_FUNDING, rules=(decision_rules.VOTER,))
def call_detail(request: HttpRequest, access: Access, call_id: int) -> HttpResponse:
    call = scoped_get(access, Call.objects.select_related("fund", "priority"), pk=call_id)
    proposals = list(
        call.proposals.select_related("lead").prefetch_related("partners", "lines", "reviews__reviewer__user")
    )
    recused = queries.recused_proposals(access.membership, call)
    may_vote = call.phase == Phase.VOTING and queries.may_vote(call, access.membership)
    form = None
    if request.method == "POST" and may_vote:
        form = BallotForm(request.POST, call=call, proposals=proposals, recused=recused)
        if form.is_valid() and run_action(
            form, actions.do_cast_call_ballot, request.user, access.membership, call, choice=form.choice()
        ):
            messages.success(request, _("Your choice is recorded."))
            return redirect("funding:call", access.coalition.pk, call.pk)
    current = CallBallot.objects.filter(call=call, membership=access.membership, is_current=True).first()
    if form is None and may_vote:
        initial: dict[str, Any] = {}
        if current is not None:
            initial = {"proposals": current.choice.get("proposals", [])}
            initial |= {f"score_{k}": v for k, v in current.choice.get("scores", {}).items()}
        form = BallotForm(initial=initial, call=call, proposals=proposals, recused=recused)
    live = [p for p in proposals if p.status != "withdrawn"]
    support = queries.support(call, live) if call.phase in (Phase.DECIDED, Phase.IMPLEMENTING, Phase.CLOSED) else {}
    context = {
        "call": call,
        "proposals": proposals,
        "recused": recused,
        "ballot_form": form,
        "my_ballot": current,
        "voters": queries.counted_ballots(call).count(),
        "phase_changes": list(call.phase_changes.all()),
        "next_phase": actions.next_phase(call),
        "labels": _labels(proposals),
        "support": support,
        "awards": list(call.awards.select_related("proposal__lead")),
        "rollup": queries.rollup(call),
        "reviewers": list(call.reviewers.select_related("membership__user")),
        "reviewer_form": ReviewerForm(coalition=access.coalition) if call.with_review else None,
        "can_manage": access.can(Perm.MANAGE_FUND),
        "can_propose": access.can(Perm.PROPOSE_FUNDING) and call.phase == Phase.OPEN,
        "result_rows": [
            (r, _labels(proposals).get(str(r["proposal"]), "?")) for r in (call.result or {}).get("rows", [])
        ],
    }
    status = 400 if form is not None and form.errors else 200
    return TemplateResponse(request, "funding/call_detail.html", context, status=status)


@require_POST
@coalition_view(Perm.MANAGE_FUND)
def call_advance(request: HttpRequest, access: Access, call_id: int) -> HttpResponse:
    call = scoped_get(access, Call, pk=call_id)
    if run_action_message(request, actions.do_advance_call, request.user, call):
        messages.success(request, _("The call moved to its next phase."))
    return redirect("funding:call", access.coalition.pk, call.pk)


@require_POST
@coalition_view(Perm.MANAGE_FUND)
def reviewer_add(request: HttpRequest, access: Access, call_id: int) -> HttpResponse:
    call = scoped_get(access, Call, pk=call_id)
    form = ReviewerForm(request.POST, coalition=access.coalition)
    if form.is_valid() and run_action_message(
        request, actions.do_assign_reviewer, request.user, call, form.cleaned_data["membership"]
    ):
        messages.success(request, _("Reviewer assigned."))
    return redirect("funding:call", access.coalition.pk, call.pk)


@coalition_view(Perm.MANAGE_FUND)
def call_decide(request: HttpRequest, access: Access, call_id: int) -> HttpResponse:
    call = scoped_get(access, Call.objects.select_related("fund"), pk=call_id)
    proposals = list(queries.live_proposals(call))
    result = actions.computed_result(call)
    computed = {int(pid): Decimal(amount) for pid, amount in result["awards"]}
    form = DecisionForm(request.POST or None, proposals=proposals, computed=computed)
    if submitted(request, form):
        awards = form.awards()
        if run_action(
            form, actions.do_decide_call, request.user, call, awards=awards, reason=form.cleaned_data["reason"]
        ):
            messages.success(request, _("The decision is recorded and the awards are granted."))
            return redirect("funding:call", access.coalition.pk, call.pk)
    rows = [(r, _labels(proposals).get(str(r["proposal"]), "?")) for r in result["rows"]]
    context = {"form": form, "call": call, "result": result, "rule": rule_sentence(result["rule"]), "rows": rows}
    return render_form(request, "funding/decide.html", context)


@coalition_view(Perm.PROPOSE_FUNDING)
def proposal_new(request: HttpRequest, access: Access, call_id: int) -> HttpResponse:
    call = scoped_get(access, Call.objects.select_related("fund"), pk=call_id)
    lead = access.membership.organisation
    form = ProposalForm(request.POST or None, coalition=access.coalition, lead=lead)
    if submitted(request, form):
        data = form.cleaned_data
        made = run_action(
            form,
            actions.do_submit_proposal,
            request.user,
            access.membership,
            call,
            title=data["title"],
            summary=data["summary"],
            lines=data["lines"],
            partners=list(data["partners"]),
            own_contribution=data["own_contribution"] or Decimal(0),
            indicators=list(data["indicators"]),
            conflicts=data["conflicts"],
        )
        if made:
            messages.success(request, _("Your proposal is submitted."))
            return redirect("funding:proposal", access.coalition.pk, made.value.pk)
    return render_form(request, "funding/proposal_form.html", {"form": form, "call": call, "lead": lead})


@coalition_view(Perm.VIEW_FUNDING)
def proposal_detail(request: HttpRequest, access: Access, proposal_id: int) -> HttpResponse:
    proposal = scoped_get(access, Proposal.objects.select_related("call__fund", "lead"), pk=proposal_id)
    call = proposal.call
    is_reviewer = call.reviewers.filter(membership=access.membership).exists()
    recused = queries.is_recused(access.membership, proposal)
    context = {
        "proposal": proposal,
        "call": call,
        "lines": list(proposal.lines.all()),
        "partners": list(proposal.partners.all()),
        "indicators": list(proposal.indicators.all()),
        "reviews": list(proposal.reviews.select_related("reviewer__user")),
        "conflicts": list(proposal.declared_conflicts.select_related("membership__user")),
        "review_form": ReviewForm()
        if call.phase == Phase.REVIEW and is_reviewer and not recused and access.can(Perm.REVIEW_PROPOSALS)
        else None,
        "conflict_form": ReasonForm() if call.phase in (Phase.OPEN, Phase.REVIEW, Phase.VOTING) else None,
        "recused": recused,
    }
    return TemplateResponse(request, "funding/proposal_detail.html", context)


@require_POST
@coalition_view(Perm.REVIEW_PROPOSALS)
def proposal_review(request: HttpRequest, access: Access, proposal_id: int) -> HttpResponse:
    proposal = scoped_get(access, Proposal, pk=proposal_id)
    form = ReviewForm(request.POST)
    score = form.cleaned_data["score"] if form.is_valid() else -1
    reasons = form.cleaned_data.get("reasons", "") if form.is_valid() else ""
    if run_action_message(
        request, actions.do_review, request.user, access.membership, proposal, score=score, reasons=reasons
    ):
        messages.success(request, _("Your review is recorded."))
    return redirect("funding:proposal", access.coalition.pk, proposal.pk)


@require_POST
@coalition_view(Perm.VIEW_FUNDING)
def proposal_conflict(request: HttpRequest, access: Access, proposal_id: int) -> HttpResponse:
    proposal = scoped_get(access, Proposal, pk=proposal_id)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    if run_action_message(
        request, actions.do_declare_conflict, request.user, access.membership, proposal, reason=reason
    ):
        messages.success(request, _("Your conflict of interest is recorded: you neither review nor vote on it."))
    return redirect("funding:proposal", access.coalition.pk, proposal.pk)


# --- awards --------------------------------------------------------------------------------------------------


@coalition_view(Perm.VIEW_FUNDING, write=Perm.PROPOSE_FUNDING, rules=(rules.AWARD_PARTY,))
def award_detail(request: HttpRequest, access: Access, award_id: int) -> HttpResponse:
    award = scoped_get(access, Award.objects.select_related("call__fund", "proposal__lead", "action"), pk=award_id)
    lines = list(award.proposal.lines.all())
    spending, by_line_report = queries.line_spending(award)
    initial = {"status": award.status, "spent": award.spent}
    form = ProgressForm(request.POST or None, initial=initial, lines=lines)
    if submitted(request, form):
        data = form.cleaned_data
        done = award.milestones.filter(pk__in=[int(x) for x in request.POST.getlist("done") if x.isdigit()])
        if run_action(
            form,
            actions.do_report_progress,
            request.user,
            award,
            status=data["status"],
            spent=data["spent"],
            by_line=form.by_line(),
            note=data["note"],
            done=list(done),
        ):
            messages.success(request, _("Progress reported."))
            return redirect("funding:award", access.coalition.pk, award.pk)
    context = {
        "award": award,
        "instalments": list(award.instalments.select_related("paid_entry")),
        "milestones": list(award.milestones.all()),
        "reports": list(award.reports.select_related("reported_by")),
        "spending": spending,
        "by_line_report": by_line_report,
        "form": form,
        "instalment_form": InstalmentForm(),
        "milestone_form": MilestoneForm(),
        "can_manage": access.can(Perm.MANAGE_FUND),
        "may_report": rules.may_report(request, access, award.pk),
    }
    return render_form(request, "funding/award_detail.html", context)


@require_POST
@coalition_view(Perm.MANAGE_FUND)
def instalment_new(request: HttpRequest, access: Access, award_id: int) -> HttpResponse:
    award = scoped_get(access, Award, pk=award_id)
    form = InstalmentForm(request.POST)
    if form.is_valid():
        if run_action_message(request, actions.do_schedule_instalment, request.user, award, **form.cleaned_data):
            messages.success(request, _("Instalment scheduled."))
    else:
        messages.error(request, _("Give the date and the amount of the instalment."))
    return redirect("funding:award", access.coalition.pk, award.pk)


@require_POST
@coalition_view(Perm.MANAGE_FUND)
def milestone_new(request: HttpRequest, access: Access, award_id: int) -> HttpResponse:
    award = scoped_get(access, Award, pk=award_id)
    form = MilestoneForm(request.POST)
    if form.is_valid():
        if run_action_message(request, actions.do_add_milestone, request.user, award, **form.cleaned_data):
            messages.success(request, _("Milestone added."))
    else:
        messages.error(request, _("Name the milestone and give its date."))
    return redirect("funding:award", access.coalition.pk, award.pk)


@require_POST
@coalition_view(Perm.MANAGE_FUND)
def disburse(request: HttpRequest, access: Access, instalment_id: int) -> HttpResponse:
    instalment = Instalment.objects.filter(pk=instalment_id, award__coalition=access.coalition).first()
    if instalment is None:
        raise Http404
    if run_action_message(request, actions.do_disburse, request.user, instalment):
        messages.success(request, _("Disbursed: the ledger and the balance are updated."))
    return redirect("funding:award", access.coalition.pk, instalment.award_id)
