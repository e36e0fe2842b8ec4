"""Thin views: ``coalition_view`` fetches and authorises (``rules.py`` closes a forum's meetings to non-invitees),
forms parse, actions write, queries read."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from weasyprint import HTML

from coalition.coalitions.access import Access, coalition_view, scoped_get
from coalition.core.forms import render_form, run_action, run_action_message, submitted
from coalition.core.permissions import Perm
from coalition.core.tabular import csv_response
from coalition.joint_action import queries as joint_queries
from coalition.meetings import actions, feed, ical, markup, queries, rules
from coalition.meetings.forms import (
    ActionItemForm,
    AttendanceForm,
    DecisionForm,
    ItemForm,
    MeetingForm,
    MinutesForm,
    SeriesForm,
    SettingsForm,
    TriageForm,
)
from coalition.meetings.models import SERIES_FIELDS, AgendaItem, Attendance, Meeting, MeetingSeries, Paper

RUN = Perm.RUN_MEETINGS


def _to_meeting(meeting: Meeting) -> HttpResponse:
    return redirect("meetings:meeting", meeting.coalition_id, meeting.pk)


def _meeting(access: Access, meeting_id: int) -> Meeting:
    return scoped_get(access, Meeting.objects.select_related("series", "working_group"), pk=meeting_id)


@coalition_view(Perm.VIEW_MEETINGS)
def meeting_list(request: HttpRequest, access: Access) -> HttpResponse:
    now = timezone.now()
    visible = queries.meetings_for(access).select_related("working_group")
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "upcoming": visible.filter(starts_at__gte=now - dt.timedelta(hours=12)).order_by("starts_at")[:30],
            "past": visible.filter(starts_at__lt=now - dt.timedelta(hours=12)).order_by("-starts_at")[:30],
            "series": queries.series_of(access.coalition).select_related("working_group"),
            "can_run": access.can(RUN),
        },
    )


def _series_form(request: HttpRequest, access: Access, series: MeetingSeries | None) -> HttpResponse:
    form = SeriesForm(request.POST or None, instance=series, coalition=access.coalition)
    if submitted(request, form):
        fields = {name: form.cleaned_data[name] for name in SERIES_FIELDS}
        saved = run_action(form, actions.do_save_series, request.user, access.coalition, series=series, **fields)
        if saved:
            messages.success(request, _("Series “%(title)s” saved.") % {"title": saved.value.title})
            return redirect("meetings:list", access.coalition.pk)
    return render_form(request, "meetings/series_form.html", {"form": form, "series": series})


@coalition_view(RUN)
def series_new(request: HttpRequest, access: Access) -> HttpResponse:
    return _series_form(request, access, None)


@coalition_view(RUN)
def series_edit(request: HttpRequest, access: Access, series_id: int) -> HttpResponse:
    return _series_form(request, access, scoped_get(access, MeetingSeries, pk=series_id))


def _meeting_form(request: HttpRequest, access: Access, meeting: Meeting | None) -> HttpResponse:
    initial = MeetingForm.initial_for(meeting) if meeting else {}
    fixed = meeting is not None and meeting.series_id is not None
    form = MeetingForm(request.POST or None, initial=initial, coalition=access.coalition, series_fixed=fixed)
    if submitted(request, form):
        saved = run_action(
            form, actions.do_save_meeting, request.user, access.coalition, meeting=meeting, **form.fields_for_action()
        )
        if saved:
            messages.success(request, _("Meeting saved."))
            return _to_meeting(saved.value)
    return render_form(request, "meetings/meeting_form.html", {"form": form, "meeting": meeting})


@coalition_view(RUN)
def meeting_new(request: HttpRequest, access: Access) -> HttpResponse:
    return _meeting_form(request, access, None)


@coalition_view(RUN)
def meeting_edit(request: HttpRequest, access: Access, meeting_id: int) -> HttpResponse:
    return _meeting_form(request, access, _meeting(access, meeting_id))


@require_POST
@coalition_view(RUN)
def meeting_cancel(request: HttpRequest, access: Access, meeting_id: int) -> HttpResponse:
    meeting = _meeting(access, meeting_id)
    if run_action_message(request, actions.do_cancel_meeting, request.user, meeting):
        messages.success(request, _("The meeting is cancelled; its series goes on."))
    return _to_meeting(meeting)


@coalition_view(Perm.VIEW_MEETINGS, rules=(rules.INVITED,))
def meeting_detail(request: HttpRequest, access: Access, meeting_id: int) -> HttpResponse:
    meeting = _meeting(access, meeting_id)
    can_run = access.can(RUN)
    items = list(meeting.items.prefetch_related("papers").select_related("proposed_by__user"))
    agenda = [item for item in items if item.status == AgendaItem.Status.ACCEPTED]
    show_minutes = queries.minutes_visible(access, meeting)
    attendance = queries.attendance_rows(meeting)
    invited = queries.invitees(meeting).count()
    present = sum(1 for row in attendance if row.status == Attendance.Status.PRESENT)
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "agenda": [(item, markup.render(item.minutes) if show_minutes else "") for item in agenda],
            "proposals": [item for item in items if item.status != AgendaItem.Status.ACCEPTED] if can_run else [],
            "own_proposals": [i for i in items if i.status != "accepted" and i.proposed_by_id == access.membership.pk],
            "attendance": attendance,
            "invited": invited,
            "quorum": queries.quorum(meeting, invited, present),
            "decision_rules": queries.decision_rules_text(access.coalition),
            "decisions": meeting.decisions.select_related("item"),
            "action_items": meeting.action_items.select_related("action__lead"),
            "carried": queries.carried_items(meeting),
            "show_minutes": show_minutes,
            "can_run": can_run,
            "can_propose": access.can(Perm.PROPOSE_AGENDA_ITEM) and not meeting.is_cancelled,
            "proposals_close_at": actions.proposals_close_at(meeting),
        },
    )


@coalition_view(Perm.PROPOSE_AGENDA_ITEM, rules=(rules.INVITED_TO_PROPOSE,))
def item_new(request: HttpRequest, access: Access, meeting_id: int) -> HttpResponse:
    meeting = _meeting(access, meeting_id)
    form = ItemForm(request.POST or None, request.FILES or None)
    if submitted(request, form):
        data = dict(form.cleaned_data)
        paper = data.pop("paper")
        saved = run_action(form, actions.do_propose_item, access, meeting, papers=[paper] if paper else [], **data)
        if saved:
            messages.success(request, _("Item proposed. The facilitator or the hub will place it on the agenda."))
            return _to_meeting(meeting)
    return render_form(request, "meetings/item_form.html", {"form": form, "meeting": meeting})


@require_POST
@coalition_view(RUN)
def item_triage(request: HttpRequest, access: Access, item_id: int) -> HttpResponse:
    item = scoped_get(access, AgendaItem.objects.select_related("meeting"), pk=item_id)
    form = TriageForm(request.POST)
    if form.is_valid():
        if run_action_message(request, actions.do_triage_item, request.user, item, **form.cleaned_data):
            messages.success(request, _("“%(title)s” updated.") % {"title": item.title})
    else:
        messages.error(request, _("Give a status, an order (0–999) and the minutes needed."))
    return _to_meeting(item.meeting)


@require_POST
@coalition_view(RUN)
def publish(request: HttpRequest, access: Access, meeting_id: int) -> HttpResponse:
    meeting = _meeting(access, meeting_id)
    if run_action_message(request, actions.do_publish_agenda, request.user, meeting):
        messages.success(request, _("Agenda published; invitees get it with a calendar invitation."))
    return _to_meeting(meeting)


@coalition_view(RUN)
def attendance(request: HttpRequest, access: Access, meeting_id: int) -> HttpResponse:
    meeting = _meeting(access, meeting_id)
    invitees = list(queries.invitees(meeting).order_by("user__last_name", "user__first_name", "user__username"))
    recorded = {a.membership_id: a for a in meeting.attendance.all()}
    initial: dict[str, Any] = {}
    for membership in invitees:
        if membership.pk in recorded:
            initial[f"status_{membership.pk}"] = recorded[membership.pk].status
            initial[f"org_{membership.pk}"] = recorded[membership.pk].organisation_id
    organisations = list(joint_queries.member_organisations(access.coalition).values_list("pk", "name"))
    form = AttendanceForm(request.POST or None, initial=initial, invitees=invitees, organisations=organisations)
    if submitted(request, form) and run_action(form, actions.do_record_attendance, request.user, meeting, form.rows()):
        messages.success(request, _("Attendance recorded."))
        return _to_meeting(meeting)
    return render_form(request, "meetings/attendance_form.html", {"form": form, "meeting": meeting})


@coalition_view(RUN)
def item_minutes(request: HttpRequest, access: Access, item_id: int) -> HttpResponse:
    item = scoped_get(access, AgendaItem.objects.select_related("meeting"), pk=item_id)
    form = MinutesForm(request.POST or None, initial={"minutes": item.minutes})
    if submitted(request, form) and run_action(
        form, actions.do_save_minutes, request.user, item, form.cleaned_data["minutes"]
    ):
        messages.success(request, _("Minutes saved."))
        return _to_meeting(item.meeting)
    return render_form(request, "meetings/minutes_form.html", {"form": form, "item": item})


@coalition_view(RUN)
def decision_new(request: HttpRequest, access: Access, meeting_id: int) -> HttpResponse:
    meeting = _meeting(access, meeting_id)
    form = DecisionForm(request.POST or None, meeting=meeting)
    if submitted(request, form) and run_action(
        form, actions.do_record_decision, request.user, meeting, **form.cleaned_data
    ):
        messages.success(request, _("Decision recorded."))
        return _to_meeting(meeting)
    return render_form(request, "meetings/decision_form.html", {"form": form, "meeting": meeting})


@coalition_view(RUN)
def action_item_new(request: HttpRequest, access: Access, meeting_id: int) -> HttpResponse:
    meeting = _meeting(access, meeting_id)
    form = ActionItemForm(request.POST or None, meeting=meeting)
    if submitted(request, form) and run_action(
        form, actions.do_add_action_item, request.user, meeting, **form.cleaned_data
    ):
        messages.success(request, _("Action item added to the owner's commitments."))
        return _to_meeting(meeting)
    return render_form(request, "meetings/action_item_form.html", {"form": form, "meeting": meeting})


@require_POST
@coalition_view(RUN)
def approve_minutes(request: HttpRequest, access: Access, meeting_id: int) -> HttpResponse:
    meeting = _meeting(access, meeting_id)
    if run_action_message(request, actions.do_approve_minutes, request.user, meeting):
        messages.success(request, _("Minutes approved; every invitee gets the decisions and their action items."))
    return _to_meeting(meeting)


@coalition_view(Perm.VIEW_MEETINGS, rules=(rules.INVITED,))
def paper(request: HttpRequest, access: Access, paper_id: int) -> HttpResponse:
    found = scoped_get(access, Paper, pk=paper_id)
    response = HttpResponse(bytes(found.data), content_type=found.content_type)
    response["Content-Disposition"] = f'attachment; filename="paper-{found.pk}{_suffix(found.filename)}"'
    return response


def _suffix(filename: str) -> str:
    dot = filename.rfind(".")
    suffix = filename[dot:].lower() if dot >= 0 else ""
    return suffix if suffix[1:].isalnum() else ""


def _export_rows(meeting: Meeting) -> dict[str, Any]:
    return {
        "meeting": meeting,
        "agenda": [(item, markup.render(item.minutes)) for item in queries.agenda(meeting)],
        "attendance": queries.attendance_rows(meeting),
        "decisions": meeting.decisions.select_related("item"),
        "action_items": meeting.action_items.select_related("action__lead"),
    }


@coalition_view(Perm.VIEW_MEETINGS, rules=(rules.INVITED,))
def attendance_csv(request: HttpRequest, access: Access, meeting_id: int) -> HttpResponse:
    meeting = _meeting(access, meeting_id)
    rows = [[row.person, row.status_label, row.organisation] for row in queries.attendance_rows(meeting)]
    header = [_("Person"), _("Attendance"), _("Organisation represented")]
    return csv_response(f"attendance-{meeting.pk}.csv", header, rows)


@coalition_view(Perm.VIEW_MEETINGS, rules=(rules.MINUTES_READABLE,))
def minutes_csv(request: HttpRequest, access: Access, meeting_id: int) -> HttpResponse:
    meeting = _meeting(access, meeting_id)
    rows: list[list[Any]] = [
        [_("Item"), item.position, item.title, item.get_purpose_display(), item.minutes]
        for item in queries.agenda(meeting)
    ]
    rows += [[_("Decision"), "", d.text, f"{d.get_rule_display()}: {d.get_result_display()}", d.reasoning]
             for d in meeting.decisions.all()]  # fmt: skip
    rows += [
        [_("Action item"), "", a.action.title, a.action.lead.name, a.action.due_on.isoformat()]
        for a in meeting.action_items.select_related("action__lead")
    ]
    return csv_response(f"minutes-{meeting.pk}.csv", [_("Kind"), _("Order"), _("Title"), _("Detail"), _("Text")], rows)


@coalition_view(Perm.VIEW_MEETINGS, rules=(rules.MINUTES_READABLE,))
def minutes_pdf(request: HttpRequest, access: Access, meeting_id: int) -> HttpResponse:
    meeting = _meeting(access, meeting_id)
    html = render_to_string("meetings/minutes_document.html", _export_rows(meeting))
    response = HttpResponse(HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(), "application/pdf")
    response["Content-Disposition"] = f'attachment; filename="minutes-{meeting.pk}.pdf"'
    return response


@coalition_view(Perm.VIEW_MEETINGS)
def my_calendar(request: HttpRequest, access: Access) -> HttpResponse:
    """The person's private calendar address; POST gives a new one (the old stops working)."""
    if request.method == "POST":
        if run_action_message(request, actions.do_revoke_feed, request.user, access.membership):
            messages.success(request, _("Your calendar address is renewed; the old one no longer works."))
        return redirect("meetings:calendar", access.coalition.pk)
    return render(request, "meetings/calendar.html", {"feed_url": feed.feed_url(access.membership)})


