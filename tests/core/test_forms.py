"""``limit_choices``: a form offers exactly the rows it is given, labelled as asked."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib.auth.models import Group

from coalition.core.forms import limit_choices


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
