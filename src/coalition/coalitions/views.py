"""Screens of a coalition: overview, settings, members, working groups and the audit log.

Views stay thin: forms validate input, actions change state.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coalition.accounts.first_run import signup_open
from coalition.accounts.reauth import recent_sign_in_required
from coalition.coalitions import actions
from coalition.coalitions.access import Access, coalition_view, scoped_get
from coalition.coalitions.first_run import may_start_coalition
from coalition.coalitions.forms import (
    AuditFilterForm,
    CoalitionForm,
    MemberFilterForm,
    MembershipForm,
    RolesForm,
    SettingsForm,
    WorkingGroupForm,
)
from coalition.coalitions.models import Coalition, Membership, WorkingGroup
from coalition.core import audit
from coalition.core.forms import attempt, render_form, run_action, run_action_message, submitted
from coalition.core.listing import paginate, render_list
from coalition.core.models import AuditEvent
from coalition.core.permissions import Perm
from coalition.core.tabular import csv_response

PAGE_SIZE = 25


@login_required
def create(request: HttpRequest) -> HttpResponse:
    if not may_start_coalition(request.user):
        return render(request, "coalitions/create_not_allowed.html", {"signup_open": signup_open()}, status=403)
    form = CoalitionForm(request.POST or None)
    if submitted(request, form):
        coalition = actions.do_create_coalition(request.user, **form.cleaned_data)
        return redirect("coalitions:overview", coalition.pk)
    return render(request, "coalitions/create.html", {"form": form})


@coalition_view()
def overview(request: HttpRequest, access: Access) -> HttpResponse:
    coalition = access.coalition
    context = {
        "coalition": coalition,
        "member_count": coalition.memberships.filter(is_active=True).count(),
        "stakeholder_count": coalition.stakeholders.filter(is_archived=False).count(),
        "group_count": coalition.working_groups.count(),
        "can_manage": access.can(Perm.MANAGE_MEMBERS),
        "can_change_settings": access.can(Perm.CHANGE_SETTINGS),
        "can_view_audit": access.can(Perm.VIEW_AUDIT),
        "can_view_members": access.can(Perm.VIEW_MEMBERS),
        "can_view_stakeholders": access.can(Perm.VIEW_STAKEHOLDERS),
        "can_edit_stakeholders": access.can(Perm.EDIT_STAKEHOLDERS),
    }
    return render(request, "coalitions/overview.html", context)


# Settings


@coalition_view(Perm.CHANGE_SETTINGS)
def coalition_settings(request: HttpRequest, access: Access) -> HttpResponse:
    """Edit the coalition's settings. A save based on an older version is refused with 409."""
    current = Coalition.objects.get(pk=access.coalition.pk)
    form = SettingsForm(request.POST or None, instance=current, initial={"version": current.version})
    if submitted(request, form):
        fields = {name: form.cleaned_data[name] for name in SettingsForm.Meta.fields}
        try:
            saved = run_action(
                form,
                actions.do_update_coalition,
                request.user,
                current,
                expected_version=form.cleaned_data["version"],
                **fields,
            )
        except actions.StaleVersion:
            return _stale_settings(request, form)
        if saved:
            messages.success(request, _("Coalition settings saved."))
            return redirect("coalitions:settings", access.coalition.pk)
    return render_form(request, "coalitions/settings.html", {"form": form})


def _stale_settings(request: HttpRequest, form: SettingsForm) -> HttpResponse:
    """Someone saved in between: keep the editor's input, show what is saved now, save nothing."""
    current = Coalition.objects.get(pk=form.instance.pk)
    saved_values = [
        {"label": form[name].label, "value": _display(current, name)}
        for name in SettingsForm.Meta.fields
        if form.cleaned_data[name] != getattr(current, name)
    ]
    data = request.POST.copy()
    data["version"] = str(current.version)
    return render(
        request,
        "coalitions/settings.html",
        {"form": SettingsForm(data, instance=current), "stale": True, "saved_values": saved_values},
        status=409,
    )


def _display(obj: Any, name: str) -> Any:
    getter = getattr(obj, f"get_{name}_display", None)
    return getter() if getter else getattr(obj, name)


def _record_export(request: HttpRequest, access: Access, verb: str) -> None:
    audit.record(request.user, verb, access.coalition, coalition=access.coalition, note=request.GET.urlencode())


# Members


def _members(access: Access, *, active: bool = True) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(coalition=access.coalition, is_active=active)
        .select_related("user", "organisation")
        .prefetch_related("roles", Prefetch("working_groups", queryset=WorkingGroup.objects.only("pk", "name")))
    )


