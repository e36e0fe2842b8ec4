"""Every change to meetings: validate, save in a transaction, write an audit event (and raise the messages the
change sends). Who may call which function is declared on the routes (``rules.py``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition.coalitions.access import Access
from coalition.coalitions.models import Coalition, Membership, WorkingGroup
from coalition.core import audit
from coalition.core.dates import check_dates
from coalition.core.permissions import Perm
from coalition.joint_action import actions as joint_actions
from coalition.joint_action import queries as joint_queries
from coalition.joint_action.models import Action
from coalition.meetings import calc, notices, queries
from coalition.meetings.models import (
    DECISION_FIELDS,
    ITEM_FIELDS,
    MEETING_FIELDS,
    SERIES_FIELDS,
    SETTINGS_FIELDS,
    ActionItem,
    AgendaItem,
    Attendance,
    FeedKey,
    Forum,
    Frequency,
    Meeting,
    MeetingDecision,
    MeetingSeries,
    MeetingSettings,
    Paper,
)
from coalition.notifications.events import raise_event, raise_event_each
from coalition.stakeholders.models import Stakeholder

HORIZON = dt.timedelta(days=366)  # occurrences are made this far ahead of today
FOLLOW_UP_PLAN = "Meeting follow-up"
FOLLOW_UP_TYPE = "Meeting follow-up"
ZONES = frozenset(available_timezones())


def _check_zone(name: str) -> None:
    if name not in ZONES:
        raise ValidationError({"timezone": _("Choose a time zone from the list, e.g. Europe/London.")})


def _check_forum(coalition: Coalition, forum: str, working_group: WorkingGroup | None) -> None:
    if forum in (Forum.WORKING_GROUP, Forum.CODESIGN):
        if working_group is None or working_group.coalition_id != coalition.pk:
            raise ValidationError({"working_group": _("Choose the working group that meets.")})
        if forum == Forum.CODESIGN and not working_group.is_codesign_group:
            raise ValidationError({"working_group": _("This working group is not a co-design group.")})
    elif working_group is not None:
        raise ValidationError({"working_group": _("Only working group and co-design meetings name a group.")})


# --------------------------------------------------------------------------------------------- settings


@transaction.atomic
def do_save_settings(actor: Any, coalition: Coalition, **fields: int) -> MeetingSettings:
    found = queries.settings_of(coalition)
    before = audit.snapshot(found, SETTINGS_FIELDS) if found.pk else None
    for name in SETTINGS_FIELDS:
        setattr(found, name, fields[name])
    found.full_clean(exclude=["coalition"])
    found.save()
    audit.record(
        actor, "meeting_settings.changed", found, coalition=coalition, before=before,
        after=audit.snapshot(found, SETTINGS_FIELDS),
    )  # fmt: skip
    return found


# ----------------------------------------------------------------------------------------------- series


def recurrence_of(series: MeetingSeries) -> calc.Recurrence:
    return calc.Recurrence(
        series.frequency,
        series.weekday,
        series.first_date,
        series.start_time,
        series.timezone,
        series.week_of_month,
        series.until,
    )


def _materialise(series: MeetingSeries, today: dt.date) -> int:
    """Make a meeting for each occurrence day up to ``today + HORIZON`` that has none yet (moved and cancelled
    ones keep their original start, so they are never made twice). Returns how many were made."""
    zone = ZoneInfo(series.timezone)
    start = dt.datetime.combine(series.first_date, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(today, dt.time.max, tzinfo=zone) + HORIZON
    # One meeting per occurrence day: a kept (moved, cancelled, prepared) occurrence stands for its day even
    # when the series' time of day has changed since.
    kept = series.meetings.filter(original_start__isnull=False).values_list("original_start", flat=True)
    existing = {moment.astimezone(zone).date() for moment in kept if moment is not None}
    new = [
        Meeting(
            coalition_id=series.coalition_id,
            series=series,
            title=series.title,
            forum=series.forum,
            working_group_id=series.working_group_id,
            timezone=series.timezone,
            duration_minutes=series.duration_minutes,
            place=series.place,
            call_link=series.call_link,
            starts_at=moment,
            original_start=moment,
        )
        for moment in calc.occurrences(recurrence_of(series), start, end)
        if moment.date() not in existing
    ]
    Meeting.objects.bulk_create(new)
    return len(new)


def _untouched_future(series: MeetingSeries, now: dt.datetime) -> Any:
    """Future occurrences nobody has changed yet (not moved, cancelled, published or given items)."""
    return series.meetings.filter(
        starts_at__gt=now,
        starts_at=F("original_start"),
        status=Meeting.Status.SCHEDULED,
        agenda_published_at__isnull=True,
        items__isnull=True,
    )


@transaction.atomic
def do_save_series(
    actor: Any, coalition: Coalition, *, series: MeetingSeries | None = None, **fields: Any
) -> MeetingSeries:
    """Create a series or change one. Its RRULE is built from the choices; occurrences are made a year ahead.
    A change replaces the future occurrences nobody has touched; moved, cancelled or prepared ones stay."""
    unknown = set(fields) - set(SERIES_FIELDS)
    if unknown:
        raise ValueError(f"not series fields: {sorted(unknown)}")
    created = series is None
    series = series or MeetingSeries(coalition=coalition)
    before = None if created else audit.snapshot(series, SERIES_FIELDS)
    check_dates(coalition.date_window, first_date=fields.get("first_date"), until=fields.get("until"))
    for name, value in fields.items():
        setattr(series, name, value)
    series.title = " ".join(series.title.split())
    _check_zone(series.timezone)
    _check_forum(coalition, series.forum, series.working_group)
    if series.frequency == Frequency.MONTHLY and series.week_of_month is None:
        raise ValidationError({"week_of_month": _("Say which weekday of the month, e.g. the first Tuesday.")})
    if series.frequency != Frequency.MONTHLY:
        series.week_of_month = None
    if series.until is not None and series.until < series.first_date:
        raise ValidationError({"until": _("The end must not come before the start.")})
    series.rrule = recurrence_of(series).rrule
    series.full_clean(exclude=["coalition", "rrule"])
    series.save()
    now = timezone.now()
    if not created:
        _untouched_future(series, now).delete()
        series.meetings.filter(starts_at__gt=now, status=Meeting.Status.SCHEDULED).update(
            title=series.title, place=series.place, call_link=series.call_link
        )
    made = _materialise(series, timezone.localdate())
    audit.record(
        actor,
        "meeting_series.created" if created else "meeting_series.changed",
        series,
        coalition=coalition,
        before=before,
        after=audit.snapshot(series, SERIES_FIELDS),
        note=f"{made} occurrences made",
    )
    return series


@transaction.atomic
def do_extend_series(today: dt.date) -> int:
    """The daily run: keep every running series' meetings made a year ahead. Returns the meetings made."""
    made = 0
    for series in MeetingSeries.objects.filter(is_archived=False).select_related("coalition"):
        count = _materialise(series, today)
        if count:
            audit.record(None, "meeting_series.extended", series, coalition=series.coalition, note=f"{count} made")
        made += count
    return made


