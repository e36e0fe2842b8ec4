"""Forms only parse input; the rules live in actions.py (errors come back through core.forms.run_action)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from coalition.example.models import NOTE_FIELDS, Note


class NoteForm(forms.ModelForm[Note]):
    class Meta:
        model = Note
        fields = list(NOTE_FIELDS)
        widgets = {"body": forms.Textarea(attrs={"rows": 4})}
        labels = {"body": _("Text")}
