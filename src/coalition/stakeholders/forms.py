from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from coalition.stakeholders.models import STAKEHOLDER_FIELDS, ContactPerson, Interview, Level, Sector, Stakeholder

POWER_CHOICES = [
    (1, _("1 — little influence")),
    (2, _("2 — some influence")),
    (3, _("3 — moderate influence")),
    (4, _("4 — strong influence")),
    (5, _("5 — decisive influence")),
]
INTEREST_CHOICES = [
    (1, _("1 — indifferent")),
    (2, _("2 — mildly interested")),
    (3, _("3 — interested")),
    (4, _("4 — very interested")),
    (5, _("5 — deeply engaged")),
]


class StakeholderForm(forms.ModelForm):
    """Create and edit a stakeholder. Engagement is chosen at creation; later it moves by its own action."""

    power = forms.TypedChoiceField(
        label=_("Power / influence"),
        choices=POWER_CHOICES,
        coerce=int,
        initial=3,
        help_text=_("How much can they advance or block the effort (rules, money, services, opinion)?"),
    )
    interest = forms.TypedChoiceField(
        label=_("Interest"),
        choices=INTEREST_CHOICES,
        coerce=int,
        initial=3,
        help_text=_("How much do they care about the shared problem and want to act on it?"),
    )
    website = forms.URLField(label=_("Website"), required=False, max_length=200, assume_scheme="https")

    class Meta:
        model = Stakeholder
        fields = list(STAKEHOLDER_FIELDS)
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "lived_experience": _("They (or the people they speak for) live with the problem day to day."),
            "marginalised_group": _("They speak for people whose voice is usually left out of decisions."),
            "place": _("Neighbourhood, town or area where they work or live."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["engagement"]
        self.fields["website"].widget.attrs["placeholder"] = "https://"

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the stakeholder a name."))
        return name


class EngagementForm(forms.Form):
    engagement = forms.ChoiceField(label=_("New engagement status"), choices=Stakeholder.Engagement.choices)
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=500,
        help_text=_("For example: who talked to them and what was agreed."),
    )


class ContactForm(forms.ModelForm):
    class Meta:
        model = ContactPerson
        fields = ["name", "position", "email", "phone"]


class InterviewForm(forms.ModelForm):
    class Meta:
        model = Interview
        fields = ["held_on", "summary"]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}),
            "summary": forms.Textarea(attrs={"rows": 8}),
        }
        help_texts = {
            "summary": _(
                "Their view of the problem and its causes, what they already do, what would make them take part, "
                "and who else they say should be involved."
            )
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["held_on"].initial = timezone.localdate()


FLAG_FILTERS = {
    "stake": ("brings_stake", _("Brings stake")),
    "power": ("brings_power", _("Brings power")),
    "knowledge": ("brings_knowledge", _("Brings knowledge")),
    "lived": ("lived_experience", _("Lived experience")),
    "marginalised": ("marginalised_group", _("Marginalised group")),
}
SORTS = {
    "name": ("name",),
    "power": ("-power", "-interest", "name"),
    "interest": ("-interest", "-power", "name"),
    "recent": ("-updated_at", "name"),
}


class PlainSelect(forms.Select):
    """A select rendered in Python rather than one template per option: the list's filter bar is on
    every list request, and this keeps it well under a millisecond."""

    def render(self, name: str, value: Any, attrs: dict | None = None, renderer: Any = None) -> SafeString:
        selected = {str(v) for v in self.format_value(value)}
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((v, " selected" if str(v) in selected else "", label) for v, label in self.choices),
        )
        return format_html(
            '<select name="{}"{}>{}</select>', name, flatatt(self.build_attrs(self.attrs, attrs)), options
        )


class FilterForm(forms.Form):
    """The list's filters (GET). Every field is optional; unknown values are ignored, not errors."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100, help_text=_("Name, place or notes"))
    sector = forms.ChoiceField(
        label=_("Sector"), required=False, choices=[("", _("All sectors")), *Sector.choices], widget=PlainSelect
    )
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=[("", _("All levels")), *Level.choices], widget=PlainSelect
    )
    engagement = forms.ChoiceField(
        label=_("Engagement"),
        required=False,
        choices=[("", _("Any engagement")), *Stakeholder.Engagement.choices],
        widget=PlainSelect,
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("Organisations and people")), *Stakeholder.Kind.choices],
        widget=PlainSelect,
    )
    flag = forms.ChoiceField(
        label=_("Brings or represents"),
        required=False,
        choices=[("", _("Anything")), *((key, label) for key, (_field, label) in FLAG_FILTERS.items())],
        widget=PlainSelect,
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("name", _("Name")),
            ("power", _("Power, highest first")),
            ("interest", _("Interest, highest first")),
            ("recent", _("Recently changed")),
        ],
        widget=PlainSelect,
    )
    archived = forms.BooleanField(label=_("Show archived instead"), required=False)
    # Set by links from a cell of the power/interest grid.
    power = forms.TypedChoiceField(required=False, choices=POWER_CHOICES, coerce=int, empty_value=None)
    interest = forms.TypedChoiceField(required=False, choices=INTEREST_CHOICES, coerce=int, empty_value=None)

    def filter(self, qs: QuerySet[Stakeholder]) -> QuerySet[Stakeholder]:
        """Apply the valid filters; an invalid one (a stale bookmark, a typo) is simply left out."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        qs = qs.filter(is_archived=bool(data.get("archived")))
        if query := (data.get("q") or "").strip():
            qs = qs.filter(Q(name__icontains=query) | Q(place__icontains=query) | Q(notes__icontains=query))
        for name in ("sector", "level", "engagement", "kind", "power", "interest"):
            if data.get(name):
                qs = qs.filter(**{name: data[name]})
        if data.get("flag"):
            qs = qs.filter(**{FLAG_FILTERS[data["flag"]][0]: True})
        return qs.order_by(*SORTS[data.get("sort") or "name"])

    @property
    def active(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return any(data.get(name) for name in self.fields if name != "sort")