# --------------------------------------------------------------------------------------------- meetings


def local_start(day: dt.date, time: dt.time, zone_name: str) -> dt.datetime:
    _check_zone(zone_name)
    return calc.local_moment(dt.datetime.combine(day, time), ZoneInfo(zone_name))


@transaction.atomic
def do_save_meeting(actor: Any, coalition: Coalition, *, meeting: Meeting | None = None, **fields: Any) -> Meeting:
    """Create a one-off meeting, or change (move, re-place) one; an occurrence keeps its original start, so
    moving it never breaks its series. A change to a published meeting updates calendars (SEQUENCE)."""
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise ValueError(f"not meeting fields: {sorted(unknown)}")
    created = meeting is None
    meeting = meeting or Meeting(coalition=coalition)
    if meeting.is_cancelled:
        raise ValidationError(_("This meeting is cancelled."))
    before = None if created else audit.snapshot(meeting, MEETING_FIELDS)
    for name, value in fields.items():
        setattr(meeting, name, value)
    meeting.title = " ".join(meeting.title.split())
    _check_zone(meeting.timezone)
    check_dates(coalition.date_window, starts_at=meeting.starts_at.date())
    if meeting.series_id is None:
        _check_forum(coalition, meeting.forum, meeting.working_group)
    meeting.full_clean(exclude=["coalition", "series"])
    if not created and meeting.is_published:
        meeting.sequence += 1
    meeting.save()
    audit.record(
        actor,
        "meeting.created" if created else "meeting.changed",
        meeting,
        coalition=coalition,
        before=before,
        after=audit.snapshot(meeting, MEETING_FIELDS),
    )
    return meeting


