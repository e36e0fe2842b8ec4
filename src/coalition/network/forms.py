from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from coalition.core.forms import limit_choices
from coalition.network.models import RATING_FIELDS, RelationType, SurveyRound
from coalition.stakeholders.models import Sector, Stakeholder


class StakeholderChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Stakeholder) -> str:
        return f"{obj.name} ({obj.get_sector_display()})"


class RoundForm(forms.Form):
    name = forms.CharField(label=_("Name of the round"), max_length=200, help_text=_("For example “Baseline, March”."))
    hub_organisation = forms.ModelChoiceField(
        label=_("Hub organisation"),
        queryset=Stakeholder.objects.none(),
        required=False,
        help_text=SurveyRound._meta.get_field("hub_organisation").help_text,
    )
    hub_sees_answers = forms.BooleanField(
        label=SurveyRound._meta.get_field("hub_sees_answers").verbose_name,
        required=False,
        help_text=SurveyRound._meta.get_field("hub_sees_answers").help_text,
    )
    stakeholders = StakeholderChoice(
        label=_("Actors in this round"),
        queryset=Stakeholder.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Members are ticked to start with; add other stakeholders whose ties matter."),
    )

    def __init__(self, *args: Any, coalition: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stakeholders = Stakeholder.objects.filter(coalition=coalition, is_archived=False).order_by("name")
        limit_choices(self, "stakeholders", stakeholders)
        limit_choices(self, "hub_organisation", stakeholders)
        if not self.is_bound:
            self.initial.setdefault(
                "stakeholders", [s.pk for s in stakeholders if s.engagement == Stakeholder.Engagement.MEMBER]
            )


class RoundSettingsForm(forms.Form):
    name = forms.CharField(label=_("Name of the round"), max_length=200)
    hub_sees_answers = forms.BooleanField(
        label=SurveyRound._meta.get_field("hub_sees_answers").verbose_name, required=False
    )


class AddStakeholdersForm(forms.Form):
    stakeholders = StakeholderChoice(
        label=_("Add to this round"), queryset=Stakeholder.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, survey: SurveyRound, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(
            self,
            "stakeholders",
            Stakeholder.objects.filter(coalition_id=survey.coalition_id, is_archived=False)
            .exclude(network_actors__round=survey)
            .order_by("name"),
        )


class ConsentForm(forms.Form):
    agrees_to_be_named = forms.BooleanField(
        label=_("Members may see my organisation's name on the network map"),
        required=False,
        help_text=_("If you leave this unticked, members see you only as a number and a sector."),
    )


class AddActorForm(forms.Form):
    name = forms.CharField(label=_("Name of the organisation or person"), max_length=200)
    sector = forms.ChoiceField(label=_("Sector"), choices=[("", "—"), *Sector.choices])


def parse_answers(data: Any, actor_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Read the answer grid posted as ``a<actor id>-<field>`` inputs."""
    parsed = {}
    for actor_id in actor_ids:
        prefix = f"a{actor_id}-"
        values: dict[str, Any] = {t: data.get(prefix + t) == "on" for t in RelationType.values}
        for name in ("frequency", *RATING_FIELDS):
            raw = (data.get(prefix + name) or "").strip()
            values[name] = raw if raw.isdigit() else None
        parsed[actor_id] = values
    return parsed
