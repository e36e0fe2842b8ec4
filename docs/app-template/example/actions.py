"""Every change to notes goes through these functions: validate, save in a transaction, write an audit event.

Views, the API and management commands call them; nothing else saves a Note. Raise ValidationError (keyed by
field where one is to blame) for anything a person can correct: views show it with core.forms.run_action.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from coalition.coalitions.models import Coalition
from coalition.core import audit
from coalition.example.models import NOTE_FIELDS, Note


@transaction.atomic
def do_save_note(actor: Any, coalition: Coalition, *, note: Note | None = None, title: str, body: str) -> Note:
    """Create a note, or change ``note``. Titles are unique per coalition, ignoring case."""
    title = title.strip()
    clash = Note.objects.filter(coalition=coalition, title__iexact=title)
    if note is not None:
        clash = clash.exclude(pk=note.pk)
    if clash.exists():
        raise ValidationError({"title": _("Another note already has this title.")})
    before = audit.snapshot(note, NOTE_FIELDS) if note is not None else None
    saved = note or Note(coalition=coalition)
    saved.title, saved.body = title, body
    saved.full_clean()
    saved.save()
    verb = "note.changed" if before is not None else "note.created"
    audit.record(actor, verb, saved, coalition=coalition, before=before, after=audit.snapshot(saved, NOTE_FIELDS))
    return saved
