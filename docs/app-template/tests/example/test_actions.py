"""Actions: the rules, the saved state and the audit trail, with expectations written by hand."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from coalition.core.models import AuditEvent
from coalition.example import actions
from coalition.example.models import Note


def test_a_new_note_is_saved_trimmed_and_audited(world: Any) -> None:
    note = actions.do_save_note(world.hub, world.coalition, title="  Agenda  ", body="Three points.")
    assert Note.objects.get(pk=note.pk).title == "Agenda"
    event = AuditEvent.objects.get(verb="note.created")
    assert event.after == {"title": "Agenda", "body": "Three points."}


def test_a_title_is_unique_per_coalition_ignoring_case(world: Any) -> None:
    actions.do_save_note(world.hub, world.coalition, title="Agenda", body="")
    with pytest.raises(ValidationError) as refused:
        actions.do_save_note(world.hub, world.coalition, title="AGENDA", body="")
    assert list(refused.value.message_dict) == ["title"]
    # another coalition may use the same title
    actions.do_save_note(world.outsider, world.other, title="Agenda", body="")
    assert Note.objects.filter(title__iexact="agenda").count() == 2
