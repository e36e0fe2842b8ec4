"""Forms only parse input; the rules live in actions.py (errors come back through core.forms.run_action)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from coalition.coalitions.models import Coalition
from coalition.core.extensions import public_sections
from coalition.core.fields import IdChoiceField
from coalition.public.models import PAGE_FIELDS, PublicPage
from coalition.stakeholders.models import Stakeholder


class PublicPageForm(forms.ModelForm[PublicPage]):
    sections = forms.MultipleChoiceField(
        label=_("Sections shown"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only what each section calls published or final is shown; nothing else is public."),
    )

    class Meta:
        model = PublicPage
        fields = list(PAGE_FIELDS)
        widgets = {"introduction": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["sections"]
        assert isinstance(field, forms.MultipleChoiceField)  # noqa: S101 - declared above
        field.choices = [
            (s.key, f"{s.label} — {s.description}" if s.description else str(s.label)) for s in public_sections()
        ]

    def validate_unique(self) -> None:
        """The action checks the address (with the page locked); a taken one comes back as a field error."""


def member_organisations(coalition: Coalition) -> Any:
    return Stakeholder.objects.filter(
        coalition=coalition,
        kind=Stakeholder.Kind.ORGANISATION,
        engagement=Stakeholder.Engagement.MEMBER,
        is_archived=False,
    ).order_by("name")


class ListingForm(forms.Form):
    organisation = IdChoiceField(queryset=Stakeholder.objects.none(), label=_("Member organisation"))
    agreed_on = forms.DateField(
        label=_("Agreed to be listed on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty to record that the organisation withdrew its agreement."),
    )

    def __init__(self, *args: Any, coalition: Coalition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared above
        field.queryset = member_organisations(coalition)
