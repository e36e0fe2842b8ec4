"""Forms only parse input; the rules live in ``actions.py`` (errors come back through ``core.forms``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from coalition.coalitions.models import Coalition, WorkingGroup
from coalition.core.fields import IdMultipleChoiceField, ModelForm
from coalition.core.forms import limit_choices
from coalition.decisions import counting
from coalition.decisions.ballots import ANSWERS, SLOT_ANSWERS
from coalition.decisions.models import OUTCOME_FIELDS, POLL_FIELDS, Kind, Option, Poll
from coalition.joint_action.models import Action

ANSWER_LABELS = {
    counting.CONSENT: _("I consent"),
    counting.OBJECT: _("I object"),
    counting.AGREE: _("Agree"),
    counting.STAND_ASIDE: _("Stand aside"),
    counting.BLOCK: _("Block"),
    counting.YES: _("Yes"),
    counting.NO: _("No"),
    counting.ABSTAIN: _("Abstain"),
}
SLOT_LABELS = {counting.AVAILABLE: _("Yes"), counting.IF_NEED_BE: _("If need be"), counting.UNAVAILABLE: _("No")}
MAX_OPTION_LINES = 100


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class PollForm(ModelForm):
    options = forms.CharField(
        label=_("Options, candidates or time slots"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "One a line, in the order shown. For a time poll, each line is a date and time (2026-05-04 14:00)."
        ),
    )

    class Meta:
        model = Poll
        fields = list(POLL_FIELDS)
        widgets = {
            "details": forms.Textarea(attrs={"rows": 4}),
            "opens_at": DateTimeInput(),
            "closes_at": DateTimeInput(),
        }

    def __init__(self, *args: Any, coalition: Coalition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "working_group", WorkingGroup.objects.filter(coalition=coalition))
        self.fields["working_group"].required = False

    def clean_options(self) -> list[tuple[str, dt.datetime | None]]:
        lines = [line.strip() for line in self.cleaned_data["options"].splitlines() if line.strip()]
        if len(lines) > MAX_OPTION_LINES:
            raise forms.ValidationError(_("Too many options."))
        if self.data.get("kind") != Kind.TIME:
            return [(line[:200], None) for line in lines]
        field = forms.DateTimeField(input_formats=["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"])
        return [(line[:200], field.clean(line)) for line in lines]

    def poll_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in POLL_FIELDS}


class BallotForm(forms.Form):
    """A ballot for any kind of poll: ``choice()`` turns the fields into the JSON the action checks."""

    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, poll: Poll, options: list[Option], **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.poll, self.options = poll, options
        kind = poll.kind
        if kind in ANSWERS:
            choices = [(a, ANSWER_LABELS[a]) for a in ANSWERS[kind]]
            self.fields["answer"] = forms.ChoiceField(label=_("Your answer"), choices=choices, widget=forms.RadioSelect)
        elif kind == Kind.APPROVAL:
            self.fields["options"] = forms.MultipleChoiceField(
                label=_("Choose up to %(n)s") % {"n": poll.max_choices},
                choices=[(str(o.pk), o.label) for o in options],
                widget=forms.CheckboxSelectMultiple,
            )
        else:
            for option in options:
                self.fields[f"o{option.pk}"] = self._option_field(option)
        self.order_fields([name for name in self.fields if name != "reason"] + ["reason"])

    def _option_field(self, option: Option) -> forms.Field:
        kind, label = self.poll.kind, option.label
        if kind in (Kind.RANKED, Kind.STV):
            ranks = [("", "—")] + [(str(i), str(i)) for i in range(1, len(self.options) + 1)]
            return forms.TypedChoiceField(label=label, choices=ranks, coerce=int, required=False, empty_value=None)
        if kind == Kind.SCORE:
            scores = [("", "—")] + [(str(i), str(i)) for i in range(counting.SCORE_MIN, counting.SCORE_MAX + 1)]
            return forms.TypedChoiceField(label=label, choices=scores, coerce=int, required=False, empty_value=None)
        if kind == Kind.POINTS:
            return forms.IntegerField(label=label, min_value=0, max_value=self.poll.budget, required=False)
        return forms.ChoiceField(
            label=label, choices=[(a, SLOT_LABELS[a]) for a in SLOT_ANSWERS], initial=counting.UNAVAILABLE
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.poll.kind in (Kind.RANKED, Kind.STV):
            ranks = [cleaned.get(f"o{o.pk}") for o in self.options]
            given = [r for r in ranks if r is not None]
            if len(set(given)) != len(given):
                raise forms.ValidationError(_("Give each rank once."))
        return cleaned

    def choice(self) -> dict[str, Any]:
        data, kind = self.cleaned_data, self.poll.kind
        if kind in ANSWERS:
            return {"answer": data["answer"]}
        if kind == Kind.APPROVAL:
            return {"options": [int(x) for x in data["options"]]}
        given = {o.pk: data.get(f"o{o.pk}") for o in self.options}
        if kind in (Kind.RANKED, Kind.STV):
            ranked = sorted((rank, pk) for pk, rank in given.items() if rank is not None)
            return {"ranking": [pk for _rank, pk in ranked]}
        key = {Kind.SCORE: "scores", Kind.POINTS: "points", Kind.TIME: "slots"}[Kind(kind)]
        return {key: {str(pk): value for pk, value in given.items() if value is not None and value != ""}}


class RecusalForm(forms.Form):
    reason = forms.CharField(label=_("Your conflict of interest"), max_length=500)


class OutcomeForm(ModelForm):
    actions = IdMultipleChoiceField(label=_("Linked actions"), queryset=Action.objects.none(), required=False)

    class Meta:
        model = Poll
        fields = list(OUTCOME_FIELDS)
        widgets = {
            "outcome_statement": forms.Textarea(attrs={"rows": 3}),
            "outcome_reasoning": forms.Textarea(attrs={"rows": 3}),
            "next_steps": forms.Textarea(attrs={"rows": 3}),
            "review_on": DateInput(),
        }

    def __init__(self, *args: Any, coalition: Coalition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "actions", Action.objects.filter(coalition=coalition))


class SettingsForm(forms.Form):
    facilitator_may_vote = forms.BooleanField(
        label=_("Facilitators may vote"),
        required=False,
        help_text=_("Facilitators stay neutral and do not vote unless the coalition decides otherwise."),
    )


class LogFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    rule = forms.ChoiceField(label=_("Rule"), required=False, choices=[("", _("Any rule")), *Kind.choices])
    since = forms.DateField(label=_("From"), required=False, widget=DateInput())
    until = forms.DateField(label=_("To"), required=False, widget=DateInput())
