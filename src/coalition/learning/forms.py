"""Forms only parse input; the rules live in actions.py (errors come back through core.forms.run_action)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from coalition.coalitions.models import Coalition, Membership
from coalition.core.fields import IdChoiceField, IdMultipleChoiceField
from coalition.core.forms import limit_choices
from coalition.joint_action.models import Action
from coalition.learning.models import OUTCOME_FIELDS, Adaptation, Outcome, Story, StoryDomain
from coalition.measurement.models import Indicator
from coalition.meetings.models import Frequency, Meeting, MeetingSeries, Weekday, WeekOfMonth
from coalition.planning.models import Priority
from coalition.stakeholders.models import Stakeholder

TEXT = forms.Textarea(attrs={"rows": 3})
AGENDA_PARTS = (
    ("problem_statement", _("Shared problem statement")),
    ("vision", _("Vision")),
    ("decision_rules", _("Decision rules")),
    ("meeting_rhythm", _("Meeting rhythm")),
    ("charter_text", _("Charter / by-laws")),
    ("participation_expectations", _("Minimum participation expected of members")),
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class SettingsForm(forms.Form):
    interval_weeks = forms.IntegerField(label=_("Weeks between learning pauses"), min_value=2, max_value=26)


class PeriodForm(forms.Form):
    """The period whose evidence a new pause reviews (a GET form: it only changes what is shown)."""

    period_start = forms.DateField(label=_("Period from"), widget=DateInput())
    period_end = forms.DateField(label=_("Period to"), widget=DateInput())


class PauseForm(PeriodForm):
    meeting = IdChoiceField(
        label=_("Held as meeting"), queryset=Meeting.objects.none(), required=False, empty_label=_("(not a meeting)")
    )
    participants = IdMultipleChoiceField(
        label=_("Who took part"),
        queryset=Membership.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    expected = forms.CharField(label=_("What did we expect?"), required=False, widget=TEXT)
    happened = forms.CharField(label=_("What happened?"), required=False, widget=TEXT)
    why_different = forms.CharField(label=_("Why is it different?"), required=False, widget=TEXT)
    keep = forms.CharField(label=_("What do we keep?"), required=False, widget=TEXT)
    change = forms.CharField(label=_("What do we change?"), required=False, widget=TEXT)

    def __init__(self, *args: Any, coalition: Coalition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "meeting", Meeting.objects.filter(coalition=coalition).order_by("-starts_at")[:50])
        limit_choices(
            self,
            "participants",
            Membership.objects.filter(coalition=coalition, is_active=True).select_related("user"),
            lambda m: m.display_name,
        )


class AdaptationForm(forms.Form):
    """One form for every kind: the fields of the chosen kind are read, the rest ignored (works without JS)."""

    kind = forms.ChoiceField(label=_("What it changes"), choices=Adaptation.Kind.choices)
    reason = forms.CharField(label=_("Why"), widget=TEXT)
    resources = forms.CharField(label=_("How resources were used"), required=False, widget=TEXT)
    # an action's dates, status or lead
    action = IdChoiceField(label=_("Action"), queryset=Action.objects.none(), required=False)
    starts_on = forms.DateField(label=_("New start date"), required=False, widget=DateInput())
    due_on = forms.DateField(label=_("New due date"), required=False, widget=DateInput())
    status = forms.ChoiceField(label=_("New status"), choices=[("", "—"), *Action.Status.choices], required=False)
    completed_on = forms.DateField(label=_("Completed on"), required=False, widget=DateInput())
    dropped_reason = forms.CharField(label=_("Why it was dropped"), required=False)
    lead = IdChoiceField(label=_("New lead member"), queryset=Stakeholder.objects.none(), required=False)
    # an indicator's target
    indicator = IdChoiceField(label=_("Indicator"), queryset=Indicator.objects.none(), required=False)
    period_start = forms.DateField(label=_("Period starting"), required=False, widget=DateInput())
    target = forms.DecimalField(
        label=_("New target"), required=False, max_digits=14, decimal_places=4, min_value=-(10**9), max_value=10**9
    )
    # a meeting rhythm
    series = IdChoiceField(label=_("Meeting series"), queryset=MeetingSeries.objects.none(), required=False)
    frequency = forms.ChoiceField(label=_("Repeats"), choices=[("", "—"), *Frequency.choices], required=False)
    weekday = forms.TypedChoiceField(
        label=_("Weekday"), choices=Weekday.choices, coerce=int, required=False, empty_value=None
    )
    week_of_month = forms.TypedChoiceField(
        label=_("Which one in the month"),
        choices=[("", "—"), *WeekOfMonth.choices],
        coerce=int,
        required=False,
        empty_value=None,
    )
    # a priority
    priority = IdChoiceField(label=_("Priority"), queryset=Priority.objects.none(), required=False)
    priority_status = forms.ChoiceField(
        label=_("New status of the priority"), choices=[("", "—"), *Priority.Status.choices], required=False
    )
    # the common agenda
    agenda_field = forms.ChoiceField(
        label=_("Part of the common agenda"), choices=[("", "—"), *AGENDA_PARTS], required=False
    )
    agenda_text = forms.CharField(label=_("New text"), required=False, widget=TEXT)

    GROUPS = {
        "action": ("action", "starts_on", "due_on", "status", "completed_on", "dropped_reason", "lead"),
        "indicator": ("indicator", "period_start", "target"),
        "rhythm": ("series", "frequency", "weekday", "week_of_month"),
        "priority": ("priority", "priority_status"),
        "agenda": ("agenda_field", "agenda_text"),
    }

    def __init__(self, *args: Any, coalition: Coalition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(
            self,
            "action",
            Action.objects.filter(coalition=coalition).order_by("due_on", "title"),
            lambda a: f"{a.title} ({a.due_on:%Y-%m-%d})",
        )
        limit_choices(self, "lead", Stakeholder.objects.filter(coalition=coalition).order_by("name"))
        limit_choices(self, "indicator", Indicator.objects.filter(coalition=coalition, is_archived=False))
        limit_choices(self, "series", MeetingSeries.objects.filter(coalition=coalition, is_archived=False))
        limit_choices(self, "priority", Priority.objects.filter(coalition=coalition))

    def groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        labels = {
            "action": _("An action's dates, status or lead"),
            "indicator": _("An indicator's target"),
            "rhythm": _("A meeting rhythm"),
            "priority": _("A priority"),
            "agenda": _("The common agenda"),
        }
        return [(str(labels[key]), [self[name] for name in names]) for key, names in self.GROUPS.items()]

    def change(self) -> dict[str, Any]:
        """The arguments of ``actions.do_adapt`` (other than the pause)."""
        data = dict(self.cleaned_data)
        return {name: value for name, value in data.items() if value not in (None, "")} | {
            "reason": data["reason"],
            "resources": data.get("resources") or "",
            "kind": data["kind"],
        }


class DomainForm(forms.ModelForm[StoryDomain]):
    class Meta:
        model = StoryDomain
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class StoryForm(forms.ModelForm[Story]):
    class Meta:
        model = Story
        fields = [
            "domain",
            "title",
            "text",
            "storyteller",
            "told_on",
            "consent_internal",
            "consent_public",
            "consent_named",
        ]
        field_classes = {"domain": IdChoiceField}
        widgets = {"told_on": DateInput(), "text": forms.Textarea(attrs={"rows": 6})}
        help_texts = {"consent_public": _("Only with consent to be read inside the coalition too.")}

    def __init__(self, *args: Any, coalition: Coalition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "domain", StoryDomain.objects.filter(coalition=coalition))


class ConsentForm(forms.ModelForm[Story]):
    class Meta:
        model = Story
        fields = ["consent_internal", "consent_public", "consent_named"]


class RoundForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    held_on = forms.DateField(label=_("Held on"), widget=DateInput())
    panel = forms.CharField(label=_("Panel"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, domains: list[tuple[StoryDomain, list[Story]]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.domains = domains
        for domain, stories in domains:
            self.fields[f"story_{domain.pk}"] = forms.TypedChoiceField(
                label=_("Most significant story: %(domain)s") % {"domain": domain.name},
                choices=[("", _("(none this round)")), *[(s.pk, s.title) for s in stories]],
                coerce=int,
                required=False,
                empty_value=None,
            )
            self.fields[f"reason_{domain.pk}"] = forms.CharField(
                label=_("Why this story"), required=False, widget=forms.Textarea(attrs={"rows": 2})
            )

    def picks(self) -> list[tuple[StoryDomain, Story, str]]:
        found = []
        for domain, stories in self.domains:
            chosen = self.cleaned_data.get(f"story_{domain.pk}")
            story = next((s for s in stories if s.pk == chosen), None)
            if story is not None:
                found.append((domain, story, self.cleaned_data.get(f"reason_{domain.pk}") or ""))
        return found


class OutcomeForm(forms.ModelForm[Outcome]):
    class Meta:
        model = Outcome
        fields = [*OUTCOME_FIELDS, "priorities", "indicators"]
        field_classes = {"priorities": IdMultipleChoiceField, "indicators": IdMultipleChoiceField}
        widgets = {
            "happened_on": DateInput(),
            "priorities": forms.CheckboxSelectMultiple,
            "indicators": forms.CheckboxSelectMultiple,
            **{
                name: forms.Textarea(attrs={"rows": 2})
                for name in ("description", "significance", "contribution", "sources", "substantiation")
            },
        }

    def __init__(self, *args: Any, coalition: Coalition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["priorities"].queryset = Priority.objects.filter(coalition=coalition)  # type: ignore[attr-defined]
        self.fields["indicators"].queryset = Indicator.objects.filter(coalition=coalition)  # type: ignore[attr-defined]


class OutcomeFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    priority = IdChoiceField(label=_("Priority"), queryset=Priority.objects.none(), required=False)
    indicator = IdChoiceField(label=_("Indicator"), queryset=Indicator.objects.none(), required=False)
    since = forms.DateField(label=_("From"), required=False, widget=DateInput())
    until = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def __init__(self, *args: Any, coalition: Coalition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "priority", Priority.objects.filter(coalition=coalition))
        limit_choices(self, "indicator", Indicator.objects.filter(coalition=coalition))