def _coalition_name(meeting: Meeting) -> str:
    return Coalition.objects.filter(pk=meeting.coalition_id).values_list("name", flat=True).get()


def _url(meeting: Meeting) -> str:
    return reverse("meetings:meeting", kwargs={"coalition_id": meeting.coalition_id, "meeting_id": meeting.pk})


def _where(meeting: Meeting) -> str:
    return ", ".join(part for part in (meeting.place, meeting.call_link) if part) or "—"


@transaction.atomic
def do_cancel_meeting(actor: Any, meeting: Meeting) -> Meeting:
    """Cancel one meeting (an occurrence stays in its series as cancelled); invitees of a published agenda
    are told, with a calendar cancellation."""
    if meeting.is_cancelled:
        raise ValidationError(_("This meeting is already cancelled."))
    if meeting.starts_at < timezone.now():
        raise ValidationError(_("A meeting that has begun cannot be cancelled."))
    meeting.status = Meeting.Status.CANCELLED
    meeting.sequence += 1
    meeting.save(update_fields=["status", "sequence", "updated_at"])
    audit.record(actor, "meeting.cancelled", meeting, coalition=meeting.coalition, after={"status": meeting.status})
    if meeting.is_published:
        raise_event(
            notices.MEETING_CANCELLED,
            key=f"{notices.MEETING_CANCELLED}:{meeting.pk}",
            payload={
                "meeting_id": meeting.pk,
                "coalition": _coalition_name(meeting),
                "meeting": meeting.title,
                "when": notices.when(meeting),
            },
            coalition_id=meeting.coalition_id,
            url=_url(meeting),
        )
    return meeting


# ------------------------------------------------------------------------------------------------ agenda


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes
    content_type: str


def proposals_close_at(meeting: Meeting) -> dt.datetime:
    return meeting.proposals_close_at or meeting.starts_at


@transaction.atomic
def do_propose_item(access: Access, meeting: Meeting, *, papers: Sequence[Upload] = (), **fields: Any) -> AgendaItem:
    """A member proposes an agenda item (with papers) before the deadline; those who run meetings may add one
    later, and theirs are accepted at once."""
    runner = access.can(Perm.RUN_MEETINGS)
    if meeting.is_cancelled or meeting.minutes_approved_at is not None:
        raise ValidationError(_("This meeting takes no more agenda items."))
    if not runner and timezone.now() > proposals_close_at(meeting):
        raise ValidationError(
            _("Proposals for this meeting closed on %(when)s.") % {"when": proposals_close_at(meeting)}
        )
    item = AgendaItem(coalition=meeting.coalition, meeting=meeting, proposed_by=access.membership, **fields)
    item.title = " ".join(item.title.split())
    if runner:
        item.status = AgendaItem.Status.ACCEPTED
        item.position = (meeting.items.aggregate(last=Max("position"))["last"] or 0) + 1
    item.full_clean(exclude=["coalition", "meeting", "proposed_by"])
    item.save()
    Paper.objects.bulk_create(
        Paper(
            coalition=meeting.coalition,
            item=item,
            filename=paper.filename[:100],
            content_type=paper.content_type[:100],
            size=len(paper.data),
            data=paper.data,
            uploaded_by=access.user,
        )
        for paper in papers
    )
    audit.record(
        access.user, "agenda_item.proposed", item, coalition=meeting.coalition,
        after={**audit.snapshot(item, ITEM_FIELDS), "papers": [p.filename for p in papers]},
    )  # fmt: skip
    return item


@transaction.atomic
def do_triage_item(actor: Any, item: AgendaItem, *, status: str, position: int, minutes_needed: int) -> AgendaItem:
    """Accept, defer, order and time an item."""
    before = audit.snapshot(item, ("status", "position", "minutes_needed"))
    item.status, item.position, item.minutes_needed = status, position, minutes_needed
    item.full_clean(exclude=["coalition", "meeting", "proposed_by"])
    item.save(update_fields=["status", "position", "minutes_needed", "updated_at"])
    audit.record(
        actor, "agenda_item.triaged", item, coalition=item.coalition, before=before,
        after=audit.snapshot(item, ("status", "position", "minutes_needed")),
    )  # fmt: skip
    return item


