"""Every id a form accepts is range-checked before it reaches the database (checklist item 26).

Two independent sweeps:
- by class: every form class of the project is collected by introspection; each choice-of-object field
  it declares (or adds when built) must be one of the shared range-checked fields, and cleaning a
  hostile id with it must give a field error against a real table;
- by page: every coalition page the hub can open is read as a browser would; each form on it that
  offers objects (a select or checkboxes of ids) is posted back with 2**63, 2**64, -1 and "1e3" in
  that input. The answer may refuse, but never with a 500.
"""

from __future__ import annotations

import copy
import importlib
import importlib.util
import inspect
import pkgutil
from html.parser import HTMLParser
from typing import Any

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.test import Client

import coalition
from coalition.core.fields import MAX_ID, IdChoiceField, IdMultipleChoiceField, parse_id, parse_ids
from tests.test_isolation import FACTORIES, ROUTES, _object_kwargs, _url

HOSTILE = [str(2**63), str(2**64), "-1", "1e3", str(-(2**63) - 1), "", " 7 ", "٣"]
# Every app with a forms module: an app added later is swept without being listed here.
APPS = tuple(
    sorted(
        m.name
        for m in pkgutil.iter_modules(coalition.__path__)
        if m.ispkg and importlib.util.find_spec(f"coalition.{m.name}.forms")
    )
)


def _form_classes() -> list[type[forms.BaseForm]]:
    found: dict[str, type[forms.BaseForm]] = {}
    for app in APPS:
        module = importlib.import_module(f"coalition.{app}.forms")
        for _name, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, forms.BaseForm) and obj.__module__.startswith("coalition."):
                found[f"{obj.__module__}.{obj.__name__}"] = obj
    return [found[k] for k in sorted(found)]


FORM_CLASSES = _form_classes()


def test_introspection_finds_the_forms_with_object_choices() -> None:
    with_choices = [
        cls.__name__
        for cls in FORM_CLASSES
        if any(isinstance(f, forms.ModelChoiceField) for f in cls.base_fields.values())
    ]
    # Hand-listed from reading the forms modules: the sweep must see at least these.
    for name in ("WorkingGroupForm", "AssessmentForm", "OpenVoteForm", "DecidePriorityForm", "AgendaForm", "RoundForm"):
        assert name in with_choices


@pytest.mark.parametrize("cls", FORM_CLASSES, ids=lambda c: c.__name__)
def test_every_object_choice_is_range_checked(cls: type[forms.BaseForm], world: Any) -> None:
    for name, field in cls.base_fields.items():
        if not isinstance(field, forms.ModelChoiceField):
            continue
        assert isinstance(field, IdChoiceField | IdMultipleChoiceField), f"{cls.__name__}.{name} is not range-checked"
        if field.queryset is None:  # set when the form is built; the page sweep below posts to it
            continue
        live = copy.deepcopy(field)
        live.queryset = field.queryset.model._default_manager.all()  # a real table, not .none()
        for raw in (str(2**63), str(2**64), "-1", "1e3"):
            value: Any = [raw] if isinstance(field, forms.ModelMultipleChoiceField) else raw
            with pytest.raises(ValidationError):
                live.clean(value)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", 1),
        ("42", 42),
        (str(MAX_ID), MAX_ID),
        (str(2**63), None),
        (str(2**64), None),
        ("0", None),
        ("-1", None),
        ("1e3", None),
        ("٣", None),  # a non-ASCII digit that int() would accept
        ("", None),
        ("abc", None),
        (True, None),
        (7, 7),
    ],
)
def test_parse_id(raw: Any, expected: int | None) -> None:
    assert parse_id(raw) == expected


def test_parse_ids_keeps_only_valid_ids() -> None:
    assert parse_ids(["3", str(2**64), "x", "5", "-2"]) == [3, 5]


class _Forms(HTMLParser):
    """The POST forms of a page: their action and inputs (name -> default values, id-choice names)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(
                {"method": a.get("method", "get").lower(), "action": a.get("action", ""), "data": {}, "ids": set()}
            )
            return
        if not self.forms:
            return
        current = self.forms[-1]
        name = a.get("name")
        if tag == "select" and name:
            self._select = name
            current["data"].setdefault(name, [])
        elif tag == "option" and self._select and a.get("value", "").isdigit():
            current["ids"].add(self._select)
            if "selected" in a:
                current["data"][self._select].append(a["value"])
        elif tag in ("input", "textarea") and name:
            kind = a.get("type", "text")
            if kind == "checkbox" and a.get("value", "").isdigit():
                current["ids"].add(name)
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            current["data"].setdefault(name, []).append(a.get("value", "on" if kind == "checkbox" else ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


PAGE_ROUTES = [r for r in ROUTES if not r.name.startswith("api:") and all(k in FACTORIES for k in _object_kwargs(r))]


@pytest.mark.parametrize("route", PAGE_ROUTES, ids=str)
def test_hostile_ids_in_any_form_never_give_a_500(route: Any, world: Any) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(world.hub)
    url = _url(route, world.coalition.pk, {k: FACTORIES[k](world.coalition) for k in _object_kwargs(route)})
    page = client.get(url)
    assert page.status_code != 500
    if "text/html" not in page.get("Content-Type", ""):
        return
    parser = _Forms()
    parser.feed(page.content.decode())
    for form in parser.forms:
        if form["method"] != "post" or not form["ids"]:
            continue
        target = form["action"] or url
        if not target.startswith("/c/"):
            continue
        for name in sorted(form["ids"]):
            for raw in HOSTILE:
                answer = client.post(target, {**form["data"], name: [raw]})
                assert answer.status_code != 500, f"{route.name}: {name}={raw!r} posted to {target} gave 500"
