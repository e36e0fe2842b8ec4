"""Parsing of cohesion input only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from coalition.cohesion.factors import FACTORS

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
