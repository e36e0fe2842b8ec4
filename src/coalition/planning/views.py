"""Co-design screens. Thin views: forms validate input, actions change state, queries read."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coalition.coalitions.access import Access, coalition_view, scoped_get
from coalition.coalitions.actions import StaleVersion
from coalition.core import extensions
from coalition.core.fields import parse_id
from coalition.core.forms import initial_from, run_action, run_action_message
from coalition.core.permissions import Perm
from coalition.measurement.models import Indicator
from coalition.planning import actions, forms, queries, tree
from coalition.planning.brief import render_pdf
from coalition.planning.models import AgendaVersion, Assessment, Asset, DotVote, Priority, ProblemNode

# The meeting series that keep the agenda's rhythm: an app that keeps meetings adds them (``core.extensions``).
MEETING_RHYTHM = "planning.meeting_rhythm"

# --- Rapid assessment and asset map -------------------------------------------------------------


@coalition_view(Perm.VIEW_PLANNING)
def assessment(request: HttpRequest, access: Access) -> HttpResponse:
    by = "place" if request.GET.get("by") == "place" else "kind"
    found = Assessment.objects.filter(coalition=access.coalition).first()
    return render(
        request,
        "planning/assessment.html",
        {
            "assessment": found,
            "consulted": found.stakeholders.order_by("name") if found else [],
            "asset_groups": queries.asset_map(access.coalition, by),
            "by": by,
            "can_edit": access.can(Perm.EDIT_STAKEHOLDERS),
        },
    )


@coalition_view(Perm.EDIT_STAKEHOLDERS)
def assessment_edit(request: HttpRequest, access: Access) -> HttpResponse:
    found = Assessment.objects.filter(coalition=access.coalition).first()
    initial: dict[str, Any] = {"version": found.version if found else None}
    if found:
        initial.update(
            held_on=found.held_on,
            key_findings=found.key_findings,
            challenges=found.challenges,
            opportunities=found.opportunities,
            stakeholders=list(found.stakeholders.all()),
        )
    form = forms.AssessmentForm(request.POST or None, initial=initial, coalition=access.coalition)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = run_action(form, actions.do_save_assessment, access, expected_version=data.pop("version"), **data)
        except StaleVersion:
            messages.error(request, _("Someone else saved the assessment meanwhile. Review their changes first."))
            return redirect("planning:assessment", access.coalition.pk)
        if saved:
            messages.success(request, _("Assessment saved."))
            return redirect("planning:assessment", access.coalition.pk)
    return render(request, "planning/assessment_form.html", {"form": form})


def _asset_form(request: HttpRequest, access: Access, asset: Asset | None) -> HttpResponse:
    form = forms.AssetForm(request.POST or None, instance=asset, coalition=access.coalition)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        if run_action(form, actions.do_save_asset, access, asset, **fields):
            messages.success(request, _("Asset saved."))
            return redirect("planning:assessment", access.coalition.pk)
    return render(request, "planning/asset_form.html", {"form": form, "asset": asset})


@coalition_view(Perm.EDIT_STAKEHOLDERS)
def asset_add(request: HttpRequest, access: Access) -> HttpResponse:
    return _asset_form(request, access, None)


@coalition_view(Perm.EDIT_STAKEHOLDERS)
def asset_edit(request: HttpRequest, access: Access, asset_id: int) -> HttpResponse:
    return _asset_form(request, access, scoped_get(access, Asset, pk=asset_id, is_archived=False))


@require_POST
@coalition_view(Perm.EDIT_STAKEHOLDERS)
def asset_archive(request: HttpRequest, access: Access, asset_id: int) -> HttpResponse:
    asset = scoped_get(access, Asset, pk=asset_id)
    actions.do_set_asset_archived(access, asset, archived=True)
    messages.success(request, _("“%(name)s” was taken off the asset map.") % {"name": asset.name})
    return redirect("planning:assessment", access.coalition.pk)


# --- Problem tree ---------------------------------------------------------------------------------


@coalition_view(Perm.VIEW_PLANNING)
def problem_tree(request: HttpRequest, access: Access) -> HttpResponse:
    root = queries.problem_tree(access.coalition)
    can_edit = queries.can_codesign(access)
    core_node = queries.core_problem(access.coalition)
    context: dict[str, Any] = {
        "tree": root,
        "svg": tree.render_svg(tree.layout(root), _("Problem tree: effects above, causes below the core problem")),
        "can_edit": can_edit,
    }
    if can_edit:
        context["core_form"] = forms.NodeTextForm(
            initial=initial_from(core_node, forms.NodeTextForm.base_fields) if core_node else None,
            prefix="core",
        )
        if core_node:
            context["add_form"] = forms.AddNodeForm(
                coalition=access.coalition, initial={"parent": core_node, "kind": ProblemNode.Kind.CAUSE}, prefix="add"
            )
    return render(request, "planning/problem_tree.html", context)


@coalition_view(Perm.VIEW_PLANNING, rules=(queries.CODESIGN,))
def problem_core(request: HttpRequest, access: Access) -> HttpResponse:
    core = queries.core_problem(access.coalition)
    form = forms.NodeTextForm(
        request.POST or None,
        initial=initial_from(core, forms.NodeTextForm.base_fields) if core else None,
        prefix="core",
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and run_action(form, actions.do_set_core_problem, access, **form.cleaned_data)
    ):
        messages.success(request, _("Core problem saved."))
        return redirect("planning:problem_tree", access.coalition.pk)
    return render(request, "planning/node_form.html", {"form": form, "heading": _("Core problem")})


@coalition_view(Perm.VIEW_PLANNING, rules=(queries.CODESIGN,))
def problem_node_add(request: HttpRequest, access: Access) -> HttpResponse:
    initial: dict[str, Any] = {"kind": request.GET.get("kind", ProblemNode.Kind.CAUSE)}
    if (parent_id := parse_id(request.GET.get("parent", ""))) is not None:
        initial["parent"] = queries.live_nodes(access.coalition).filter(pk=parent_id).first()
    form = forms.AddNodeForm(request.POST or None, coalition=access.coalition, initial=initial, prefix="add")
    if request.method == "POST" and form.is_valid():
        added = run_action(form, actions.do_add_problem_node, access, **form.cleaned_data)
        if added:
            node = added.value
            messages.success(request, _("Added “%(text)s”.") % {"text": node.text})
            return redirect(reverse("planning:problem_tree", args=[access.coalition.pk]) + f"#node-{node.pk}")
    return render(request, "planning/node_form.html", {"form": form, "heading": _("Add a cause or an effect")})


@coalition_view(Perm.VIEW_PLANNING, rules=(queries.CODESIGN_WRITES,))
def problem_node(request: HttpRequest, access: Access, node_id: int) -> HttpResponse:
    """One box: reword it and its evidence, move it, merge it or take it off the tree."""
    node = scoped_get(access, queries.live_nodes(access.coalition), pk=node_id)
    can_edit = queries.can_codesign(access)
    form = forms.NodeTextForm(request.POST or None, initial=initial_from(node, forms.NodeTextForm.base_fields))
    if request.method == "POST" and form.is_valid():
        if node.kind == ProblemNode.Kind.CORE:
            saved = run_action(form, actions.do_set_core_problem, access, **form.cleaned_data)
        else:
            saved = run_action(form, actions.do_edit_problem_node, access, node, **form.cleaned_data)
        if saved:
            messages.success(request, _("Saved."))
            return redirect("planning:problem_tree", access.coalition.pk)
    context: dict[str, Any] = {"node": node, "form": form, "can_edit": can_edit}
    if can_edit and node.kind != ProblemNode.Kind.CORE:
        context["move_form"] = forms.MoveNodeForm(node=node, targets=queries.move_targets(node))
        context["merge_form"] = forms.MergeNodeForm(node=node)
    return render(request, "planning/node_detail.html", context)


def _node_change(request: HttpRequest, access: Access, node_id: int, form_class: type, apply: Any) -> HttpResponse:
    node = scoped_get(access, queries.live_nodes(access.coalition), pk=node_id)
    kwargs: dict[str, Any] = {"node": node}
    if form_class is forms.MoveNodeForm:
        kwargs["targets"] = queries.move_targets(node)
    form = form_class(request.POST, **kwargs)
    if form.is_valid():
        if not run_action_message(request, apply, node, form.cleaned_data):
            return redirect("planning:problem_node", access.coalition.pk, node.pk)
        messages.success(request, _("The tree was updated."))
        return redirect("planning:problem_tree", access.coalition.pk)
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)
    return redirect("planning:problem_node", access.coalition.pk, node.pk)


@require_POST
@coalition_view(Perm.VIEW_PLANNING, rules=(queries.CODESIGN,))
def problem_node_move(request: HttpRequest, access: Access, node_id: int) -> HttpResponse:
    return _node_change(
        request,
        access,
        node_id,
        forms.MoveNodeForm,
        lambda node, data: actions.do_move_problem_node(access, node, parent=data["parent"]),
    )


@require_POST
@coalition_view(Perm.VIEW_PLANNING, rules=(queries.CODESIGN,))
def problem_node_merge(request: HttpRequest, access: Access, node_id: int) -> HttpResponse:
    return _node_change(
        request,
        access,
        node_id,
        forms.MergeNodeForm,
        lambda node, data: actions.do_merge_problem_nodes(access, node, into=data["into"]),
    )


@require_POST
@coalition_view(Perm.VIEW_PLANNING, rules=(queries.CODESIGN,))
def problem_node_remove(request: HttpRequest, access: Access, node_id: int) -> HttpResponse:
    node = scoped_get(access, queries.live_nodes(access.coalition), pk=node_id)
    if not run_action_message(request, actions.do_remove_problem_node, access, node):
        return redirect("planning:problem_node", access.coalition.pk, node.pk)
    messages.success(request, _("“%(text)s” was taken off the tree.") % {"text": node.text})
    return redirect("planning:problem_tree", access.coalition.pk)


# --- Priorities and dot voting --------------------------------------------------------------------


def _vote_context(access: Access, vote: DotVote, dots_form: forms.DotsForm | None = None) -> dict[str, Any]:
    voters = queries.eligible_voters(vote)
    ballots = {b.voter_id: b for b in vote.ballots.filter(dots_spent__gt=0)}
    taking = vote.takes_ballots(timezone.now())
    may_vote = taking and queries.may_vote(access, vote)
    mine = queries.my_allocation(access, vote)
    if may_vote and dots_form is None:
        dots_form = forms.DotsForm(vote=vote, initial_dots=mine)
    return {
        "vote": vote,
        "may_vote": may_vote,
        "past_closing": vote.status == DotVote.Status.OPEN and not taking,
        "dots_form": dots_form,
        "dots_left": vote.budget - sum(mine.values()),
        "voted_count": sum(1 for m in voters if m.pk in ballots),
        "eligible_count": len(voters),
        "can_run": access.can(Perm.RUN_PRIORITY_VOTE),
    }


@coalition_view(Perm.VIEW_PLANNING)
def priorities(request: HttpRequest, access: Access) -> HttpResponse:
    coalition = access.coalition
    open_vote = DotVote.objects.filter(coalition=coalition, status=DotVote.Status.OPEN).first()
    context: dict[str, Any] = {
        "priorities": Priority.objects.filter(coalition=coalition)
        .select_related("problem_node", "proposed_by__user")
        .prefetch_related("indicators"),
        "closed_votes": DotVote.objects.filter(coalition=coalition, status=DotVote.Status.CLOSED),
        "can_run": access.can(Perm.RUN_PRIORITY_VOTE),
        "propose_form": forms.PriorityForm(coalition=coalition) if access.can(Perm.PROPOSE_PRIORITY) else None,
        "open_vote": open_vote,
    }
    if open_vote:
        context.update(_vote_context(access, open_vote))
    return render(request, "planning/priorities.html", context)


@coalition_view(Perm.PROPOSE_PRIORITY)
def priority_propose(request: HttpRequest, access: Access) -> HttpResponse:
    form = forms.PriorityForm(request.POST or None, coalition=access.coalition)
    if (
        request.method == "POST"
        and form.is_valid()
        and run_action(form, actions.do_propose_priority, access, **form.cleaned_data)
    ):
        messages.success(request, _("Thank you: your priority is on the list."))
        return redirect("planning:priorities", access.coalition.pk)
    return render(request, "planning/priority_form.html", {"form": form})


@coalition_view(Perm.RUN_PRIORITY_VOTE)
def priority_decide(request: HttpRequest, access: Access, priority_id: int) -> HttpResponse:
    priority = scoped_get(access, Priority, pk=priority_id)
    form = forms.DecidePriorityForm(
        request.POST or None,
        coalition=access.coalition,
        initial={"status": priority.status, "indicators": list(priority.indicators.all())},
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and run_action(form, actions.do_decide_priority, access, priority, **form.cleaned_data)
    ):
        messages.success(request, _("Decision recorded for “%(title)s”.") % {"title": priority.title})
        return redirect("planning:priorities", access.coalition.pk)
    return render(request, "planning/priority_decide.html", {"form": form, "priority": priority})


@coalition_view(Perm.RUN_PRIORITY_VOTE)
def vote_open(request: HttpRequest, access: Access) -> HttpResponse:
    form = forms.OpenVoteForm(request.POST or None, coalition=access.coalition)
    if request.method == "POST" and form.is_valid():
        opened = run_action(form, actions.do_open_dot_vote, access, **form.cleaned_data)
        if opened:
            messages.success(request, _("The dot vote is open."))
            return redirect("planning:vote", access.coalition.pk, opened.value.pk)
    return render(request, "planning/vote_open.html", {"form": form})


@coalition_view(Perm.VIEW_PLANNING, rules=(queries.VOTE,))
def vote(request: HttpRequest, access: Access, vote_id: int) -> HttpResponse:
    """A dot vote: place your dots while it is open; the ranking and every ballot once it is closed."""
    found = scoped_get(access, DotVote, pk=vote_id)
    dots_form = None
    if request.method == "POST":
        dots_form = forms.DotsForm(request.POST, vote=found, initial_dots={})
        if dots_form.is_valid() and run_action(dots_form, actions.do_place_dots, access, found, dots_form.allocation()):
            messages.success(request, _("Your dots are placed. You can change them until the vote closes."))
            return redirect("planning:vote", access.coalition.pk, found.pk)
    context = _vote_context(access, found, dots_form)
    if found.status == DotVote.Status.CLOSED:
        context["ranking"] = found.result["ranking"] if found.result else []
        context["top_dots"] = max((row["dots"] for row in context["ranking"]), default=0)
        context["record"] = queries.vote_record(found)
    return render(request, "planning/vote.html", context)


@require_POST
@coalition_view(Perm.RUN_PRIORITY_VOTE)
def vote_close(request: HttpRequest, access: Access, vote_id: int) -> HttpResponse:
    found = scoped_get(access, DotVote, pk=vote_id)
    if run_action_message(request, actions.do_close_dot_vote, access, found):
        messages.success(request, _("The vote is closed and its result is kept."))
    return redirect("planning:vote", access.coalition.pk, found.pk)


# --- Common agenda and charter --------------------------------------------------------------------


def _agenda_names(version: AgendaVersion) -> dict[str, Any]:
    return version.frozen if version.frozen is not None else queries.freeze_agenda(version)


@coalition_view(Perm.VIEW_PLANNING)
def agenda(request: HttpRequest, access: Access) -> HttpResponse:
    coalition = access.coalition
    current = queries.current_agenda(coalition)
    rows = queries.signatories(coalition)
    mine = next((row for row in rows if row.membership.pk == access.membership.pk), None)
    signed, total = queries.charter_signatory_share(coalition)
    draft = queries.agenda_draft(coalition)
    return render(
        request,
        "planning/agenda.html",
        {
            "current": current,
            "names": _agenda_names(current) if current else None,
            "signatories": rows,
            "mine": mine,
            "can_sign": access.can(Perm.SIGN_CHARTER),
            "signed": signed,
            "total": total,
            "draft": draft,
            "can_edit": queries.can_codesign(access),
            "versions": AgendaVersion.objects.filter(coalition=coalition, status=AgendaVersion.Status.PUBLISHED),
            "rhythm": extensions.links(MEETING_RHYTHM, coalition.pk),
        },
    )


def _draft_initial(access: Access) -> dict[str, Any]:
    """Start a new draft from the current version, or from the coalition's own statements."""
    draft = queries.agenda_draft(access.coalition)
    source = draft or queries.current_agenda(access.coalition)
    if source is None:
        coalition = access.coalition
        return {
            "problem_statement": coalition.problem_statement,
            "vision": coalition.common_purpose,
            "priorities": list(coalition.priorities.filter(status=Priority.Status.CHOSEN)),
            "indicators": list(Indicator.objects.filter(coalition=coalition, is_shared=True)),
        }
    initial = {name: getattr(source, name) for name in actions.AGENDA_TEXT_FIELDS}
    initial.update(
        priorities=list(source.priorities.all()),
        indicators=list(source.indicators.all()),
        coordinator=source.coordinator,
        lock_version=draft.lock_version if draft else None,
    )
    if not draft:
        initial["change_note"] = ""
    return initial