def _filtered_members(request: HttpRequest, access: Access) -> tuple[MemberFilterForm, QuerySet[Membership]]:
    form = MemberFilterForm(request.GET or None)
    return form, form.filter(_members(access))


@coalition_view(Perm.VIEW_MEMBERS)
def members(request: HttpRequest, access: Access) -> HttpResponse:
    form, qs = _filtered_members(request, access)
    page, query = paginate(request, qs, PAGE_SIZE)
    context = {
        "form": form,
        "page": page,
        "query": query,
        "can_manage": access.can(Perm.MANAGE_MEMBERS),
        "former_count": _members(access, active=False).count() if access.can(Perm.MANAGE_MEMBERS) else 0,
    }
    return render_list(request, "coalitions/members.html", "coalitions/_member_results.html", context)


@coalition_view(Perm.VIEW_MEMBERS)
@recent_sign_in_required
def members_export(request: HttpRequest, access: Access) -> HttpResponse:
    """The (searched) member list as CSV; formulas are neutralised."""
    form, qs = _filtered_members(request, access)
    _record_export(request, access, "members.exported")
    rows = (
        (
            m.display_name,
            m.organisation.name if m.organisation else "",
            m.title,
            ", ".join(m.role_labels),
            ", ".join(g.name for g in m.working_groups.all()),
        )
        for m in qs
    )
    header = [_("Name"), _("Organisation"), _("Title"), _("Roles"), _("Working groups")]
    return csv_response(f"members-{access.coalition.pk}.csv", header, rows)


@coalition_view(Perm.MANAGE_MEMBERS)
def former_members(request: HttpRequest, access: Access) -> HttpResponse:
    page, query = paginate(request, _members(access, active=False), PAGE_SIZE)
    context = {"page": page, "query": query}
    return render_list(request, "coalitions/former_members.html", "coalitions/_former_results.html", context)


def _member_page(
    request: HttpRequest,
    access: Access,
    membership: Membership,
    roles_form: RolesForm | None = None,
    details_form: MembershipForm | None = None,
) -> HttpResponse:
    context = {
        "membership": membership,
        "roles_form": roles_form or RolesForm(initial={"roles": membership.role_codes}),
        "details_form": details_form
        or MembershipForm(
            coalition=access.coalition, initial={"organisation": membership.organisation, "title": membership.title}
        ),
    }
    invalid = (roles_form is not None and roles_form.errors) or (details_form is not None and details_form.errors)
    return render(request, "coalitions/member.html", context, status=400 if invalid else 200)


def _active_member(access: Access, membership_id: int) -> Membership:
    return scoped_get(access, _members(access), pk=membership_id)


@coalition_view(Perm.MANAGE_MEMBERS)
def member(request: HttpRequest, access: Access, membership_id: int) -> HttpResponse:
    return _member_page(request, access, _active_member(access, membership_id))


@coalition_view(Perm.MANAGE_MEMBERS)
@require_POST
def member_roles(request: HttpRequest, access: Access, membership_id: int) -> HttpResponse:
    membership = _active_member(access, membership_id)
    form = RolesForm(request.POST)
    if form.is_valid() and run_action(form, actions.do_set_roles, request.user, membership, form.cleaned_data["roles"]):
        messages.success(request, _("Roles of %(name)s changed.") % {"name": membership.display_name})
        return redirect("coalitions:members", access.coalition.pk)
    return _member_page(request, access, membership, roles_form=form)


@coalition_view(Perm.MANAGE_MEMBERS)
@require_POST
def member_update(request: HttpRequest, access: Access, membership_id: int) -> HttpResponse:
    membership = _active_member(access, membership_id)
    form = MembershipForm(request.POST, coalition=access.coalition)
    if form.is_valid() and run_action(
        form, actions.do_update_membership, request.user, membership, **form.cleaned_data
    ):
        messages.success(request, _("Details of %(name)s saved.") % {"name": membership.display_name})
        return redirect("coalitions:members", access.coalition.pk)
    return _member_page(request, access, membership, details_form=form)


@coalition_view(Perm.MANAGE_MEMBERS)
def member_deactivate(request: HttpRequest, access: Access, membership_id: int) -> HttpResponse:
    """GET asks for confirmation; POST removes the person (reversible from the former members list)."""
    membership = _active_member(access, membership_id)
    errors: list[str] = []
    if request.method == "POST":
        outcome = attempt(actions.do_deactivate_membership, request.user, membership)
        errors = outcome.messages
        if outcome:
            messages.success(
                request,
                _("%(name)s is no longer a member. You can undo this from the former members list.")
                % {"name": membership.display_name},
            )
            return redirect("coalitions:members", access.coalition.pk)
    return render(
        request,
        "coalitions/member_deactivate.html",
        {"membership": membership, "errors": errors},
        status=400 if errors else 200,
    )


