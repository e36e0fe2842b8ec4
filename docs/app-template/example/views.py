"""Thin views: coalition_view fetches and authorises, forms parse, actions write, queries read.

Never catch ValidationError here: core.forms.run_action (errors on the form) or run_action_message (a flash
message, for POST-then-redirect) does it (tests/core/test_forms.py fails otherwise).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from coalition.coalitions.access import Access, coalition_view, scoped_get
from coalition.core.forms import run_action
from coalition.core.listing import paginate, render_list
from coalition.core.permissions import Perm
from coalition.example import actions, queries
from coalition.example.forms import NoteForm
from coalition.example.models import NOTE_FIELDS, Note

PAGE_SIZE = 25


@coalition_view(Perm.VIEW)
def note_list(request: HttpRequest, access: Access) -> HttpResponse:
    page, query = paginate(request, queries.live_notes(access), PAGE_SIZE)
    context = {"page": page, "query": query, "can_edit": access.can(Perm.CHANGE_SETTINGS)}
    return render_list(request, "example/note_list.html", "example/_note_results.html", context)


def _note_form(request: HttpRequest, access: Access, note: Note | None) -> HttpResponse:
    form = NoteForm(request.POST or None, instance=note)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in NOTE_FIELDS}
        saved = run_action(form, actions.do_save_note, request.user, access.coalition, note=note, **fields)
        if saved:
            messages.success(request, _("Note “%(title)s” saved.") % {"title": saved.value.title})
            return redirect("example:list", access.coalition.pk)
    status = 400 if form.errors else 200
    return TemplateResponse(request, "example/note_form.html", {"form": form, "note": note}, status=status)


@coalition_view(Perm.CHANGE_SETTINGS)
def note_new(request: HttpRequest, access: Access) -> HttpResponse:
    return _note_form(request, access, None)


@coalition_view(Perm.CHANGE_SETTINGS)
def note_edit(request: HttpRequest, access: Access, note_id: int) -> HttpResponse:
    # scoped_get: another coalition's note answers 404, exactly like a missing one.
    return _note_form(request, access, scoped_get(access, Note, pk=note_id, is_archived=False))
