"""Co-design screens. Thin views: forms validate input, actions change state, queries read."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coalition.coalitions.access import Access, coalition_view, scoped_get
from coalition.coalitions.actions import StaleVersion
from coalition.core.permissions import Perm
from coalition.planning import actions, forms, queries, tree
from coalition.planning.models import Assessment, Asset, ProblemNode


def _fail(form: Form, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


def _require_codesign(access: Access) -> None:
    if not queries.can_codesign(access):
        raise PermissionDenied


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
            actions.do_save_assessment(
                access,
                expected_version=data.pop("version"),
                **data,
            )
        except StaleVersion:
            messages.error(request, _("Someone else saved the assessment meanwhile. Review their changes first."))
            return redirect("planning:assessment", access.coalition.pk)
        except ValidationError as error:
            _fail(form, error)
        else:
            messages.success(request, _("Assessment saved."))
            return redirect("planning:assessment", access.coalition.pk)
    return render(request, "planning/assessment_form.html", {"form": form})


def _asset_form(request: HttpRequest, access: Access, asset: Asset | None) -> HttpResponse:
    form = forms.AssetForm(request.POST or None, instance=asset, coalition=access.coalition)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_save_asset(access, asset, **{name: form.cleaned_data[name] for name in form.Meta.fields})
        except ValidationError as error:
            _fail(form, error)
        else:
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
    core = queries.problem_tree(access.coalition)
    can_edit = queries.can_codesign(access)
    core_node = queries.core_problem(access.coalition)
    context: dict[str, Any] = {
        "core": core_node,
        "tree": core,
        "svg": tree.render_svg(tree.layout(core), _("Problem tree: effects above, causes below the core problem")),
        "can_edit": can_edit,
        "nodes": {n.pk: n for n in queries.live_nodes(access.coalition)},
    }
    if can_edit:
        context["core_form"] = forms.NodeTextForm(
            initial={"text": core_node.text, "evidence": core_node.evidence, "evidence_url": core_node.evidence_url}
            if core_node
            else None,
            prefix="core",
        )
        if core_node:
            context["add_form"] = forms.AddNodeForm(
                coalition=access.coalition, initial={"parent": core_node, "kind": ProblemNode.Kind.CAUSE}, prefix="add"
            )
    return render(request, "planning/problem_tree.html", context)


@coalition_view(Perm.VIEW_PLANNING)
def problem_core(request: HttpRequest, access: Access) -> HttpResponse:
    _require_codesign(access)
    core = queries.core_problem(access.coalition)
    form = forms.NodeTextForm(
        request.POST or None,
        initial={"text": core.text, "evidence": core.evidence, "evidence_url": core.evidence_url} if core else None,
        prefix="core",
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_set_core_problem(access, **form.cleaned_data)
        except ValidationError as error:
            _fail(form, error)
        else:
            messages.success(request, _("Core problem saved."))
            return redirect("planning:problem_tree", access.coalition.pk)
    return render(request, "planning/node_form.html", {"form": form, "heading": _("Core problem")})


@coalition_view(Perm.VIEW_PLANNING)
def problem_node_add(request: HttpRequest, access: Access) -> HttpResponse:
    _require_codesign(access)
    initial: dict[str, Any] = {"kind": request.GET.get("kind", ProblemNode.Kind.CAUSE)}
    parent_id = request.GET.get("parent", "")
    if parent_id.isdigit():
        initial["parent"] = queries.live_nodes(access.coalition).filter(pk=parent_id).first()
    form = forms.AddNodeForm(request.POST or None, coalition=access.coalition, initial=initial, prefix="add")
    if request.method == "POST" and form.is_valid():
        try:
            node = actions.do_add_problem_node(access, **form.cleaned_data)
        except ValidationError as error:
            _fail(form, error)
        else:
            messages.success(request, _("Added “%(text)s”.") % {"text": node.text})
            return redirect(reverse("planning:problem_tree", args=[access.coalition.pk]) + f"#node-{node.pk}")
    return render(request, "planning/node_form.html", {"form": form, "heading": _("Add a cause or an effect")})


@coalition_view(Perm.VIEW_PLANNING)
def problem_node(request: HttpRequest, access: Access, node_id: int) -> HttpResponse:
    """One box: reword it and its evidence, move it, merge it or take it off the tree."""
    node = scoped_get(access, queries.live_nodes(access.coalition), pk=node_id)
    can_edit = queries.can_codesign(access)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    form = forms.NodeTextForm(
        request.POST or None, initial={"text": node.text, "evidence": node.evidence, "evidence_url": node.evidence_url}
    )
    if request.method == "POST" and form.is_valid():
        try:
            if node.kind == ProblemNode.Kind.CORE:
                actions.do_set_core_problem(access, **form.cleaned_data)
            else:
                actions.do_edit_problem_node(access, node, **form.cleaned_data)
        except ValidationError as error:
            _fail(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("planning:problem_tree", access.coalition.pk)
    context: dict[str, Any] = {"node": node, "form": form, "can_edit": can_edit}
    if can_edit and node.kind != ProblemNode.Kind.CORE:
        context["move_form"] = forms.MoveNodeForm(node=node, targets=queries.move_targets(node))
        context["merge_form"] = forms.MergeNodeForm(node=node)
    return render(request, "planning/node_detail.html", context)


def _node_change(request: HttpRequest, access: Access, node_id: int, form_class: type, apply: Any) -> HttpResponse:
    _require_codesign(access)
    node = scoped_get(access, queries.live_nodes(access.coalition), pk=node_id)
    kwargs: dict[str, Any] = {"node": node}
    if form_class is forms.MoveNodeForm:
        kwargs["targets"] = queries.move_targets(node)
    form = form_class(request.POST, **kwargs)
    if form.is_valid():
        try:
            apply(node, form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("planning:problem_node", access.coalition.pk, node.pk)
        messages.success(request, _("The tree was updated."))
        return redirect("planning:problem_tree", access.coalition.pk)
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)
    return redirect("planning:problem_node", access.coalition.pk, node.pk)


@require_POST
@coalition_view(Perm.VIEW_PLANNING)
def problem_node_move(request: HttpRequest, access: Access, node_id: int) -> HttpResponse:
    return _node_change(
        request,
        access,
        node_id,
        forms.MoveNodeForm,
        lambda node, data: actions.do_move_problem_node(access, node, parent=data["parent"]),
    )


@require_POST
@coalition_view(Perm.VIEW_PLANNING)
def problem_node_merge(request: HttpRequest, access: Access, node_id: int) -> HttpResponse:
    return _node_change(
        request,
        access,
        node_id,
        forms.MergeNodeForm,
        lambda node, data: actions.do_merge_problem_nodes(access, node, into=data["into"]),
    )


@require_POST
@coalition_view(Perm.VIEW_PLANNING)
def problem_node_remove(request: HttpRequest, access: Access, node_id: int) -> HttpResponse:
    _require_codesign(access)
    node = scoped_get(access, queries.live_nodes(access.coalition), pk=node_id)
    try:
        actions.do_remove_problem_node(access, node)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("planning:problem_node", access.coalition.pk, node.pk)
    messages.success(request, _("“%(text)s” was taken off the tree.") % {"text": node.text})
    return redirect("planning:problem_tree", access.coalition.pk)
