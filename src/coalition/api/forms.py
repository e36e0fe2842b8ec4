"""Parsing of the api app's screens (tokens, DHIS2 codes); the actions validate and save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from coalition.api.actions import MAX_DAYS
from coalition.api.models import AccessToken, Dhis2Code

MAX_EXCHANGE_BYTES = 20 * 1024 * 1024


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("What the token is for, e.g. “DHIS2 sync”."))
    scope = forms.ChoiceField(label=_("Scope"), choices=AccessToken.Scope.choices, initial=AccessToken.Scope.READ)
    days = forms.IntegerField(
        label=_("Lasts (days)"), min_value=1, max_value=MAX_DAYS, initial=90, help_text=_("From 1 to 366 days.")
    )


class Dhis2CodesForm(forms.Form):
    """One optional identifier per record: ``rows`` are (kind, local key, label, current code); each field is
    named ``<kind>-<key>``, as the action names its faults."""

    def __init__(self, *args: Any, rows: list[tuple[str, str, str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        for kind, key, label, code in rows:
            self.fields[f"{kind}-{key}"] = forms.CharField(label=label, max_length=50, required=False, initial=code)

    def codes(self) -> dict[tuple[str, str], str]:
        return {(kind, key): self.cleaned_data[f"{kind}-{key}"] for kind, key, _label, _code in self.rows}

    def groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The fields under their kind's heading, for the page."""
        return [
            (str(label), [self[f"{k}-{key}"] for k, key, _l, _c in self.rows if k == kind])
            for kind, label in Dhis2Code.Kind.choices
        ]


class Dhis2UploadForm(forms.Form):
    file = forms.FileField(label=_("dataValueSet file (JSON or CSV)"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".json")):
            raise forms.ValidationError(_("Upload a .json or .csv file."))
        if upload.size > MAX_EXCHANGE_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB: split it by period."))
        return upload