@coalition_view(Perm.VIEW_PLANNING, rules=(queries.CODESIGN,))
def agenda_edit(request: HttpRequest, access: Access) -> HttpResponse:
    form = forms.AgendaForm(request.POST or None, initial=_draft_initial(access), coalition=access.coalition)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            saved = run_action(
                form, actions.do_save_agenda_draft, access, expected_lock_version=data.pop("lock_version"), **data
            )
        except StaleVersion:
            messages.error(request, _("Someone else saved the draft meanwhile. Review their changes first."))
            return redirect("planning:agenda_edit", access.coalition.pk)
        if saved:
            messages.success(request, _("Draft saved. Publish it when the co-design group agrees."))
            return redirect("planning:agenda", access.coalition.pk)
    return render(request, "planning/agenda_form.html", {"form": form, "draft": queries.agenda_draft(access.coalition)})


@require_POST
@coalition_view(Perm.VIEW_PLANNING, rules=(queries.CODESIGN,))
def agenda_publish(request: HttpRequest, access: Access) -> HttpResponse:
    draft = queries.agenda_draft(access.coalition)
    if draft is None:
        messages.error(request, _("There is no draft to publish."))
        return redirect("planning:agenda", access.coalition.pk)
    published = run_action_message(request, actions.do_publish_agenda, access, draft)
    if published:
        messages.success(
            request,
            _("Version %(number)d is published. Every member is asked to sign it.")
            % {"number": published.value.number},
        )
    return redirect("planning:agenda", access.coalition.pk)


