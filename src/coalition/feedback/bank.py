"""The built-in question bank, in our own words: what a coalition asks its members each round.

Each scale question that feeds a cohesion indicator names it: ``feedback.<key>`` is registered as a computed
figure (``FeedbackConfig.ready``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from coalition.feedback.models import QuestionKind


@dataclass(frozen=True)
class BankQuestion:
    key: str
    text: Promise
    kind: str
    label: Promise  # the indicator's name, for scale questions
    choices: tuple[tuple[str, Promise], ...] = field(default_factory=tuple)


VALUE_KINDS: tuple[tuple[str, Promise], ...] = (
    ("learning", _("Learning and skills")),
    ("networking", _("Contacts and relationships")),
    ("influence", _("A stronger voice with decision makers")),
    ("funding", _("Money or other resources")),
    ("data", _("Data and evidence")),
)

BANK: tuple[BankQuestion, ...] = (
    BankQuestion(
        "satisfaction",
        _("All things considered, how happy are you with the coalition?"),
        QuestionKind.SCALE,
        _("Member satisfaction"),
    ),
    BankQuestion(
        "likely_to_stay",
        _("How likely is it that you will still be taking part a year from now?"),
        QuestionKind.SCALE,
        _("Likelihood to stay"),
    ),
    BankQuestion(
        "perceived_progress",
        _("How far has the coalition moved towards the purpose we share?"),
        QuestionKind.SCALE,
        _("Perceived progress"),
    ),
    BankQuestion(
        "well_managed",
        _("How well is the coalition organised and run?"),
        QuestionKind.SCALE,
        _("Coalition well managed"),
    ),
    BankQuestion(
        "trust_members",
        _("How far can you count on the other members to keep their word?"),
        QuestionKind.SCALE,
        _("Trust in other members"),
    ),
    BankQuestion(
        "trust_hub",
        _("How far can you count on the hub to treat every member fairly?"),
        QuestionKind.SCALE,
        _("Trust in the hub"),
    ),
    BankQuestion(
        "value_received",
        _("How much does taking part give you or your organisation?"),
        QuestionKind.SCALE,
        _("Value received"),
    ),
    BankQuestion(
        "value_kinds",
        _("What has taking part given you? Tick all that apply."),
        QuestionKind.MULTIPLE,
        _("Kinds of value received"),
        VALUE_KINDS,
    ),
    BankQuestion("comment", _("Is there anything else the hub should hear?"), QuestionKind.TEXT, _("Comments")),
)

BY_KEY = {question.key: question for question in BANK}
SCALE_KEYS = tuple(q.key for q in BANK if q.kind == QuestionKind.SCALE)
SCALE_LABELS = {
    1: _("1 – not at all"),
    2: _("2"),
    3: _("3 – somewhat"),
    4: _("4"),
    5: _("5 – completely"),
}
