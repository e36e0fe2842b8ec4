"""The one helper family that turns an action's ValidationError into what a person sees
(``coalition.core.forms``), and a scan that keeps views from catching ValidationError themselves."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest
from django import forms
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.test import RequestFactory

from coalition.accounts.models import Invitation
from coalition.core.forms import (
    Outcome,
    apply_errors,
    attempt,
    initial_from,
    limit_choices,
    run_action,
    run_action_message,
)

SRC = Path(__file__).resolve().parents[2] / "src" / "coalition"


class NameForm(forms.Form):
    name = forms.CharField()
    age = forms.IntegerField(required=False)


def bound_form() -> NameForm:
    form = NameForm({"name": "Ada", "age": "36"})
    assert form.is_valid()
    return form


def succeed(a: int, *, b: int) -> int:
    return a * 10 + b


def fail_with(error: ValidationError) -> Any:
    def action(*args: Any, **kwargs: Any) -> Any:
        raise error

    return action


def request_with_messages() -> HttpRequest:
    request = RequestFactory().post("/")
    request.session = {}  # type: ignore[attr-defined]
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    return request


# --- attempt / Outcome ------------------------------------------------------------------------


def test_attempt_passes_arguments_and_returns_the_value() -> None:
    outcome = attempt(succeed, 4, b=2)
    assert outcome.ok and bool(outcome)
    assert outcome.value == 42
    assert outcome.messages == []


def test_an_action_returning_none_still_counts_as_done() -> None:
    outcome = attempt(lambda: None)
    assert bool(outcome) is True
    assert outcome.value is None


def test_attempt_keeps_every_message_and_hides_the_value() -> None:
    error = ValidationError({"name": ["Too short.", "Not unique."], "__all__": ["Closed."]})
    outcome = attempt(fail_with(error))
    assert not outcome
    assert sorted(outcome.messages) == ["Closed.", "Not unique.", "Too short."]
    with pytest.raises(RuntimeError):
        _ = outcome.value


def test_other_exceptions_are_not_swallowed() -> None:
    def boom() -> None:
        raise KeyError("x")

    with pytest.raises(KeyError):
        attempt(boom)


# --- run_action: errors on the form -----------------------------------------------------------


def test_run_action_success_leaves_the_form_clean() -> None:
    form = bound_form()
    outcome = run_action(form, succeed, 1, b=5)
    assert outcome.value == 15
    assert form.errors == {}


def test_plain_error_goes_on_top_of_the_form() -> None:
    form = bound_form()
    outcome = run_action(form, fail_with(ValidationError("The plan is archived.")))
    assert not outcome
    assert form.non_field_errors() == ["The plan is archived."]
    assert "name" not in form.errors


def test_list_error_keeps_each_message_on_top() -> None:
    form = bound_form()
    run_action(form, fail_with(ValidationError(["First.", "Second."])))
    assert form.non_field_errors() == ["First.", "Second."]


def test_field_keyed_errors_land_on_their_fields_and_unknown_ones_on_top() -> None:
    form = bound_form()
    error = ValidationError({"name": "Taken.", "age": ["Too young.", "Not a number."], "colour": "Unknown field."})
    run_action(form, fail_with(error))
    assert form.errors["name"] == ["Taken."]
    assert form.errors["age"] == ["Too young.", "Not a number."]
    assert form.non_field_errors() == ["Unknown field."]
    # a field that got an error leaves cleaned_data, as with Django's own validation
    assert "name" not in form.cleaned_data


def test_all_key_is_a_non_field_error() -> None:
    form = bound_form()
    apply_errors(form, ValidationError({"__all__": "Ends before it starts."}))
    assert form.non_field_errors() == ["Ends before it starts."]


def test_error_codes_survive() -> None:
    form = bound_form()
    apply_errors(form, ValidationError({"name": ValidationError("Taken.", code="duplicate")}))
    assert form.has_error("name", code="duplicate")


# --- run_action_message: errors as one flash message ------------------------------------------


def test_run_action_message_flashes_one_joined_error() -> None:
    request = request_with_messages()
    outcome = run_action_message(request, fail_with(ValidationError(["Closed.", "Try later."])))
    assert not outcome
    flashed = [(m.level_tag, str(m)) for m in get_messages(request)]
    assert flashed == [("error", "Closed. Try later.")]


def test_run_action_message_success_flashes_nothing() -> None:
    request = request_with_messages()
    outcome = run_action_message(request, succeed, 2, b=3)
    assert outcome.value == 23
    assert list(get_messages(request)) == []


def test_outcome_is_covariant_for_typing_and_plain_at_runtime() -> None:
    outcome: Outcome[object] = Outcome(5)
    assert outcome.value == 5 and outcome.error is None


# --- initial_from: an edit form's initial values from the action's field list -------------------


def test_initial_from_maps_foreign_key_ids_to_choice_fields() -> None:
    invitation = Invitation(email="ada@example.org", organisation_id=7, coalition_id=3, roles=["member"])
    assert initial_from(invitation, ("email", "organisation_id", "roles")) == {
        "email": "ada@example.org",
        "organisation": 7,
        "roles": ["member"],
    }


# --- no view catches ValidationError itself ---------------------------------------------------


def view_modules() -> list[Path]:
    """Every module that holds views: views.py, *_views.py, views_*.py and the modules of a views/ package."""
    found = {
        *SRC.glob("*/views*.py"),
        *SRC.glob("*/*_views.py"),
        *SRC.glob("*/views/*.py"),
    }
    return sorted(found)


def _names(node: ast.expr | None) -> list[str]:
    if node is None:
        return []
    if isinstance(node, ast.Tuple):
        return [name for element in node.elts for name in _names(element)]
    if isinstance(node, ast.Attribute):
        return [node.attr]
    if isinstance(node, ast.Name):
        return [node.id]
    return []


def catches_validation_error(source: str) -> list[int]:
    """Line numbers of ``except`` clauses that name ValidationError (bare, dotted or in a tuple)."""
    return [
        node.lineno
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ExceptHandler) and "ValidationError" in _names(node.type)
    ]


def test_the_scan_finds_every_spelling() -> None:
    source = (
        "try:\n    pass\nexcept ValidationError:\n    pass\n"
        "try:\n    pass\nexcept exceptions.ValidationError as e:\n    pass\n"
        "try:\n    pass\nexcept (KeyError, ValidationError):\n    pass\n"
        "try:\n    pass\nexcept KeyError:\n    pass\n"
    )
    assert catches_validation_error(source) == [3, 7, 11]


def test_the_scan_sees_the_view_modules() -> None:
    names = {str(path.relative_to(SRC)) for path in view_modules()}
    assert {"planning/views.py", "network/survey_views.py", "measurement/views/entry.py"} <= names


def test_no_view_module_catches_validation_error() -> None:
    offenders = [
        f"{path.relative_to(SRC)}:{line}"
        for path in view_modules()
        for line in catches_validation_error(path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], "use coalition.core.forms (run_action, run_action_message, attempt) instead"


# ---------------------------------------------------------------------------------- limit_choices


class _PickForm(forms.Form):
    group = forms.ModelChoiceField(queryset=Group.objects.none())
    groups = forms.ModelMultipleChoiceField(queryset=Group.objects.none(), required=False)
    note = forms.CharField(required=False)


@pytest.mark.django_db
def test_limited_field_accepts_only_the_given_rows_and_shows_the_given_labels() -> None:
    ours, theirs = Group.objects.create(name="ours"), Group.objects.create(name="theirs")
    form = _PickForm({"group": str(theirs.pk)})
    limit_choices(form, "group", Group.objects.filter(pk=ours.pk), label=lambda g: f"Group {g.name.upper()}")
    assert not form.is_valid()
    assert "group" in form.errors
    assert [label for value, label in form.fields["group"].choices if value] == ["Group OURS"]

    form = _PickForm({"group": str(ours.pk), "groups": [str(ours.pk)]})
    limit_choices(form, "group", Group.objects.filter(pk=ours.pk))
    limit_choices(form, "groups", Group.objects.filter(pk=ours.pk))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["group"] == ours
    assert list(form.cleaned_data["groups"]) == [ours]


def test_limiting_a_field_that_is_not_a_model_choice_is_refused() -> None:
    with pytest.raises(TypeError):
        limit_choices(_PickForm(), "note", Group.objects.none())
