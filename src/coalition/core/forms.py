"""Helpers shared by every app's form views: the one place that turns an action's ``ValidationError`` into
what the person sees (errors on the form's fields, errors on top of the form, or flash messages).

Views never write ``except ValidationError`` themselves (``tests/core/test_view_errors.py`` checks it):

* ``run_action(form, action, ...)`` puts the errors on the fields they name, the rest on top of the form;
* ``run_action_message(request, action, ...)`` flashes them as one error message (for POST-then-redirect views);
* ``attempt(action, ...)`` only collects them, for views that render the messages their own way.

Each returns an ``Outcome``: true when the action ran, with its return value in ``outcome.value``.

A form page reads ``if submitted(request, form) and run_action(form, ...): ... redirect``, then
``return render_form(request, template, {"form": form, ...})``, which answers 400 while the form shows errors.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Generic, ParamSpec, TypeVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.forms import BaseForm, ModelChoiceField
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

P = ParamSpec("P")
T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class Outcome(Generic[T_co]):
    """What running an action gave: its value, or the ``ValidationError`` it raised."""

    __slots__ = ("_value", "error")

    def __init__(self, value: T_co | None = None, error: ValidationError | None = None) -> None:
        self._value = value
        self.error = error

    @property
    def ok(self) -> bool:
        return self.error is None

    def __bool__(self) -> bool:
        return self.ok

    @property
    def value(self) -> T_co:
        """The action's return value; asking for it after a failure is a programming error."""
        if self.error is not None:
            raise RuntimeError("the action failed; there is no value")
        return self._value  # type: ignore[return-value]

    @property
    def messages(self) -> list[str]:
        """Every message of the error, field-keyed ones included, in order; empty on success."""
        return [] if self.error is None else list(self.error.messages)


def initial_from(instance: Model, fields: Iterable[str]) -> dict[str, Any]:
    """A form's ``initial`` from an action's field list: ``lead_id`` fills the ``lead`` choice field, so an edit
    form and the action that saves it share one list of fields."""
    return {name.removesuffix("_id"): getattr(instance, name) for name in fields}


def attempt(action: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Outcome[T]:
    """Call an action; keep its ``ValidationError`` in the outcome instead of raising it."""
    try:
        return Outcome(action(*args, **kwargs))
    except ValidationError as error:
        return Outcome(error=error)


def apply_errors(form: BaseForm, error: ValidationError) -> None:
    """Show ``error`` on ``form``: each message keyed by a field the form has goes on that field, every other
    message (unkeyed, ``__all__`` or naming a field the form lacks) on top of the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def run_action(form: BaseForm, action: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Outcome[T]:
    """Call an action; on ``ValidationError`` put its messages on the form (see ``apply_errors``)."""
    outcome = attempt(action, *args, **kwargs)
    if outcome.error is not None:
        apply_errors(form, outcome.error)
    return outcome


def run_action_message(
    request: HttpRequest, action: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs
) -> Outcome[T]:
    """Call an action; on ``ValidationError`` flash its messages as one error message (for views that redirect)."""
    outcome = attempt(action, *args, **kwargs)
    if not outcome.ok:
        messages.error(request, " ".join(outcome.messages))
    return outcome


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


def submitted(request: HttpRequest, form: BaseForm) -> bool:
    """Whether ``form`` came in by POST and its fields are valid (its errors are then on the form)."""
    return request.method == "POST" and form.is_valid()


def render_form(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """The page of ``context["form"]``: status 400 while the form carries errors, so clients and tests see it."""
    status = 400 if context["form"].errors else 200
    return TemplateResponse(request, template, context, status=status)
