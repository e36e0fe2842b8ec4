"""Forms only parse input; the rules live in actions.py (errors come back through core.forms.run_action)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from coalition.coalitions.models import Coalition, Membership, WorkingGroup
from coalition.core.fields import IdChoiceField
from coalition.core.forms import limit_choices
from coalition.feedback import bank
from coalition.feedback.models import (
    RECORDED_CHANNELS,
    TEXT_LIMIT,
    ListeningSettings,
    QuestionKind,
    SurveyQuestion,
    SurveyRound,
    Topic,
    Urgency,
)

CODE_LENGTH = 64


class _ContactFields(forms.Form):
    topic = forms.ChoiceField(label=_("What is it about?"), choices=Topic.choices)
    text = forms.CharField(
        label=_("Your feedback"),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": TEXT_LIMIT}),
        help_text=_("Up to %(limit)s characters. Please do not include other people's names.") % {"limit": TEXT_LIMIT},
    )
    may_contact = forms.BooleanField(
        label=_("You may contact me about this feedback"),
        required=False,
        help_text=_("Only then are the details below kept, and used for nothing else."),
    )
    contact_name = forms.CharField(label=_("Name (optional)"), max_length=120, required=False)
    contact_email = forms.EmailField(label=_("Email (optional)"), max_length=200, required=False)
    contact_phone = forms.CharField(label=_("Phone (optional)"), max_length=40, required=False)

    def contact(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name]
            for name in ("topic", "text", "may_contact", "contact_name", "contact_email", "contact_phone")
        }


class PublicFeedbackForm(_ContactFields):
    """The no-account form. ``website`` is a trap for robots: it is hidden from people."""

    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def is_robot(self) -> bool:
        return bool(self.cleaned_data.get("website"))


class MemberFeedbackForm(_ContactFields):
    anonymous = forms.BooleanField(
        label=_("Send anonymously"),
        required=False,
        initial=True,
        help_text=_("Nobody, the hub included, will see it came from you. Keep the code to read the answer."),
    )


class RecordFeedbackForm(_ContactFields):
    """Feedback the hub heard by phone or in person, recorded on the person's behalf (never linked to an account)."""

    channel = forms.ChoiceField(label=_("How it came in"), choices=[(c.value, c.label) for c in RECORDED_CHANNELS])


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Your tracking code"),
        max_length=CODE_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "off", "spellcheck": "false"}),
    )


class TriageForm(forms.Form):
    topic = forms.ChoiceField(label=_("Topic"), choices=Topic.choices)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)
    assigned_to = IdChoiceField(label=_("Assigned member"), queryset=Membership.objects.none(), required=False)
    assigned_group = IdChoiceField(
        label=_("Assigned working group"), queryset=WorkingGroup.objects.none(), required=False
    )

    def __init__(self, *args: Any, coalition: Coalition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(
            self,
            "assigned_to",
            Membership.objects.filter(coalition=coalition, is_active=True).select_related("user"),
            lambda m: m.display_name,
        )
        limit_choices(self, "assigned_group", WorkingGroup.objects.filter(coalition=coalition))


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer"),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The person reads it with their code (and by email if they gave one)."),
    )


class CloseForm(forms.Form):
    what_changed = forms.CharField(
        label=_("What changed"), max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 3})
    )
    led_to_action: IdChoiceField = IdChoiceField(
        label=_("Joint action it led to"), queryset=Membership.objects.none(), required=False
    )
    led_to_poll: IdChoiceField = IdChoiceField(
        label=_("Decision it led to"), queryset=Membership.objects.none(), required=False
    )
    led_to_url = forms.URLField(
        label=_("Other record it led to (link)"), max_length=500, required=False, assume_scheme="https"
    )
    on_public_page = forms.BooleanField(label=_("Show on “You said, we did”"), required=False)
    public_summary = forms.CharField(
        label=_("What was said, in one sentence for the public page"),
        max_length=300,
        required=False,
        help_text=_("Write it in your words; the person's own text is never published."),
    )

    def __init__(self, *args: Any, coalition: Coalition, **kwargs: Any) -> None:
        from coalition.decisions.models import Poll
        from coalition.joint_action.models import Action

        super().__init__(*args, **kwargs)
        limit_choices(self, "led_to_action", Action.objects.filter(coalition=coalition).order_by("title"))
        limit_choices(self, "led_to_poll", Poll.objects.filter(coalition=coalition).order_by("-pk"))


class SettingsForm(forms.ModelForm[ListeningSettings]):
    class Meta:
        model = ListeningSettings
        fields = ["public_form_open", "min_answers"]


class RoundForm(forms.ModelForm[SurveyRound]):
    bank_keys = forms.MultipleChoiceField(
        label=_("Questions from the bank"),
        choices=[(q.key, q.text) for q in bank.BANK],
        initial=[q.key for q in bank.BANK],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = SurveyRound
        fields = ["title", "is_anonymous", "opens_on", "closes_on"]
        widgets = {
            "opens_on": forms.DateInput(attrs={"type": "date"}),
            "closes_on": forms.DateInput(attrs={"type": "date"}),
        }


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Question"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=QuestionKind.choices)
    choices = forms.CharField(
        label=_("Choices, one a line"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For one-choice and several-choice questions."),
    )

    def choice_list(self) -> list[str]:
        return [line for line in self.cleaned_data["choices"].splitlines() if line.strip()]


def answer_form_class(questions: list[SurveyQuestion]) -> type[forms.Form]:
    """A form with one field per question of a round, named by the question's name."""
    fields: dict[str, forms.Field] = {}
    scale = [(str(k), label) for k, label in bank.SCALE_LABELS.items()]
    for question in questions:
        if question.kind == QuestionKind.SCALE:
            fields[question.name] = forms.ChoiceField(label=question.text, choices=scale, widget=forms.RadioSelect)
        elif question.kind == QuestionKind.SINGLE:
            fields[question.name] = forms.ChoiceField(
                label=question.text, choices=[tuple(c) for c in question.choices], widget=forms.RadioSelect
            )
        elif question.kind == QuestionKind.MULTIPLE:
            fields[question.name] = forms.MultipleChoiceField(
                label=question.text,
                choices=[tuple(c) for c in question.choices],
                widget=forms.CheckboxSelectMultiple,
                required=False,
            )
        else:
            fields[question.name] = forms.CharField(
                label=question.text, required=False, max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 3})
            )
    return type("AnswerForm", (forms.Form,), fields)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Collected answers (CSV)"))
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)