@coalition_view(Perm.MANAGE_MEMBERS)
@require_POST
def member_reactivate(request: HttpRequest, access: Access, membership_id: int) -> HttpResponse:
    membership = scoped_get(access, _members(access, active=False), pk=membership_id)
    if not run_action_message(request, actions.do_reactivate_membership, request.user, membership):
        return redirect("coalitions:former_members", access.coalition.pk)
    messages.success(request, _("%(name)s is a member again.") % {"name": membership.display_name})
    return redirect("coalitions:members", access.coalition.pk)


# Working groups


@coalition_view(Perm.VIEW_MEMBERS)
def working_groups(request: HttpRequest, access: Access) -> HttpResponse:
    groups = access.coalition.working_groups.prefetch_related(
        Prefetch("members", queryset=Membership.objects.filter(is_active=True).select_related("user"))
    )
    return render(
        request,
        "coalitions/working_groups.html",
        {"groups": groups, "can_manage": access.can(Perm.MANAGE_MEMBERS)},
    )


@coalition_view(Perm.VIEW_MEMBERS)
def working_group(request: HttpRequest, access: Access, group_id: int) -> HttpResponse:
    group = scoped_get(access, WorkingGroup, pk=group_id)
    context = {
        "group": group,
        "members": _members(access).filter(working_groups=group),
        "can_manage": access.can(Perm.MANAGE_MEMBERS),
    }
    return render(request, "coalitions/working_group.html", context)


def _save_group(request: HttpRequest, access: Access, group: WorkingGroup | None) -> HttpResponse:
    form = WorkingGroupForm(request.POST or None, coalition=access.coalition, group=group)
    if submitted(request, form):
        saved = run_action(
            form, actions.do_save_working_group, request.user, access.coalition, group=group, **form.cleaned_data
        )
        if saved:
            messages.success(request, _("Working group %(name)s saved.") % {"name": saved.value.name})
            return redirect("coalitions:working_group", access.coalition.pk, saved.value.pk)
    return render_form(request, "coalitions/working_group_form.html", {"form": form, "group": group})


@coalition_view(Perm.MANAGE_MEMBERS)
def working_group_create(request: HttpRequest, access: Access) -> HttpResponse:
    return _save_group(request, access, None)


@coalition_view(Perm.MANAGE_MEMBERS)
def working_group_edit(request: HttpRequest, access: Access, group_id: int) -> HttpResponse:
    return _save_group(request, access, scoped_get(access, WorkingGroup, pk=group_id))


# Audit log


def _filtered_events(request: HttpRequest, access: Access) -> tuple[AuditFilterForm, QuerySet[AuditEvent]]:
    form = AuditFilterForm(request.GET or None, coalition=access.coalition)
    return form, form.filter(AuditEvent.objects.filter(coalition=access.coalition).select_related("actor"))


def _changes(event: AuditEvent) -> list[dict[str, Any]]:
    before, after = event.before or {}, event.after or {}
    return [{"field": key, "before": before.get(key), "after": after.get(key)} for key in sorted({*before, *after})]


def _actor_name(event: AuditEvent) -> str:
    return (event.actor.get_full_name() or event.actor.username) if event.actor else ""


@coalition_view(Perm.VIEW_AUDIT)
def audit_log(request: HttpRequest, access: Access) -> HttpResponse:
    form, qs = _filtered_events(request, access)
    page, query = paginate(request, qs, PAGE_SIZE)
    rows = [{"event": event, "actor": _actor_name(event), "changes": _changes(event)} for event in page]
    context = {"form": form, "page": page, "rows": rows, "query": query}
    return render_list(request, "coalitions/audit.html", "coalitions/_audit_results.html", context)


@coalition_view(Perm.VIEW_AUDIT)
@recent_sign_in_required
def audit_export(request: HttpRequest, access: Access) -> HttpResponse:
    form, qs = _filtered_events(request, access)
    _record_export(request, access, "audit.exported")
    rows = (
        (
            event.created_at.isoformat(),
            _actor_name(event),
            event.verb,
            event.object_type,
            event.object_repr,
            json.dumps(event.before, ensure_ascii=False) if event.before is not None else "",
            json.dumps(event.after, ensure_ascii=False) if event.after is not None else "",
            event.note,
        )
        for event in qs.iterator(chunk_size=2000)
    )
    header = [_("When (UTC)"), _("Who"), _("Action"), _("Object type"), _("Object"), _("Before"), _("After"), _("Note")]
    return csv_response(f"audit-{access.coalition.pk}.csv", header, rows)
