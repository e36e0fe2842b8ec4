"""Helpers shared by every app's form views."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.forms import BaseForm, ModelChoiceField


def run_action(form: BaseForm, action: Any, *args: Any, **kwargs: Any) -> Any:
    """Call an action; turn its ValidationError into form errors (returns None then)."""
    try:
        return action(*args, **kwargs)
    except ValidationError as error:
        form.add_error(None, error)
        return None


def limit_choices(
    form: BaseForm, name: str, queryset: QuerySet[Any], label: Callable[[Any], str] | None = None
) -> ModelChoiceField[Model]:
    """Offer ``queryset`` as the choices of the form's model choice field ``name``, labelled by ``label`` if given."""
    field = form.fields[name]
    if not isinstance(field, ModelChoiceField):
        raise TypeError(f"{name!r} is not a model choice field")
    field.queryset = queryset
    if label is not None:
        # Django's documented per-instance override; the stubs only know label_from_instance as a method.
        field.label_from_instance = label  # type: ignore[method-assign,assignment]
    return field
