"""Forms for meetings: they only parse input; the rules live in ``actions.py``."""

from __future__ import annotations

import datetime as dt
import mimetypes
from collections.abc import Sequence
from pathlib import PurePath
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from django import forms
from django.utils.translation import gettext_lazy as _

from coalition.coalitions.models import Coalition, Membership, WorkingGroup
from coalition.core import uploads
from coalition.core.fields import IdChoiceField, ModelForm
from coalition.core.forms import limit_choices
from coalition.core.tabular import TableError
from coalition.joint_action import queries as joint_queries
from coalition.meetings import calc
from coalition.meetings.actions import Upload
from coalition.meetings.models import (
    MAX_MINUTES,
    SERIES_FIELDS,
    SETTINGS_FIELDS,
    AgendaItem,
    Attendance,
    DecisionRule,
    Forum,
    Meeting,
    MeetingDecision,
    MeetingSeries,
    MeetingSettings,
    Purpose,
)
from coalition.stakeholders.models import Stakeholder

ZONE_CHOICES = [(name, name) for name in sorted(available_timezones())]
PAPER_TYPES = (".pdf", ".docx", ".odt", ".xlsx", ".ods", ".pptx", ".odp", ".csv", ".txt", ".png", ".jpg")
PAPER_MAX_BYTES = 5 * 1024 * 1024


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self) -> None:
        super().__init__(format="%H:%M")


def _working_groups(form: forms.BaseForm, coalition: Coalition) -> None:
    limit_choices(form, "working_group", coalition.working_groups.all())


class SettingsForm(ModelForm):
    class Meta:
        model = MeetingSettings
        fields = list(SETTINGS_FIELDS)


class SeriesForm(ModelForm):
    timezone = forms.ChoiceField(label=_("Time zone"), choices=ZONE_CHOICES, initial="Europe/London")
    call_link = forms.URLField(label=_("Call link"), max_length=500, required=False, assume_scheme="https")

    class Meta:
        model = MeetingSeries
        fields = list(SERIES_FIELDS)
        widgets = {"first_date": DateInput(), "until": DateInput(), "start_time": TimeInput()}

    def __init__(self, *args: Any, coalition: Coalition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _working_groups(self, coalition)


class MeetingForm(forms.Form):
    """A one-off meeting, or a change to one (an occurrence keeps its series' forum)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    forum = forms.ChoiceField(label=_("Forum"), choices=Forum.choices)
    working_group = IdChoiceField(label=_("Working group"), queryset=WorkingGroup.objects.none(), required=False)
    day = forms.DateField(label=_("Date"), widget=DateInput())
    time = forms.TimeField(label=_("Starts at (local time)"), widget=TimeInput())
    duration_minutes = forms.IntegerField(label=_("Length (minutes)"), min_value=5, max_value=MAX_MINUTES, initial=90)
    timezone = forms.ChoiceField(label=_("Time zone"), choices=ZONE_CHOICES, initial="Europe/London")
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    call_link = forms.URLField(label=_("Call link"), max_length=500, required=False, assume_scheme="https")

    def __init__(self, *args: Any, coalition: Coalition, series_fixed: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _working_groups(self, coalition)
        if series_fixed:
            del self.fields["forum"], self.fields["working_group"]

    def fields_for_action(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        moment = dt.datetime.combine(data.pop("day"), data.pop("time"))
        data["starts_at"] = calc.local_moment(moment, ZoneInfo(data["timezone"]))
        return data

    @staticmethod
    def initial_for(meeting: Meeting) -> dict[str, Any]:
        local = meeting.local_start
        return {
            "title": meeting.title,
            "forum": meeting.forum,
            "working_group": meeting.working_group_id,
            "day": local.date(),
            "time": local.time(),
            "duration_minutes": meeting.duration_minutes,
            "timezone": meeting.timezone,
            "place": meeting.place,
            "call_link": meeting.call_link,
        }


class ItemForm(forms.Form):
    title = forms.CharField(label=_("Item"), max_length=200)
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices, initial=Purpose.DISCUSS)
    minutes_needed = forms.IntegerField(
        label=_("Time needed (minutes)"), min_value=1, max_value=MAX_MINUTES, initial=10
    )
    description = forms.CharField(
        label=_("What it is about"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    paper = forms.FileField(
        label=_("Paper (optional)"),
        required=False,
        help_text=_("PDF, office document, spreadsheet, text or image; at most 5 MB."),
    )

    def clean_paper(self) -> Upload | None:
        """The paper's bytes under the upload rules of ``core.uploads``; its type is read from its extension."""
        upload = self.cleaned_data.get("paper")
        if not upload:
            return None
        try:
            data = uploads.read_upload(upload, extensions=PAPER_TYPES, max_bytes=PAPER_MAX_BYTES)
        except TableError as error:
            raise forms.ValidationError(str(error)) from None
        name = PurePath(upload.name or "paper").name
        return Upload(name, data, mimetypes.guess_type(name)[0] or "application/octet-stream")


class TriageForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=AgendaItem.Status.choices)
    position = forms.IntegerField(label=_("Order"), min_value=0, max_value=999)
    minutes_needed = forms.IntegerField(label=_("Minutes"), min_value=1, max_value=MAX_MINUTES)


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Minutes"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Blank lines separate paragraphs; lines starting with “- ” make a list; **bold**, *italic*."),
    )


class DecisionForm(ModelForm):
    class Meta:
        model = MeetingDecision
        fields = ["item", "text", "rule", "result", "reasoning"]
        widgets = {"reasoning": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "item", meeting.items.filter(status=AgendaItem.Status.ACCEPTED))
        self.fields["rule"].initial = DecisionRule.CONSENT


class ActionItemForm(forms.Form):
    title = forms.CharField(label=_("Action"), max_length=200)
    owner = IdChoiceField(label=_("Owner (member organisation)"), queryset=Stakeholder.objects.none())
    due_on = forms.DateField(label=_("Due on"), widget=DateInput())
    item = IdChoiceField(label=_("Agenda item"), queryset=AgendaItem.objects.none(), required=False)

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "owner", joint_queries.member_organisations(meeting.coalition))
        limit_choices(self, "item", meeting.items.filter(status=AgendaItem.Status.ACCEPTED))


class AttendanceForm(forms.Form):
    """One status and one organisation per invitee (``status_<membership id>``, ``org_<membership id>``). The
    organisations are plain choices read once, so the form costs no query per invitee."""

    def __init__(
        self, *args: Any, invitees: Sequence[Membership], organisations: Sequence[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.invitees = list(invitees)
        choices = [("", "—"), *organisations]
        for membership in self.invitees:
            self.fields[f"status_{membership.pk}"] = forms.ChoiceField(
                label=membership.display_name, choices=Attendance.Status.choices, initial=Attendance.Status.ABSENT
            )
            self.fields[f"org_{membership.pk}"] = forms.TypedChoiceField(
                label=_("Represented"),
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
                initial=membership.organisation_id,
            )

    def rows(self) -> dict[int, tuple[str, int | None]]:
        data = self.cleaned_data
        return {m.pk: (data[f"status_{m.pk}"], data[f"org_{m.pk}"]) for m in self.invitees}

    def pairs(self) -> list[tuple[Membership, forms.BoundField, forms.BoundField]]:
        return [(m, self[f"status_{m.pk}"], self[f"org_{m.pk}"]) for m in self.invitees]
