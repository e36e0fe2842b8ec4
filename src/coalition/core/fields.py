"""Form fields that check what a visitor sends before it reaches the database.

Every id a form accepts goes through ``IdChoiceField`` / ``IdMultipleChoiceField``: a value that is not a
whole number between 1 and the largest 64-bit id is a field error, never a query (SQLite cannot even bind
an integer above 2**63 - 1, so such a value would otherwise answer 500).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

MAX_ID = 2**63 - 1
"""The largest primary key any supported database stores (a signed 64-bit integer)."""


def parse_id(raw: Any) -> int | None:
    """``raw`` as an id (1..MAX_ID), or None when it is anything else (sign, exponent, too large, text)."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        value = raw
    else:
        text = str(raw).strip()
        if not text.isascii() or not text.isdigit() or len(text) > len(str(MAX_ID)):
            return None
        value = int(text)
    return value if 1 <= value <= MAX_ID else None


def parse_ids(values: Iterable[Any]) -> list[int]:
    """The valid ids among ``values`` (for plain ``request.POST.getlist`` inputs); others are dropped."""
    return [value for value in (parse_id(raw) for raw in values) if value is not None]


def _queryset_model(field: forms.ModelChoiceField) -> type:
    assert field.queryset is not None, "a model choice field always has a queryset"
    return field.queryset.model


class IdChoiceField(forms.ModelChoiceField):
    """A ``ModelChoiceField`` that refuses an id out of range before querying."""

    def _model(self) -> type:
        return _queryset_model(self)

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        if not self.to_field_name and not isinstance(value, self._model()) and parse_id(value) is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A ``ModelMultipleChoiceField`` that refuses any id out of range before querying."""

    default_error_messages = {
        **forms.ModelMultipleChoiceField.default_error_messages,
        "invalid_id": _("“%(pk)s” is not a valid choice."),
    }

    def _model(self) -> type:
        return _queryset_model(self)

    def _check_values(self, value: Any) -> Any:
        if not self.to_field_name:
            try:
                raw_values = frozenset(value)
            except TypeError:
                raise ValidationError(self.error_messages["invalid_list"], code="invalid_list") from None
            for raw in raw_values:
                if not isinstance(raw, self._model()) and parse_id(raw) is None:
                    raise ValidationError(self.error_messages["invalid_id"], code="invalid_id", params={"pk": raw})
        return super()._check_values(value)  # type: ignore[misc]  # a private method the stubs omit


def id_formfield(db_field: Any, **kwargs: Any) -> forms.Field | None:
    """``formfield_callback`` for model forms: relation fields become the range-checked id fields."""
    if isinstance(db_field, models.ManyToManyField):
        kwargs.setdefault("form_class", IdMultipleChoiceField)
    elif isinstance(db_field, models.ForeignKey):
        kwargs.setdefault("form_class", IdChoiceField)
    return db_field.formfield(**kwargs)


class ModelForm(forms.ModelForm):
    """Base of every model form: its relation fields are the range-checked id fields."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # Runs before Django builds the fields from ``Meta``, so the callback applies to every subclass.
        meta = cls.__dict__.get("Meta")
        if meta is not None and not hasattr(meta, "formfield_callback"):
            meta.formfield_callback = id_formfield
        super().__init_subclass__(**kwargs)