@transaction.atomic
def do_publish_agenda(actor: Any, meeting: Meeting) -> Meeting:
    """Publish (or re-publish) the agenda: invitees get it with an iCalendar invitation."""
    if meeting.is_cancelled:
        raise ValidationError(_("This meeting is cancelled."))
    items = queries.agenda(meeting)
    if not items:
        raise ValidationError(_("Accept at least one item before publishing the agenda."))
    if meeting.is_published:
        meeting.sequence += 1
    meeting.agenda_published_at = timezone.now()
    meeting.save(update_fields=["agenda_published_at", "sequence", "updated_at"])
    audit.record(actor, "meeting.agenda_published", meeting, coalition=meeting.coalition, after={"items": len(items)})
    raise_event(
        notices.AGENDA_PUBLISHED,
        key=f"{notices.AGENDA_PUBLISHED}:{meeting.pk}:{meeting.sequence}",
        payload={
            "meeting_id": meeting.pk,
            "coalition": _coalition_name(meeting),
            "meeting": meeting.title,
            "when": notices.when(meeting),
            "where": _where(meeting),
            "agenda": notices.agenda_text(items, list(queries.carried_items(meeting))),
        },
        coalition_id=meeting.coalition_id,
        url=_url(meeting),
    )
    return meeting


# ------------------------------------------------------------------------------------- during and after


@transaction.atomic
def do_record_attendance(actor: Any, meeting: Meeting, rows: Mapping[int, tuple[str, int | None]]) -> list[Attendance]:
    """Record (or correct) attendance: membership id -> (present/excused/absent, organisation represented).
    Only invitees are recorded; the organisation must be a member organisation of the coalition."""
    if meeting.is_cancelled:
        raise ValidationError(_("This meeting is cancelled."))
    invited = set(queries.invitees(meeting).values_list("pk", flat=True))
    strangers = set(rows) - invited
    if strangers:
        raise ValidationError(_("Only invitees of this meeting can be recorded."))
    organisations = {org for _status, org in rows.values() if org is not None}
    known = set(
        joint_queries.member_organisations(meeting.coalition).filter(pk__in=organisations).values_list("pk", flat=True)
    )
    if organisations - known:
        raise ValidationError(_("Choose a member organisation of this coalition."))
    statuses = set(Attendance.Status.values)
    if any(status not in statuses for status, _org in rows.values()):
        raise ValidationError(_("Choose present, excused or absent."))
    records = [
        Attendance(coalition=meeting.coalition, meeting=meeting, membership_id=mid, status=status, organisation_id=org)
        for mid, (status, org) in sorted(rows.items())
    ]
    Attendance.objects.bulk_create(
        records,
        update_conflicts=True,
        unique_fields=["meeting", "membership"],
        update_fields=["status", "organisation"],
    )
    audit.record(
        actor, "meeting.attendance_recorded", meeting, coalition=meeting.coalition,
        after={str(mid): status for mid, (status, _org) in sorted(rows.items())},
    )  # fmt: skip
    return records


def _not_approved(meeting: Meeting) -> None:
    if meeting.minutes_approved_at is not None:
        raise ValidationError(_("The minutes of this meeting are approved and can no longer change."))


@transaction.atomic
def do_save_minutes(actor: Any, item: AgendaItem, minutes: str) -> AgendaItem:
    _not_approved(item.meeting)
    before = {"minutes": item.minutes}
    item.minutes = minutes.strip()
    item.full_clean(exclude=["coalition", "meeting", "proposed_by"])
    item.save(update_fields=["minutes", "updated_at"])
    audit.record(
        actor, "agenda_item.minutes", item, coalition=item.coalition, before=before, after={"minutes": item.minutes}
    )
    return item


@transaction.atomic
def do_record_decision(actor: Any, meeting: Meeting, **fields: Any) -> MeetingDecision:
    """A decision taken at the meeting, with the rule used and its result (the decision log reads these)."""
    _not_approved(meeting)
    decision = MeetingDecision(coalition=meeting.coalition, meeting=meeting, **fields)
    if decision.item is not None and decision.item.meeting_id != meeting.pk:
        raise ValidationError({"item": _("Choose an item of this meeting's agenda.")})
    decision.text = " ".join(decision.text.split())
    decision.full_clean(exclude=["coalition", "meeting"])
    decision.save()
    audit.record(
        actor,
        "meeting.decision",
        decision,
        coalition=meeting.coalition,
        after=audit.snapshot(decision, DECISION_FIELDS),
    )
    return decision