@coalition_view(Perm.VIEW_MEETINGS, write=RUN)
def figures(request: HttpRequest, access: Access) -> HttpResponse:
    coalition = access.coalition
    form = SettingsForm(request.POST or None, instance=queries.settings_of(coalition))
    if submitted(request, form) and run_action(
        form, actions.do_save_settings, request.user, coalition, **form.cleaned_data
    ):
        messages.success(request, _("Meeting settings saved."))
        return redirect("meetings:figures", coalition.pk)
    today = timezone.localdate()
    end = timezone.now()
    start = end - dt.timedelta(days=365)
    found = queries.figures(coalition, start, end, today)
    names = dict(joint_queries.member_organisations(coalition).values_list("pk", "name"))
    context = {
        **found,
        "organisations": sorted(
            ((names.get(org, "?"), rate, org in found["consistent"]) for org, rate in found["by_organisation"].items()),
            key=lambda row: row[0],
        ),
        "form": form,
        "can_run": access.can(RUN),
        "start": start,
        "end": end,
    }
    return render(request, "meetings/figures.html", context, status=400 if form.errors else 200)


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """A person's meetings as iCalendar, by their private address (no session needed)."""
    membership = feed.read_token(token)
    if membership is None:
        return HttpResponse(status=404)
    since = timezone.now() - dt.timedelta(days=90)
    meetings = queries.feed_meetings(membership, since)[:500]
    body = ical.feed(meetings, membership.coalition.name)
    response = HttpResponse(body, content_type=f"{ical.CONTENT_TYPE}; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response
