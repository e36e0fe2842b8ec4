"""Parsing of the api app's screens (tokens, DHIS2 codes); the actions validate and save."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from coalition.api.actions import MAX_DAYS
from coalition.api.models import AccessToken


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("What the token is for, e.g. “DHIS2 sync”."))
    scope = forms.ChoiceField(label=_("Scope"), choices=AccessToken.Scope.choices, initial=AccessToken.Scope.READ)
    days = forms.IntegerField(
        label=_("Lasts (days)"), min_value=1, max_value=MAX_DAYS, initial=90, help_text=_("From 1 to 366 days.")
    )
