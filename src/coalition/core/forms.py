"""Helpers shared by every app's form views."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.forms import Form


def run_action(form: Form, action: Any, *args: Any, **kwargs: Any) -> Any:
    """Call an action; turn its ValidationError into form errors (returns None then)."""
    try:
        return action(*args, **kwargs)
    except ValidationError as error:
        form.add_error(None, error)
        return None
