"""Forms for joint action. They only parse input; the rules live in ``actions.py``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Case, When
from django.utils.translation import gettext_lazy as _

from coalition.coalitions.models import Coalition
from coalition.core.forms import limit_choices
from coalition.joint_action.models import Action, ActivityType, JointActionPlan, Objective
from coalition.planning.models import Priority
from coalition.stakeholders.models import Stakeholder


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class PlaceInput(forms.TextInput):
    """A free-text place suggesting the coalition's listed places (the template renders ``#places-list``)."""

    def __init__(self) -> None:
        super().__init__(attrs={"list": "places-list", "autocomplete": "off"})


class PlanForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("What the plan sets out to do"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    starts_on = forms.DateField(label=_("Starts on"), required=False, widget=DateInput())
    ends_on = forms.DateField(label=_("Ends on"), required=False, widget=DateInput())


class PlanEditForm(PlanForm):
    is_archived = forms.BooleanField(
        label=_("Archived"), required=False, help_text=_("Archived plans leave the lists; you can restore them.")
    )


class ObjectiveForm(forms.Form):
    text = forms.CharField(label=_("Objective"), max_length=300)
    priority = forms.ModelChoiceField(
        label=_("Priority it serves"),
        queryset=Priority.objects.none(),
        required=False,
        help_text=_("Chosen priorities from co-design are listed first."),
    )

    def __init__(self, *args: Any, coalition: Coalition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(
            self,
            "priority",
            Priority.objects.filter(coalition=coalition).order_by(
                Case(When(status=Priority.Status.CHOSEN, then=0), default=1), "title"
            ),
        )


class ActionForm(forms.Form):
    objective = forms.ModelChoiceField(label=_("Objective"), queryset=Objective.objects.none(), required=False)
    title = forms.CharField(label=_("Action"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    activity_type = forms.ModelChoiceField(label=_("Activity type"), queryset=ActivityType.objects.none())
    place = forms.CharField(label=_("Place"), max_length=200, widget=PlaceInput())
    lead = forms.ModelChoiceField(label=_("Lead member"), queryset=Stakeholder.objects.none())
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    due_on = forms.DateField(label=_("Due on"), widget=DateInput())
    status = forms.ChoiceField(label=_("Status"), choices=Action.Status.choices, initial=Action.Status.PLANNED)
    completed_on = forms.DateField(
        label=_("Completed on"), required=False, widget=DateInput(), help_text=_("Needed when the status is done.")
    )
    dropped_reason = forms.CharField(
        label=_("Why it was dropped"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when the status is dropped."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, plan: JointActionPlan, leads: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "objective", plan.objectives.all())
        limit_choices(self, "activity_type", ActivityType.objects.filter(coalition_id=plan.coalition_id))
        limit_choices(self, "lead", leads)

    def action_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        objective, activity_type, lead = data.pop("objective"), data.pop("activity_type"), data.pop("lead")
        return {
            **data,
            "objective_id": objective.pk if objective else None,
            "activity_type_id": activity_type.pk,
            "lead_id": lead.pk,
        }


class ContributionForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Member"), queryset=Stakeholder.objects.none())
    amount = forms.DecimalField(
        label=_("Money committed"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    currency = forms.CharField(
        label=_("Currency"), required=False, max_length=3, help_text=_("Three-letter ISO code, e.g. EUR, USD, KES.")
    )
    in_kind = forms.CharField(
        label=_("In kind"), required=False, max_length=300, help_text=_("Staff time, rooms, materials…")
    )

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "member", members)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("amount") is None and not (data.get("in_kind") or "").strip():
            raise ValidationError(_("Commit money, something in kind, or both."))
        return data


class ActivityTypeForm(forms.Form):
    name = forms.CharField(label=_("New activity type"), max_length=100)


class MemberActivityForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Member"), queryset=Stakeholder.objects.none())
    title = forms.CharField(label=_("Activity"), max_length=200)
    activity_type = forms.ModelChoiceField(label=_("Activity type"), queryset=ActivityType.objects.none())
    place = forms.CharField(label=_("Place"), max_length=200, widget=PlaceInput())
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    ends_on = forms.DateField(
        label=_("Ends on"), required=False, widget=DateInput(), help_text=_("Leave empty if it is ongoing.")
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, coalition: Coalition, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "member", members)
        limit_choices(self, "activity_type", ActivityType.objects.filter(coalition=coalition))

    def activity_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        member, activity_type = data.pop("member"), data.pop("activity_type")
        return {**data, "member_id": member.pk, "activity_type_id": activity_type.pk}


class MemberActivityEditForm(MemberActivityForm):
    is_archived = forms.BooleanField(
        label=_("Archived"), required=False, help_text=_("Archived activities leave the picture; you can restore them.")
    )


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=DateInput())
    end = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise ValidationError(_("The end of the period must not come before its start."))
        return data


class WorkplanStartForm(forms.Form):
    starts_on = forms.DateField(label=_("Day 1 of the launch"), widget=DateInput())


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=200)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    due_on = forms.DateField(label=_("Due on"), widget=DateInput())
    done_on = forms.DateField(
        label=_("Done on"), required=False, widget=DateInput(), help_text=_("Leave empty while it is still open.")
    )
