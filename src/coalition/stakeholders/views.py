"""Screens of the stakeholder map. Views stay thin: forms validate input, actions change state."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coalition.accounts.reauth import recent_sign_in_required
from coalition.coalitions.access import Access, coalition_view, scoped_get
from coalition.core import audit, uploads
from coalition.core.forms import run_action
from coalition.core.listing import htmx_target, paginate, render_list
from coalition.core.models import AuditEvent
from coalition.core.permissions import Perm
from coalition.core.routing import replica_reads
from coalition.core.tabular import TableError, csv_response, group_errors, hxl_row, wants_hxl
from coalition.stakeholders import actions, grid, importing
from coalition.stakeholders.coverage import Profile, coverage
from coalition.stakeholders.forms import ContactForm, EngagementForm, FilterForm, InterviewForm, StakeholderForm
from coalition.stakeholders.models import PROFILE_FIELDS, ContactPerson, Stakeholder

PAGE_SIZE = 25
# The columns the list shows (and nothing more): keeps each row small.
LIST_COLUMNS = ("id", *PROFILE_FIELDS)


def stakeholders_of(access: Access) -> QuerySet[Stakeholder]:
    return Stakeholder.objects.filter(coalition=access.coalition)


def filtered(request: HttpRequest, access: Access) -> tuple[FilterForm, QuerySet[Stakeholder]]:
    form = FilterForm(request.GET or None)
    return form, form.filter(stakeholders_of(access))


@coalition_view(Perm.VIEW_STAKEHOLDERS)
@replica_reads
def stakeholder_list(request: HttpRequest, access: Access) -> HttpResponse:
    form, qs = filtered(request, access)
    page, query = paginate(request, qs.only(*LIST_COLUMNS), PAGE_SIZE)
    context = {
        "form": form,
        "page": page,
        "query": query,
        "map_is_empty": not page.paginator.count and not stakeholders_of(access).exists(),
        "can_edit": access.can(Perm.EDIT_STAKEHOLDERS),
        "can_import": access.can(Perm.IMPORT_STAKEHOLDERS),
    }
    return render_list(request, "stakeholders/list.html", "stakeholders/_results.html", context)


@coalition_view(Perm.VIEW_STAKEHOLDERS)
def detail(request: HttpRequest, access: Access, stakeholder_id: int) -> HttpResponse:
    stakeholder = scoped_get(access, Stakeholder, pk=stakeholder_id)
    events = list(
        AuditEvent.objects.filter(
            coalition=access.coalition,
            object_type=Stakeholder._meta.label_lower,
            object_id=str(stakeholder.pk),
        )
        .select_related("actor")
        .order_by("created_at", "id")
    )
    labels = dict(Stakeholder.Engagement.choices)
    engagement_history = [
        {
            "event": event,
            "from": labels.get((event.before or {}).get("engagement", ""), ""),
            "to": labels.get(event.after["engagement"], event.after["engagement"]),
        }
        for event in events
        if event.after and "engagement" in event.after
    ]
    context = {
        "stakeholder": stakeholder,
        "quadrant": grid.QUADRANT_TEXT[grid.quadrant(stakeholder.power, stakeholder.interest)],
        "contacts": stakeholder.contacts.all(),
        "interviews": stakeholder.interviews.select_related("interviewer"),
        "memberships": stakeholder.memberships.filter(is_active=True).select_related("user").prefetch_related("roles"),
        "engagement_history": engagement_history,
        "events": events,
        "engagement_form": EngagementForm(initial={"engagement": stakeholder.engagement}),
        "can_edit": access.can(Perm.EDIT_STAKEHOLDERS),
    }
    return render(request, "stakeholders/detail.html", context)


@coalition_view(Perm.EDIT_STAKEHOLDERS)
def create(request: HttpRequest, access: Access) -> HttpResponse:
    form = StakeholderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = run_action(form, actions.do_create_stakeholder, request.user, access.coalition, **form.cleaned_data)
        if created:
            messages.success(request, _("%(name)s is on the map.") % {"name": created.value.name})
            return redirect("stakeholders:detail", access.coalition.pk, created.value.pk)
    return render(request, "stakeholders/form.html", {"form": form, "stakeholder": None})


@coalition_view(Perm.EDIT_STAKEHOLDERS)
def edit(request: HttpRequest, access: Access, stakeholder_id: int) -> HttpResponse:
    stakeholder = scoped_get(access, Stakeholder, pk=stakeholder_id)
    form = StakeholderForm(request.POST or None, instance=Stakeholder.objects.get(pk=stakeholder.pk))
    if request.method == "POST" and form.is_valid():
        saved = run_action(form, actions.do_update_stakeholder, request.user, stakeholder, **form.cleaned_data)
        if saved:
            messages.success(request, _("Changes saved."))
            return redirect("stakeholders:detail", access.coalition.pk, stakeholder.pk)
    return render(request, "stakeholders/form.html", {"form": form, "stakeholder": stakeholder})


@coalition_view(Perm.EDIT_STAKEHOLDERS)
@require_POST
def change_engagement(request: HttpRequest, access: Access, stakeholder_id: int) -> HttpResponse:
    stakeholder = scoped_get(access, Stakeholder, pk=stakeholder_id)
    form = EngagementForm(request.POST)
    if form.is_valid() and run_action(
        form, actions.do_change_engagement, request.user, stakeholder, **form.cleaned_data
    ):
        messages.success(request, _("Engagement status changed."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("stakeholders:detail", access.coalition.pk, stakeholder.pk)


@coalition_view(Perm.EDIT_STAKEHOLDERS)
@require_POST
def archive(request: HttpRequest, access: Access, stakeholder_id: int) -> HttpResponse:
    stakeholder = scoped_get(access, Stakeholder, pk=stakeholder_id)
    actions.do_archive_stakeholder(request.user, stakeholder)
    messages.success(request, _("%(name)s was archived. You can restore it from its page.") % {"name": stakeholder})
    return redirect("stakeholders:detail", access.coalition.pk, stakeholder.pk)


@coalition_view(Perm.EDIT_STAKEHOLDERS)
@require_POST
def restore(request: HttpRequest, access: Access, stakeholder_id: int) -> HttpResponse:
    stakeholder = scoped_get(access, Stakeholder, pk=stakeholder_id)
    actions.do_restore_stakeholder(request.user, stakeholder)
    messages.success(request, _("%(name)s is back on the map.") % {"name": stakeholder})
    return redirect("stakeholders:detail", access.coalition.pk, stakeholder.pk)


@coalition_view(Perm.EDIT_STAKEHOLDERS)
def contact_add(request: HttpRequest, access: Access, stakeholder_id: int) -> HttpResponse:
    stakeholder = scoped_get(access, Stakeholder, pk=stakeholder_id)
    form = ContactForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and run_action(form, actions.do_add_contact, request.user, stakeholder, **form.cleaned_data)
    ):
        messages.success(request, _("Contact person added."))
        return redirect("stakeholders:detail", access.coalition.pk, stakeholder.pk)
    return render(request, "stakeholders/contact_form.html", {"form": form, "stakeholder": stakeholder})


@coalition_view(Perm.EDIT_STAKEHOLDERS)
def contact_edit(request: HttpRequest, access: Access, stakeholder_id: int, contact_id: int) -> HttpResponse:
    stakeholder = scoped_get(access, Stakeholder, pk=stakeholder_id)
    contact = get_object_or_404(ContactPerson, pk=contact_id, stakeholder=stakeholder)
    form = ContactForm(request.POST or None, instance=ContactPerson.objects.get(pk=contact.pk))
    if (
        request.method == "POST"
        and form.is_valid()
        and run_action(form, actions.do_update_contact, request.user, contact, **form.cleaned_data)
    ):
        messages.success(request, _("Contact person updated."))
        return redirect("stakeholders:detail", access.coalition.pk, stakeholder.pk)
    return render(
        request, "stakeholders/contact_form.html", {"form": form, "stakeholder": stakeholder, "contact": contact}
    )


@coalition_view(Perm.EDIT_STAKEHOLDERS)
def interview_add(request: HttpRequest, access: Access, stakeholder_id: int) -> HttpResponse:
    stakeholder = scoped_get(access, Stakeholder, pk=stakeholder_id)
    form = InterviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        interview = run_action(
            form, actions.do_record_interview, request.user, stakeholder, interviewer=request.user, **form.cleaned_data
        )
        if interview:
            messages.success(request, _("Interview notes saved."))
            return redirect("stakeholders:detail", access.coalition.pk, stakeholder.pk)
    return render(request, "stakeholders/interview_form.html", {"form": form, "stakeholder": stakeholder})


@coalition_view(Perm.VIEW_STAKEHOLDERS)
def power_interest_grid(request: HttpRequest, access: Access) -> HttpResponse:
    form, qs = filtered(request, access)
    points = [
        grid.GridPoint(*row) for row in qs.order_by().values_list("pk", "name", "power", "interest", "engagement")
    ]
    drawing = grid.layout(points)
    query = request.GET.copy()
    for name in ("power", "interest", "page"):
        query.pop(name, None)
    geometry = grid.frame()
    quadrants = []
    for key, members in grid.by_quadrant(points).items():
        title, meaning = grid.QUADRANT_TEXT[key]
        x_name, y_name = grid.QUADRANT_LABEL_AT[key]
        quadrants.append(
            {
                "key": key,
                "title": title,
                "meaning": meaning,
                "members": members,
                "label_x": geometry[x_name],
                "label_y": geometry[y_name],
            }
        )
    context = {
        "form": form,
        "layout": drawing,
        "total": len(points),
        "quadrants": quadrants,
        "ticks": grid.ticks(),
        "geometry": geometry,
        "list_url": reverse("stakeholders:list", args=[access.coalition.pk]),
        "query": query.urlencode(),
        "engagements": Stakeholder.Engagement.choices,
    }
    if htmx_target(request) == "grid-area":
        return render(request, "stakeholders/_grid_area.html", context)
    return render(request, "stakeholders/grid.html", context)


@coalition_view(Perm.VIEW_STAKEHOLDERS)
def coverage_summary(request: HttpRequest, access: Access) -> HttpResponse:
    fields = [f for f in Profile.__dataclass_fields__ if f != "pk"]
    profiles = [
        Profile(pk=row["pk"], **{name: row[name] for name in fields})
        for row in stakeholders_of(access).filter(is_archived=False).values("pk", *fields)
    ]
    return render(request, "stakeholders/coverage.html", {"coverage": coverage(profiles)})


def _import_key(access: Access) -> str:
    return f"stakeholders:{access.coalition.pk}"


@coalition_view(Perm.IMPORT_STAKEHOLDERS)
def import_csv(request: HttpRequest, access: Access) -> HttpResponse:
    """Upload → preview (nothing saved) → confirm (atomic) or cancel."""
    key = _import_key(access)
    context: dict[str, Any] = {"columns": importing.COLUMNS, "max_mb": importing.MAX_BYTES >> 20}
    step = request.POST.get("step") if request.method == "POST" else None
    if step == "cancel":
        uploads.discard(request, key)
        messages.info(request, _("Import cancelled. Nothing was saved."))
        return redirect("stakeholders:import", access.coalition.pk)
    if step == "confirm":
        return _confirm_import(request, access, key)
    if step == "upload":
        upload = request.FILES.get("file")
        try:
            data = uploads.read_upload(upload, extensions=(".csv",), max_bytes=importing.MAX_BYTES)
            plan = importing.plan_import(access.coalition, data)
        except TableError as error:
            uploads.discard(request, key)
            context["file_error"] = str(error)
            return render(request, "stakeholders/import.html", context, status=400)
        filename = upload.name if upload and upload.name else ""
        context.update(
            plan=plan,
            grouped_errors=group_errors(plan.errors, limit_lines=1000),
            token=uploads.stash(request, key, data, filename) if plan.has_changes else "",
            filename=filename,
        )
        if not plan.has_changes:
            uploads.discard(request, key)
    return render(request, "stakeholders/import.html", context)


def _confirm_import(request: HttpRequest, access: Access, key: str) -> HttpResponse:
    data = uploads.load(request, key, request.POST.get("token", ""))
    if data is None:
        messages.error(request, _("This preview is out of date or has expired. Upload the file again."))
        return redirect("stakeholders:import", access.coalition.pk)
    try:
        plan = actions.do_import_stakeholders(
            request.user, access.coalition, data, skip_rejected=request.POST.get("skip_rejected") == "yes"
        )
    except TableError as error:
        messages.error(request, str(error))
        return redirect("stakeholders:import", access.coalition.pk)
    finally:
        uploads.discard(request, key)
    messages.success(
        request,
        _(
            "Import finished: %(created)s created, %(updated)s updated, %(unchanged)s unchanged, "
            "%(rejected)s rejected rows skipped."
        )
        % {
            "created": len(plan.creates),
            "updated": len(plan.updates),
            "unchanged": len(plan.unchanged),
            "rejected": plan.rejected_lines,
        },
    )
    return redirect("stakeholders:list", access.coalition.pk)


@coalition_view(Perm.IMPORT_STAKEHOLDERS)
def import_template(request: HttpRequest, access: Access) -> HttpResponse:
    rows = ([example.get(column, "") for column in importing.COLUMNS] for example in importing.EXAMPLE_ROWS)
    return csv_response("stakeholders-template.csv", importing.COLUMNS, rows, _hxl(request))


def _hxl(request: HttpRequest) -> list[str] | None:
    """The columns' HXL hashtag row, if the download asked for it (``?hxl=1``)."""
    return hxl_row(importing.COLUMNS, importing.HXL_TAGS) if wants_hxl(request.GET) else None


@coalition_view(Perm.VIEW_STAKEHOLDERS)
@recent_sign_in_required
def export_csv(request: HttpRequest, access: Access) -> HttpResponse:
    """The (filtered) list as CSV in the import template's columns; formulas are neutralised."""
    form, qs = filtered(request, access)
    audit.record(
        request.user,
        "stakeholders.exported",
        access.coalition,
        coalition=access.coalition,
        note=request.GET.urlencode()[:500],
    )
    return csv_response(
        f"stakeholders-{access.coalition.pk}.csv",
        importing.COLUMNS,
        importing.export_rows(qs.only(*importing.COLUMNS).iterator(chunk_size=2000)),
        _hxl(request),
    )
