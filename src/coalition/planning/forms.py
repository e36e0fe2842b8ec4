"""Forms for co-design screens. Choices are always limited to the coalition being viewed."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from coalition.coalitions.models import Coalition
from coalition.core.fields import IdChoiceField, IdMultipleChoiceField, ModelForm
from coalition.core.forms import limit_choices
from coalition.measurement.models import Indicator
from coalition.planning import queries
from coalition.planning.models import AgendaVersion, Asset, DotVote, Priority, ProblemNode
from coalition.stakeholders.models import Stakeholder


def _stakeholders(coalition: Coalition) -> Any:
    return Stakeholder.objects.filter(coalition=coalition, is_archived=False).order_by("name")


class AssessmentForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    key_findings = forms.CharField(label=_("Key findings"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    challenges = forms.CharField(label=_("Challenges"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    opportunities = forms.CharField(label=_("Opportunities"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    stakeholders = IdMultipleChoiceField(
        label=_("Stakeholders consulted"),
        queryset=Stakeholder.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("From the stakeholder map."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, coalition: Coalition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "stakeholders", _stakeholders(coalition))


class AssetForm(ModelForm):
    class Meta:
        model = Asset
        fields = ["name", "kind", "owner", "place", "who_may_use", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, coalition: Coalition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "owner", _stakeholders(coalition))


class NodeTextForm(forms.Form):
    text = forms.CharField(label=_("Statement"), max_length=300)
    evidence = forms.CharField(
        label=_("Evidence"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What shows this is true: a figure, a survey result, a quote."),
    )
    evidence_url = forms.URLField(label=_("Evidence link"), required=False, assume_scheme="https")


class AddNodeForm(NodeTextForm):
    parent = IdChoiceField(label=_("Under"), queryset=ProblemNode.objects.none())
    kind = forms.ChoiceField(
        label=_("This is a"),
        choices=[(ProblemNode.Kind.CAUSE, _("Cause")), (ProblemNode.Kind.EFFECT, _("Effect"))],
        widget=forms.RadioSelect,
        help_text=_("Under a cause only causes fit, under an effect only effects."),
    )
    field_order = ["kind", "parent", "text", "evidence", "evidence_url"]

    def __init__(self, *args: Any, coalition: Coalition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "parent", queries.live_nodes(coalition), label=_node_label)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        parent, kind = data.get("parent"), data.get("kind")
        if parent and kind and parent.kind not in (ProblemNode.Kind.CORE, kind):
            self.add_error("parent", _("A cause goes under the core problem or another cause; an effect likewise."))
        return data


def _node_label(node: ProblemNode) -> str:
    return f"{node.get_kind_display()}: {node.text}"


class MoveNodeForm(forms.Form):
    parent = IdChoiceField(label=_("Move under"), queryset=ProblemNode.objects.none())

    def __init__(self, *args: Any, node: ProblemNode, targets: Iterable[ProblemNode], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "parent", ProblemNode.objects.filter(pk__in=[t.pk for t in targets]), label=_node_label)


class MergeNodeForm(forms.Form):
    into = IdChoiceField(
        label=_("Merge into"),
        queryset=ProblemNode.objects.none(),
        help_text=_("The other box keeps its wording; this box's evidence and branches move to it."),
    )

    def __init__(self, *args: Any, node: ProblemNode, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(
            self,
            "into",
            queries.live_nodes(node.coalition).filter(kind=node.kind).exclude(pk=node.pk).order_by("text"),
            label=_node_label,
        )


class PriorityForm(forms.Form):
    title = forms.CharField(label=_("Priority"), max_length=200)
    description = forms.CharField(label=_("Why it matters"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    problem_node = IdChoiceField(label=_("Which cause it tackles"), queryset=ProblemNode.objects.none(), required=False)

    def __init__(self, *args: Any, coalition: Coalition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.coalition = coalition
        limit_choices(self, "problem_node", queries.live_nodes(coalition).filter(kind=ProblemNode.Kind.CAUSE))

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        if Priority.objects.filter(coalition=self.coalition, title__iexact=title).exists():
            raise forms.ValidationError(_("This priority has already been proposed."))
        return title


class OpenVoteForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, initial=_("Rank our priorities"))
    budget = forms.IntegerField(label=_("Dots per member"), min_value=1, max_value=50, initial=3)
    priorities = IdMultipleChoiceField(
        label=_("Priorities on the ballot"), queryset=Priority.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    codesign_group_only = forms.BooleanField(
        label=_("Only the co-design group votes"),
        required=False,
        help_text=_("Otherwise every member who may vote on priorities takes part."),
    )
    closes_at = forms.DateTimeField(
        label=_("Closes at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Optional. No dots are taken after this time, and the vote closes by itself."),
    )

    def __init__(self, *args: Any, coalition: Coalition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        qs = Priority.objects.filter(coalition=coalition).exclude(status=Priority.Status.SET_ASIDE)
        limit_choices(self, "priorities", qs)
        self.fields["priorities"].initial = list(qs.values_list("pk", flat=True))

    def clean_priorities(self) -> Any:
        priorities = self.cleaned_data["priorities"]
        if len(priorities) < 2:
            raise forms.ValidationError(_("Put at least two priorities on the ballot."))
        return priorities


class DotsForm(forms.Form):
    """One number field per priority on the ballot; the total must fit the budget."""

    def __init__(self, *args: Any, vote: DotVote, initial_dots: dict[int, int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.vote = vote
        for priority in vote.priorities.order_by("title"):
            self.fields[f"p{priority.pk}"] = forms.IntegerField(
                label=priority.title,
                min_value=0,
                max_value=vote.budget,
                initial=initial_dots.get(priority.pk, 0),
                required=False,
            )

    def allocation(self) -> dict[int, int]:
        return {int(name[1:]): value or 0 for name, value in self.cleaned_data.items()}

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        spent = sum(value or 0 for value in data.values())
        if spent > self.vote.budget:
            raise forms.ValidationError(
                _("You placed %(spent)d dots but have only %(budget)d.") % {"spent": spent, "budget": self.vote.budget}
            )
        return data


def _shared_indicators(coalition: Coalition) -> Any:
    return Indicator.objects.filter(coalition=coalition, is_shared=True)


class DecidePriorityForm(forms.Form):
    status = forms.ChoiceField(label=_("Decision"), choices=Priority.Status.choices, widget=forms.RadioSelect)
    indicators = IdMultipleChoiceField(
        label=_("Shared indicators that track it"),
        queryset=Indicator.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only for chosen priorities."),
    )

    def __init__(self, *args: Any, coalition: Coalition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "indicators", _shared_indicators(coalition))


class AgendaForm(ModelForm):
    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = AgendaVersion
        fields = [
            "problem_statement",
            "vision",
            "priorities",
            "indicators",
            "coordinator",
            "decision_rules",
            "meeting_rhythm",
            "charter_text",
            "participation_expectations",
            "change_note",
        ]
        widgets = {
            "problem_statement": forms.Textarea(attrs={"rows": 3}),
            "vision": forms.Textarea(attrs={"rows": 3}),
            "decision_rules": forms.Textarea(attrs={"rows": 3}),
            "charter_text": forms.Textarea(attrs={"rows": 8}),
            "participation_expectations": forms.Textarea(attrs={"rows": 3}),
            "priorities": forms.CheckboxSelectMultiple,
            "indicators": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "decision_rules": _("For example: consent in meetings, majority vote when consent fails, quorum of half."),
            "meeting_rhythm": _("For example: every second Tuesday, 17:00–18:30."),
            "participation_expectations": _(
                "For example: attend at least two of three meetings, report data quarterly."
            ),
            "change_note": _("Shown to members when they are asked to sign the new version."),
        }

    def __init__(self, *args: Any, coalition: Coalition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(
            self, "priorities", Priority.objects.filter(coalition=coalition).exclude(status=Priority.Status.SET_ASIDE)
        )
        limit_choices(self, "indicators", _shared_indicators(coalition))
        limit_choices(
            self,
            "coordinator",
            queries.active_members(coalition),
            label=lambda m: f"{m.display_name} — {m.organisation}" if m.organisation else m.display_name,
        )
