"""Forms of the measurement screens. They only collect and shape input; the actions validate the rules
and save, and their ``ValidationError`` messages are put back on the fields they name."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.models import fields_for_model, model_to_dict
from django.utils.translation import gettext_lazy as _

from coalition.coalitions.models import Coalition, WorkingGroup
from coalition.core.fields import IdChoiceField, IdMultipleChoiceField
from coalition.core.forms import limit_choices
from coalition.measurement.actions import INDICATOR_FIELDS
from coalition.measurement.models import DisaggregationCategory, Indicator
from coalition.stakeholders.models import Stakeholder

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
IMPORT_MAX_BYTES = 50 * 1024 * 1024


class IndicatorForm(forms.Form):
    """Every field of an indicator plus the categories it is broken down by."""

    def __init__(self, *args: Any, coalition: Coalition, indicator: Indicator | None = None, **kwargs: Any) -> None:
        if indicator is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                **model_to_dict(indicator, fields=INDICATOR_FIELDS),
                "categories": [c.pk for c in indicator.categories.all()],
            }
        super().__init__(*args, **kwargs)
        self.fields.update(
            fields_for_model(
                Indicator,
                fields=INDICATOR_FIELDS,
                widgets={
                    "starts_on": DATE,
                    "ends_on": DATE,
                    "baseline_date": DATE,
                    "definition": forms.Textarea(attrs={"rows": 3}),
                },
            )
        )
        limit_choices(
            self,
            "owner_organisation",
            Stakeholder.objects.filter(coalition=coalition, kind=Stakeholder.Kind.ORGANISATION).order_by("name"),
        )
        limit_choices(self, "owner_group", WorkingGroup.objects.filter(coalition=coalition))
        self.fields["categories"] = IdMultipleChoiceField(
            label=_("Broken down by"),
            queryset=DisaggregationCategory.objects.filter(coalition=coalition).prefetch_related("options"),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text=_("Values can then be entered per option combination, as well as a total."),
        )
        self.fields["is_shared"].help_text = _(
            "Shared indicators are shown first everywhere; the coalition agrees at most %(n)s."
        ) % {"n": coalition.shared_indicator_limit}
        self.fields["order"].help_text = _("Lower numbers come first.")

    def indicator_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in INDICATOR_FIELDS}


class TargetsForm(forms.Form):
    """One optional target per reporting period of the indicator's life."""

    def __init__(self, *args: Any, indicator: Indicator, starts: Sequence[dt.date], **kwargs: Any) -> None:
        existing = dict(indicator.targets.values_list("period_start", "value"))
        kwargs.setdefault("initial", {self.name(s): existing.get(s) for s in starts})
        super().__init__(*args, **kwargs)
        self.starts = list(starts)
        self.existing = existing
        for start in starts:
            self.fields[self.name(start)] = forms.DecimalField(
                label=indicator.period_label(start), required=False, max_digits=20, decimal_places=4
            )

    @staticmethod
    def name(start: dt.date) -> str:
        return f"target_{start:%Y_%m}"

    def changes(self) -> dict[dt.date, Any]:
        """Targets that differ from what is stored (``None`` removes one)."""
        return {
            s: self.cleaned_data[self.name(s)]
            for s in self.starts
            if self.cleaned_data[self.name(s)] != self.existing.get(s)
        }


class CategoryForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    options = forms.CharField(
        label=_("Add options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line, for example: Female, Male, Another identity, Not stated."),
    )
    order = forms.IntegerField(label=_("Order"), min_value=0, initial=0, help_text=_("Lower numbers come first."))

    def option_names(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["options"].splitlines() if line.strip()]


class OptionForm(forms.Form):
    name = forms.CharField(label=_("Option name"), max_length=100)
    is_active = forms.BooleanField(label=_("In use"), required=False)


class OrganisationChoiceForm(forms.Form):
    organisation = IdChoiceField(label=_("Member organisation"), queryset=Stakeholder.objects.none())

    def __init__(self, *args: Any, organisations: Sequence[Stakeholder], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "organisation", Stakeholder.objects.filter(pk__in=[o.pk for o in organisations]))


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("lock", _("Lock")), ("return", _("Return to member"))]
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"), help_text=_("Use the template of an indicator."))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise ValidationError(_("Upload a .csv or .xlsx file."))
        if upload.size > IMPORT_MAX_BYTES:
            raise ValidationError(_("The file is larger than 50 MB; use the management command for big files."))
        return upload


class LateFilterForm(forms.Form):
    """The "who is late" screen's filters: one indicator, one member organisation (both optional)."""

    indicator = IdChoiceField(label=_("Indicator"), queryset=Indicator.objects.none(), required=False)
    organisation = IdChoiceField(label=_("Member"), queryset=Stakeholder.objects.none(), required=False)

    def __init__(
        self, *args: Any, indicators: QuerySet[Indicator], organisations: QuerySet[Stakeholder], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "indicator", indicators)
        limit_choices(self, "organisation", organisations)