@coalition_view(Perm.VIEW_PLANNING)
def agenda_version(request: HttpRequest, access: Access, version_id: int) -> HttpResponse:
    version = scoped_get(access, AgendaVersion, pk=version_id, status=AgendaVersion.Status.PUBLISHED)
    return render(
        request,
        "planning/agenda_version.html",
        {
            "version": version,
            "names": _agenda_names(version),
            "signatures": version.signatures.select_related("membership__user", "membership__organisation"),
            "is_current": version == queries.current_agenda(access.coalition),
            "rhythm": extensions.links(MEETING_RHYTHM, access.coalition.pk),
        },
    )


@require_POST
@coalition_view(Perm.SIGN_CHARTER)
def agenda_sign(request: HttpRequest, access: Access, version_id: int) -> HttpResponse:
    version = scoped_get(access, AgendaVersion, pk=version_id, status=AgendaVersion.Status.PUBLISHED)
    if run_action_message(request, actions.do_sign_agenda, access, version):
        messages.success(request, _("Thank you for signing version %(number)d.") % {"number": version.number})
    return redirect("planning:agenda", access.coalition.pk)


# --- Priorities brief -------------------------------------------------------------------------------


@coalition_view(Perm.VIEW_PLANNING)
def brief(request: HttpRequest, access: Access) -> HttpResponse:
    return render(request, "planning/brief.html", queries.brief(access.coalition))


@coalition_view(Perm.VIEW_PLANNING)
def brief_pdf(request: HttpRequest, access: Access) -> HttpResponse:
    context = {**queries.brief(access.coalition), "generated_on": timezone.localdate()}
    pdf, _pages = render_pdf(context, request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="priorities-brief-{access.coalition.pk}.pdf"'
    return response
