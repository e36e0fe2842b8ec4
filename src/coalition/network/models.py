"""Relationship mapping: survey rounds, the actors in each round, respondents (reached by a personal
link, with recorded consent) and their answers about each other actor.

Answers exist only while their respondent consents: declining or withdrawing deletes them, and the
respondent's actor is then left out of every graph, metric and export (see ``network.queries``).
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coalition.core.models import TimeStampedModel
from coalition.stakeholders.models import Sector

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise


class RelationType(models.TextChoices):
    INFORMATION = "information", _("Information sharing")
    COOPERATION = "cooperation", _("Cooperation on activities")
    RESOURCES = "resources", _("Money, resources or services")
    PROBLEM_SOLVING = "problem_solving", _("Joint problem solving")


class Frequency(models.IntegerChoices):
    RARELY = 1, _("Once or twice a year")
    QUARTERLY = 2, _("Every few months")
    MONTHLY = 3, _("About monthly")
    WEEKLY = 4, _("Weekly or more")


class Scale(models.IntegerChoices):
    """The labelled 1–4 scale used for every trust and value rating."""

    NOT_AT_ALL = 1, _("1 · Not at all")
    A_LITTLE = 2, _("2 · A little")
    FAIRLY = 3, _("3 · Fairly")
    VERY = 4, _("4 · Very much")


TRUST_ITEMS = (
    ("trust_open", _("Open to discussion"), _("Willing to talk things through and hear other views.")),
    ("trust_reliable", _("Reliable"), _("Does what it says it will do.")),
    ("trust_mission", _("Supports the shared mission"), _("Acts for the coalition's purpose, not only its own.")),
)
VALUE_ITEMS = (
    ("value_power", _("Power and influence"), _("Can move decisions on the issue.")),
    ("value_involvement", _("Level of involvement"), _("Takes an active part in the work.")),
    ("value_resources", _("Resources contributed"), _("Brings money, time, skills, data or space.")),
)
RATING_FIELDS = tuple(name for name, _label, _help in TRUST_ITEMS + VALUE_ITEMS)
SCALE_MAX = 4


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class SurveyRound(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Being prepared")
        OPEN = "open", _("Open for answers")
        CLOSED = "closed", _("Closed")

    coalition = models.ForeignKey("coalitions.Coalition", on_delete=models.CASCADE, related_name="network_rounds")
    name = models.CharField(_("name"), max_length=200, help_text=_("For example “Baseline, March”."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    hub_sees_answers = models.BooleanField(
        _("the hub may read individual answers"),
        default=False,
        help_text=_(
            "If unticked, nobody can read who said what about whom; everyone sees only the combined network. "
            "Respondents are told which applies before they consent."
        ),
    )
    hub_organisation = models.ForeignKey(
        "stakeholders.Stakeholder",
        verbose_name=_("hub organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Its centrality is followed over time: a healthy coalition depends less on its hub."),
    )
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # Bumped whenever the answers change, so cached layouts and metrics are recomputed.
    data_version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["coalition", "name"], name="network_round_name_unique")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Actor(models.Model):
    """One node of a round: a stakeholder from the map, or an organisation a respondent added."""

    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="actors")
    coalition = models.ForeignKey("coalitions.Coalition", on_delete=models.CASCADE, related_name="+")
    stakeholder = models.ForeignKey(
        "stakeholders.Stakeholder", null=True, blank=True, on_delete=models.CASCADE, related_name="network_actors"
    )
    name = models.CharField(_("name"), max_length=200)
    sector = models.CharField(_("sector"), max_length=30, choices=Sector.choices)
    is_organisation = models.BooleanField(default=True)
    is_member = models.BooleanField(_("member of the coalition"), default=False)
    # Set when a respondent added this actor; deleting (withdrawing) the respondent removes it too.
    added_by = models.ForeignKey(
        "Respondent", null=True, blank=True, on_delete=models.CASCADE, related_name="added_actors"
    )
    number = models.PositiveIntegerField(_("number in this round"))

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "stakeholder"], condition=Q(stakeholder__isnull=False), name="network_actor_once"
            ),
            models.UniqueConstraint(fields=["round", "number"], name="network_actor_number_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Respondent(TimeStampedModel):
    """A personal invitation to answer for one actor. Only a hash of the link's token is stored."""

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        CONSENTED = "consented", _("Consented")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="respondents")
    coalition = models.ForeignKey("coalitions.Coalition", on_delete=models.CASCADE, related_name="+")
    actor = models.OneToOneField(Actor, on_delete=models.CASCADE, related_name="respondent")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.INVITED)
    agrees_to_be_named = models.BooleanField(_("agrees to be named to members"), default=False)
    consented_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["actor__number"]

    def __str__(self) -> str:
        return str(self.actor)

    @property
    def has_opted_out(self) -> bool:
        return self.status in (self.Status.DECLINED, self.Status.WITHDRAWN)


def _rating(label: _StrOrPromise) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        label, null=True, blank=True, choices=Scale.choices, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )


class Answer(models.Model):
    """What one respondent said about one other actor in the round."""

    respondent = models.ForeignKey(Respondent, on_delete=models.CASCADE, related_name="answers")
    target = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="answers_about")
    information = models.BooleanField(RelationType.INFORMATION.label, default=False)
    cooperation = models.BooleanField(RelationType.COOPERATION.label, default=False)
    resources = models.BooleanField(RelationType.RESOURCES.label, default=False)
    problem_solving = models.BooleanField(RelationType.PROBLEM_SOLVING.label, default=False)
    frequency = models.PositiveSmallIntegerField(_("how often"), null=True, blank=True, choices=Frequency.choices)
    trust_open = _rating(TRUST_ITEMS[0][1])
    trust_reliable = _rating(TRUST_ITEMS[1][1])
    trust_mission = _rating(TRUST_ITEMS[2][1])
    value_power = _rating(VALUE_ITEMS[0][1])
    value_involvement = _rating(VALUE_ITEMS[1][1])
    value_resources = _rating(VALUE_ITEMS[2][1])

    class Meta:
        constraints = [models.UniqueConstraint(fields=["respondent", "target"], name="network_answer_once")]

    def __str__(self) -> str:
        return f"{self.respondent} → {self.target}"

    @property
    def types(self) -> list[str]:
        return [t for t in RelationType.values if getattr(self, t)]
