"""Parsing of cohesion input only."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.db.models import Q
from django.forms import BoundField
from django.utils.translation import gettext_lazy as _

from coalition.coalitions.models import Coalition
from coalition.cohesion.factors import FACTORS
from coalition.cohesion.models import (
    DECISION_FIELDS,
    ITEM_FIELDS,
    NOTE_LENGTH,
    READINESS_QUESTIONS,
    PlanItem,
    Readiness,
    ReadinessQuestion,
    SustainabilityPlan,
)
from coalition.core.fields import IdChoiceField
from coalition.core.forms import limit_choices
from coalition.joint_action import queries as joint_queries
from coalition.joint_action.forms import PlaceInput
from coalition.joint_action.models import Action
from coalition.stakeholders.models import Stakeholder

SCORES = [("", _("No answer")), *[(str(n), str(n)) for n in range(1, 6)]]


class StartCheckForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)


class AnswerForm(forms.Form):
    """One 1–5 score per factor, each optional."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for factor in FACTORS:
            self.fields[factor.code] = forms.TypedChoiceField(
                label=str(factor.question),
                choices=SCORES,
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
                help_text=str(factor.label),
            )

    def scores(self) -> dict[str, int | None]:
        return {f.code: self.cleaned_data.get(f.code) for f in FACTORS}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class DecisionForm(forms.ModelForm[SustainabilityPlan]):
    """Is sustaining the coalition desirable, why, what continues, and when to look again; with it, a rating
    (ready / partly / not yet) and a short note for each readiness question."""

    def __init__(self, *args: Any, readiness: dict[str, tuple[str, str]] | None = None, **kwargs: Any) -> None:
        """``readiness``: the answers given last time (question code → rating, note), offered again."""
        super().__init__(*args, **kwargs)
        for question in READINESS_QUESTIONS:
            rating, note = (readiness or {}).get(question.code, ("", ""))
            self.fields[question.rating_key] = forms.ChoiceField(
                label=str(question.label), choices=Readiness.choices, widget=forms.RadioSelect, initial=rating or None
            )
            self.fields[question.note_key] = forms.CharField(
                label=_("Note (%(topic)s)") % {"topic": question.label},
                max_length=NOTE_LENGTH,
                required=False,
                initial=note,
            )

    def decision_fields(self) -> list[BoundField]:
        return [self[name] for name in DECISION_FIELDS]

    def readiness_rows(self) -> Iterator[tuple[ReadinessQuestion, BoundField, BoundField]]:
        for question in READINESS_QUESTIONS:
            yield question, self[question.rating_key], self[question.note_key]

    def decision(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in DECISION_FIELDS}

    def readiness(self) -> dict[str, tuple[str, str]]:
        return {q.code: (self.cleaned_data[q.rating_key], self.cleaned_data[q.note_key]) for q in READINESS_QUESTIONS}

    class Meta:
        model = SustainabilityPlan
        fields = DECISION_FIELDS
        widgets = {"decision": forms.RadioSelect, "review_on": DateInput()}
        help_texts = {
            "reasons": _(
                "Think about whether the problem can be solved in one effort, whether laws or public bodies now "
                "carry it, whether members would keep working together without a formal coalition, and whether "
                "the coalition could take on new work."
            ),
            "continues": _("The functions, relationships and work worth keeping."),
        }


class PlanItemForm(forms.ModelForm[PlanItem]):
    """One line of the plan."""

    factor = forms.ChoiceField(
        label=_("Health-check factor it answers"),
        required=False,
        choices=[("", _("None")), *[(f.code, f.label) for f in FACTORS]],
    )

    class Meta:
        model = PlanItem
        fields = ITEM_FIELDS
        widgets = {"due_on": DateInput(), "resources": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "what": _("For example: a registered association; the monthly meeting; membership fees."),
            "resources": _("Money, time or in-kind support, and where it comes from (grants, fees, members)."),
        }


class MakeActionForm(forms.Form):
    """A line of the plan as a new joint action: its owner (the lead member organisation), place and dates."""

    title = forms.CharField(label=_("Action"), max_length=200)
    lead = IdChoiceField(
        label=_("Owner (lead member)"),
        queryset=Stakeholder.objects.none(),
        help_text=_("The member organisation that answers for the action."),
    )
    place = forms.CharField(label=_("Place"), max_length=200, widget=PlaceInput())
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    due_on = forms.DateField(label=_("Due on"), widget=DateInput())

    def __init__(self, *args: Any, coalition: Coalition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "lead", joint_queries.member_organisations(coalition))


class LinkActionForm(forms.Form):
    """Link a joint action the coalition already has to a line of the plan (or none)."""

    action = IdChoiceField(label=_("Joint action"), queryset=Action.objects.none(), required=False)

    def __init__(self, *args: Any, item: PlanItem, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        free = Action.objects.filter(coalition_id=item.coalition_id).filter(
            Q(sustainability_line__isnull=True) | Q(sustainability_line=item)
        )
        limit_choices(self, "action", free.order_by("title", "pk"))
