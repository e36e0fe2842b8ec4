from __future__ import annotations

import operator
from functools import reduce
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from coalition.coalitions.models import Coalition, Membership, WorkingGroup
from coalition.core.fields import IdChoiceField, IdMultipleChoiceField, ModelForm
from coalition.core.forms import limit_choices
from coalition.core.models import AuditEvent
from coalition.core.permissions import Role


class CoalitionForm(ModelForm):
    class Meta:
        model = Coalition
        fields = ["name", "problem_statement", "common_purpose", "scope", "places", "phase", "starts_on", "ends_on"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
            "problem_statement": forms.Textarea(attrs={"rows": 3}),
            "common_purpose": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", forms.ValidationError(_("The end date must come after the start date.")))
        return data


class SettingsForm(CoalitionForm):
    """All coalition settings, with the version the editor loaded (a newer save is never overwritten)."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta(CoalitionForm.Meta):
        fields = [
            *CoalitionForm.Meta.fields,
            "small_cell_threshold",
            "protection_width",
            "complete_share",
            "on_track_margin",
            "shared_indicator_limit",
            "first_year",
            "last_year",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("first_year", "last_year"):  # left empty: the window stays as it is
            self.fields[name].required = False

    def clean_first_year(self) -> int:
        return self.cleaned_data.get("first_year") or self.instance.first_year

    def clean_last_year(self) -> int:
        return self.cleaned_data.get("last_year") or self.instance.last_year


class MemberFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Name, organisation or title."),
    )

    def filter(self, qs: QuerySet[Membership]) -> QuerySet[Membership]:
        query = self.cleaned_data.get("q", "").strip() if self.is_valid() else ""
        if not query:
            return qs
        return qs.filter(
            Q(user__first_name__icontains=query)
            | Q(user__last_name__icontains=query)
            | Q(user__username__icontains=query)
            | Q(organisation__name__icontains=query)
            | Q(title__icontains=query)
        )


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=Role.choices, widget=forms.CheckboxSelectMultiple, required=False
    )


class MembershipForm(forms.Form):
    # Any: the stakeholder model is a later layer (stakeholders imports coalitions, not the reverse).
    organisation: forms.ModelChoiceField[Any] = IdChoiceField(
        label=_("Organisation represented"),
        queryset=None,
        required=False,
        help_text=_("Choose from the stakeholder map; leave empty for a person taking part on their own behalf."),
    )
    title = forms.CharField(label=_("Title or position"), max_length=200, required=False)

    def __init__(self, *args: Any, coalition: Coalition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "organisation", coalition.stakeholders.filter(is_archived=False))


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=Role.choices, initial=[Role.MEMBER], widget=forms.CheckboxSelectMultiple
    )
    # Any: the stakeholder model is a later layer (stakeholders imports coalitions, not the reverse).
    organisation: forms.ModelChoiceField[Any] = IdChoiceField(
        label=_("Organisation represented"),
        queryset=None,
        required=False,
        help_text=_("Optional: the stakeholder organisation this person speaks for."),
    )
    bound_to_email = forms.TypedChoiceField(
        label=_("Who can use the link"),
        choices=[
            ("1", _("Only the person at this address (they sign in or create an account with it)")),
            ("0", _("Anyone with the link, under any address")),
        ],
        coerce=lambda value: value != "0",
        empty_value=True,  # type: ignore[arg-type]  # Django returns any empty_value; the stubs say str
        required=False,
        initial="1",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, coalition: Coalition, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        limit_choices(self, "organisation", coalition.stakeholders.order_by("name"))


class WorkingGroupForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    purpose = forms.CharField(label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    is_codesign_group = forms.BooleanField(
        label=_("Co-design group"), required=False, help_text=_("Its members may edit the common agenda.")
    )
    members = IdMultipleChoiceField(
        label=_("Members"),
        queryset=Membership.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Only active members of this coalition can join a working group."),
    )

    def __init__(self, *args: Any, coalition: Coalition, group: WorkingGroup | None = None, **kwargs: Any) -> None:
        if group is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": group.name,
                    "purpose": group.purpose,
                    "is_codesign_group": group.is_codesign_group,
                    "members": list(group.members.filter(is_active=True)),
                },
            )
        super().__init__(*args, **kwargs)
        limit_choices(
            self,
            "members",
            coalition.memberships.filter(is_active=True).select_related("user"),
            label=lambda m: m.display_name,
        )


# Kind of change -> (label, verb prefixes). Exports of a list count with that list's kind.
AUDIT_KINDS = {
    "settings": (_("Coalition settings"), ("coalition.",)),
    "members": (_("Memberships"), ("membership.", "members.")),
    "groups": (_("Working groups"), ("working_group.",)),
    "stakeholders": (_("Stakeholders"), ("stakeholder.", "stakeholders.")),
}


class AuditFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("Everything")), *((k, label) for k, (label, _p) in AUDIT_KINDS.items())],
        required=False,
    )
    person = IdChoiceField(
        label=_("Person"), queryset=get_user_model().objects.none(), required=False, empty_label=_("Anybody")
    )

    def __init__(self, *args: Any, coalition: Coalition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(
            self,
            "person",
            get_user_model()
            .objects.filter(memberships__coalition=coalition)
            .order_by("last_name", "first_name", "username"),
            label=lambda u: u.get_full_name() or u.username,
        )

    def filter(self, qs: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
        if not self.is_valid():
            return qs
        if self.cleaned_data["kind"]:
            prefixes = AUDIT_KINDS[self.cleaned_data["kind"]][1]
            qs = qs.filter(reduce(operator.or_, (Q(verb__startswith=prefix) for prefix in prefixes)))
        if self.cleaned_data["person"]:
            qs = qs.filter(actor=self.cleaned_data["person"])
        return qs
