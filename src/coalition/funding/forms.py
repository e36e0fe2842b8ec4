"""Forms only parse input; the rules live in actions.py (errors come back through core.forms.run_action)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coalition.coalitions.models import Coalition, Membership
from coalition.core.fields import IdChoiceField, IdMultipleChoiceField, ModelForm
from coalition.funding.models import (
    CALL_FIELDS,
    ENTRY_FIELDS,
    FUND_FIELDS,
    RESOURCE_FIELDS,
    AwardStatus,
    BudgetLine,
    Call,
    ChoiceStyle,
    EntryKind,
    Fund,
    LedgerEntry,
    Proposal,
    Resource,
    Restriction,
)
from coalition.measurement.models import Indicator
from coalition.planning.models import Priority
from coalition.stakeholders.models import Stakeholder

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_MONEY = Decimal("999999999999.99")
MANUAL_KINDS = [(k.value, k.label) for k in EntryKind if k not in (EntryKind.CONVERSION, EntryKind.REVERSAL)]


def _members(coalition: Coalition) -> Any:
    return Stakeholder.objects.filter(coalition=coalition).order_by("name")


class FundForm(ModelForm):
    class Meta:
        model = Fund
        fields = list(FUND_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class EntryForm(ModelForm):
    fund = IdChoiceField(queryset=Fund.objects.none(), label=_("fund"))
    kind = forms.ChoiceField(choices=MANUAL_KINDS, label=_("kind"))

    class Meta:
        model = LedgerEntry
        fields = ["fund", *ENTRY_FIELDS]
        widgets = {"occurred_on": DATE}

    def __init__(self, *args: Any, coalition: Coalition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fund"].queryset = Fund.objects.filter(coalition=coalition)  # type: ignore[attr-defined]  # ModelChoiceField
        self.fields["priority"].queryset = Priority.objects.filter(coalition=coalition)  # type: ignore[attr-defined]  # ModelChoiceField
        self.fields["source"].queryset = _members(coalition)  # type: ignore[attr-defined]  # ModelChoiceField

    def _post_clean(self) -> None:
        """The action checks the entry; the form only parses it (no model validation of a half-built entry)."""


class ConversionForm(forms.Form):
    fund = IdChoiceField(queryset=Fund.objects.none(), label=_("fund"))
    occurred_on = forms.DateField(label=_("date"), widget=DATE)
    amount = forms.DecimalField(
        label=_("amount converted"), min_value=Decimal("0.01"), max_value=MAX_MONEY, decimal_places=2
    )
    from_currency = forms.CharField(label=_("from currency"), max_length=3)
    to_currency = forms.CharField(label=_("into currency"), max_length=3)
    rate = forms.DecimalField(
        label=_("rate (units of the new currency per unit)"),
        min_value=Decimal("0.00000001"),
        max_value=Decimal(10**9),
        decimal_places=8,
    )
    rate_source = forms.CharField(label=_("rate source"), max_length=200)
    restriction = forms.ChoiceField(label=_("restriction"), choices=Restriction.choices)
    priority = IdChoiceField(queryset=Priority.objects.none(), required=False, label=_("priority"))

    def __init__(self, *args: Any, coalition: Coalition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fund"].queryset = Fund.objects.filter(coalition=coalition)  # type: ignore[attr-defined]  # ModelChoiceField
        self.fields["priority"].queryset = Priority.objects.filter(coalition=coalition)  # type: ignore[attr-defined]  # ModelChoiceField


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=500)


class StatementForm(forms.Form):
    start = forms.DateField(label=_("from"), widget=DATE)
    end = forms.DateField(label=_("to"), widget=DATE)

    def period(self) -> tuple[dt.date, dt.date]:
        today = timezone.localdate()
        if self.is_valid():
            start, end = self.cleaned_data["start"], self.cleaned_data["end"]
            if start <= end:
                return start, end
        return today.replace(month=1, day=1), today


class ResourceForm(ModelForm):
    class Meta:
        model = Resource
        fields = list(RESOURCE_FIELDS)

    def __init__(self, *args: Any, coalition: Coalition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["offered_by"].queryset = _members(coalition)  # type: ignore[attr-defined]  # ModelChoiceField


class CallForm(ModelForm):
    class Meta:
        model = Call
        fields = list(CALL_FIELDS)
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "criteria": forms.Textarea(attrs={"rows": 3}),
            **dict.fromkeys(
                ("opens_on", "review_on", "voting_on", "decision_on", "implementation_on", "closes_on"), DATE
            ),
        }

    def __init__(self, *args: Any, coalition: Coalition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fund"].queryset = Fund.objects.filter(coalition=coalition)  # type: ignore[attr-defined]  # ModelChoiceField
        self.fields["priority"].queryset = Priority.objects.filter(coalition=coalition)  # type: ignore[attr-defined]  # ModelChoiceField

    def _post_clean(self) -> None:
        """The action checks the call (phases' dates, rules); the form only parses it."""


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    summary = forms.CharField(
        label=_("what you will do (a few lines)"), max_length=3000, widget=forms.Textarea(attrs={"rows": 4})
    )
    partners = IdMultipleChoiceField(
        queryset=Stakeholder.objects.none(),
        required=False,
        label=_("partners (for a joint proposal)"),
        widget=forms.CheckboxSelectMultiple,
    )
    lines = forms.CharField(
        label=_("budget lines"),
        help_text=_("One a line: what it pays for; amount. E.g. “Facilitator; 1200”."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )
    own_contribution = forms.DecimalField(
        label=_("what the partners bring themselves"),
        min_value=Decimal(0),
        max_value=MAX_MONEY,
        decimal_places=2,
        initial=0,
    )
    indicators = IdMultipleChoiceField(
        queryset=Indicator.objects.none(),
        required=False,
        label=_("indicators it will move"),
        widget=forms.CheckboxSelectMultiple,
    )
    conflicts = forms.CharField(
        label=_("conflicts of interest to declare"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, coalition: Coalition, lead: Stakeholder | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        partners = _members(coalition)
        if lead is not None:
            partners = partners.exclude(pk=lead.pk)
        self.fields["partners"].queryset = partners  # type: ignore[attr-defined]  # ModelMultipleChoiceField
        self.fields["indicators"].queryset = Indicator.objects.filter(coalition=coalition)  # type: ignore[attr-defined]  # ModelMultipleChoiceField

    def clean_lines(self) -> list[tuple[str, Decimal]]:
        parsed: list[tuple[str, Decimal]] = []
        for number, raw in enumerate(str(self.cleaned_data["lines"]).splitlines(), start=1):
            if not raw.strip():
                continue
            label, sep, amount = raw.rpartition(";")
            try:
                value = Decimal(amount.strip().replace(",", ""))
            except InvalidOperation:
                value = Decimal(-1)
            if not sep or not label.strip() or not value.is_finite() or value <= 0 or value > MAX_MONEY:
                raise forms.ValidationError(_("Line %(n)s: write “what it pays for; amount”.") % {"n": number})
            parsed.append((label.strip(), value.quantize(Decimal("0.01"))))
        return parsed


class ReviewForm(forms.Form):
    score = forms.TypedChoiceField(label=_("score"), choices=[(i, str(i)) for i in range(6)], coerce=int)
    reasons = forms.CharField(label=_("reasons"), max_length=3000, widget=forms.Textarea(attrs={"rows": 3}))


class ReviewerForm(forms.Form):
    membership = IdChoiceField(queryset=Membership.objects.none(), label=_("reviewer"))

    def __init__(self, *args: Any, coalition: Coalition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = Membership.objects.filter(coalition=coalition, is_active=True).select_related("user")
        self.fields["membership"].queryset = people  # type: ignore[attr-defined]  # ModelChoiceField


class BallotForm(forms.Form):
    """Checkboxes of proposals (approval, within budget) or a score for each (0 to 5)."""

    def __init__(self, *args: Any, call: Call, proposals: list[Proposal], recused: set[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.call = call
        open_to_me = [p for p in proposals if p.pk not in recused]
        if call.choice_style == ChoiceStyle.SCORE:
            for p in open_to_me:
                self.fields[f"score_{p.pk}"] = forms.TypedChoiceField(
                    label=p.title,
                    choices=[("", "—"), *[(i, str(i)) for i in range(6)]],
                    coerce=int,
                    required=False,
                    empty_value=None,
                )
        else:
            self.fields["proposals"] = forms.TypedMultipleChoiceField(
                label=_("your choice"),
                choices=[(p.pk, f"{p.title} — {p.requested} {call.fund.currency}") for p in open_to_me],
                coerce=int,
                widget=forms.CheckboxSelectMultiple,
            )

    def choice(self) -> dict[str, Any]:
        if self.call.choice_style == ChoiceStyle.SCORE:
            scores = {
                name.removeprefix("score_"): value
                for name, value in self.cleaned_data.items()
                if name.startswith("score_") and value is not None
            }
            return {"scores": scores}
        return {"proposals": list(self.cleaned_data.get("proposals", []))}


class DecisionForm(forms.Form):
    """The rule's awards, pre-filled; changing any amount is a departure that needs a reason."""

    reason = forms.CharField(
        label=_("reason for departing from the result (shown to every member)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, proposals: list[Proposal], computed: dict[int, Decimal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.proposals = proposals
        for p in proposals:
            self.fields[f"amount_{p.pk}"] = forms.DecimalField(
                label=p.title,
                required=False,
                min_value=Decimal(0),
                max_value=MAX_MONEY,
                decimal_places=2,
                initial=computed.get(p.pk, Decimal(0)),
            )

    def awards(self) -> list[tuple[Proposal, Decimal]]:
        return [
            (p, self.cleaned_data[f"amount_{p.pk}"]) for p in self.proposals if self.cleaned_data.get(f"amount_{p.pk}")
        ]


class InstalmentForm(forms.Form):
    due_on = forms.DateField(label=_("due on"), widget=DATE)
    amount = forms.DecimalField(label=_("amount"), min_value=Decimal("0.01"), max_value=MAX_MONEY, decimal_places=2)


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("milestone"), max_length=200)
    due_on = forms.DateField(label=_("due on"), widget=DATE)


class ProgressForm(forms.Form):
    """Status, spend so far (in total, or line by line: one optional field per budget line) and a note."""

    status = forms.ChoiceField(label=_("status"), choices=AwardStatus.choices)
    spent = forms.DecimalField(
        label=_("spent so far"),
        required=False,
        min_value=Decimal(0),
        max_value=MAX_MONEY,
        decimal_places=2,
        help_text=_("In total; or leave it empty and give the spend line by line below."),
    )
    note = forms.CharField(
        label=_("what happened"), required=False, max_length=3000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, lines: list[BudgetLine], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines = lines
        for line in lines:
            self.fields[f"line_{line.pk}"] = forms.DecimalField(
                label=_("spent on “%(label)s” (budget %(amount)s)") % {"label": line.label, "amount": line.amount},
                required=False,
                min_value=Decimal(0),
                max_value=MAX_MONEY,
                decimal_places=2,
            )

    def by_line(self) -> dict[int, Decimal | None]:
        return {line.pk: self.cleaned_data.get(f"line_{line.pk}") for line in self.lines}