@transaction.atomic
def do_add_action_item(
    actor: Any,
    meeting: Meeting,
    *,
    title: str,
    owner: Stakeholder,
    due_on: dt.date,
    item: AgendaItem | None = None,
    description: str = "",
) -> ActionItem:
    """An action agreed at the meeting. It is made as a joint-action commitment of ``owner`` (one record: the
    owner's commitments, reminders and follow-through count it) and linked to the meeting."""
    _not_approved(meeting)
    if item is not None and item.meeting_id != meeting.pk:
        raise ValidationError({"item": _("Choose an item of this meeting's agenda.")})
    held_on = meeting.local_start.date()
    if due_on < held_on:
        raise ValidationError({"due_on": _("The due date must not come before the meeting.")})
    plan, kind = joint_actions.do_ensure_holder(
        actor,
        meeting.coalition,
        title=FOLLOW_UP_PLAN,
        summary=_("Actions agreed in the coalition's meetings."),
        activity_type=FOLLOW_UP_TYPE,
    )
    action = joint_actions.do_create_action(
        actor,
        plan,
        title=title,
        description=description,
        activity_type_id=kind.pk,
        place=meeting.place or _("Coalition meeting"),
        lead_id=owner.pk,
        starts_on=held_on,
        due_on=due_on,
    )
    linked = ActionItem.objects.create(coalition=meeting.coalition, meeting=meeting, item=item, action=action)
    audit.record(
        actor, "meeting.action_item", linked, coalition=meeting.coalition,
        after={"action": action.pk, "title": action.title, "owner": owner.pk, "due_on": due_on.isoformat()},
    )  # fmt: skip
    return linked


def _decision_lines(meeting: Meeting) -> str:
    rows = meeting.decisions.order_by("pk")
    return "\n".join(f"- {d.text} ({d.get_rule_display()}: {d.get_result_display()})" for d in rows) or _("None.")


@transaction.atomic
def do_approve_minutes(actor: Any, meeting: Meeting) -> int:
    """Approve the minutes: they become readable by members and each invitee gets ONE message with the
    decisions and their own organisation's action items. Queued in a fixed number of queries. Returns the
    messages queued."""
    if meeting.is_cancelled:
        raise ValidationError(_("This meeting is cancelled."))
    _not_approved(meeting)
    if meeting.starts_at > timezone.now():
        raise ValidationError(_("Minutes are approved after the meeting."))
    meeting.minutes_approved_at = timezone.now()
    meeting.minutes_approved_by = actor
    meeting.save(update_fields=["minutes_approved_at", "minutes_approved_by", "updated_at"])
    decisions = _decision_lines(meeting)
    owned: dict[int, list[str]] = {}
    for linked in ActionItem.objects.filter(meeting=meeting).select_related("action").order_by("pk"):
        action: Action = linked.action
        owned.setdefault(action.lead_id, []).append(f"- {action.title} ({_('due')} {action.due_on:%Y-%m-%d})")
    base = {
        "meeting_id": meeting.pk,
        "coalition": _coalition_name(meeting),
        "meeting": meeting.title,
        "when": notices.when(meeting),
        "decisions": decisions,
    }
    payloads = {
        user_id: {**base, "actions": "\n".join(owned.get(org_id, [])) if org_id in owned else _("None.")}
        for user_id, org_id in queries.invitees(meeting).values_list("user_id", "organisation_id")
    }
    audit.record(
        actor, "meeting.minutes_approved", meeting, coalition=meeting.coalition, after={"invitees": len(payloads)}
    )
    return raise_event_each(
        notices.FOLLOW_UP,
        key=f"{notices.FOLLOW_UP}:{meeting.pk}",
        payloads=payloads,
        coalition_id=meeting.coalition_id,
        url=_url(meeting),
    )


# -------------------------------------------------------------------------------------------------- feed


@transaction.atomic
def do_revoke_feed(actor: Any, membership: Membership) -> FeedKey:
    """A new calendar address for this person; every earlier one stops working."""
    key, _created = FeedKey.objects.select_for_update().get_or_create(membership=membership)
    key.generation += 1
    key.save(update_fields=["generation"])
    audit.record(actor, "meeting_feed.revoked", membership, coalition=membership.coalition)
    return key
