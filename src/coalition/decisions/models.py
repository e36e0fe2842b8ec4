"""Polls, their options, who took part and what was voted.

Who voted (``Participation``) and what was voted (``Ballot``) live in separate tables. For an anonymous poll
nothing links them: a ballot has a random UUID, no timestamp, no voter, and the ballots of a poll are
reshuffled among their rows at every new ballot, so neither ids, row order nor the database's physical order
tell who cast which. A participation keeps the day only.
"""

from __future__ import annotations

import uuid
from fractions import Fraction

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coalition.core.models import TimeStampedModel


class Kind(models.TextChoices):
    CONSENT = "consent", _("Consent (a reasoned objection blocks)")
    CONSENSUS = "consensus", _("Consensus check (agree, stand aside, block)")
    MAJORITY = "majority", _("Majority vote")
    APPROVAL = "approval", _("Approval (choose up to N)")
    RANKED = "ranked", _("Ranked choice (instant runoff)")
    STV = "stv", _("Single transferable vote (several seats)")
    SCORE = "score", _("Score from 0 to 5")
    POINTS = "points", _("Allocation of points (dot vote)")
    TIME = "time", _("Time poll (find a slot)")


# Kinds whose ballot picks among options (the others answer one proposal).
OPTION_KINDS = frozenset({Kind.APPROVAL, Kind.RANKED, Kind.STV, Kind.SCORE, Kind.POINTS, Kind.TIME})
RANKED_KINDS = frozenset({Kind.RANKED, Kind.STV})


class Electorate(models.TextChoices):
    PEOPLE = "people", _("All members, one vote per person")
    ORGANISATIONS = "organisations", _("All members, one vote per member organisation")
    WORKING_GROUP = "working_group", _("A working group")
    STEERING = "steering", _("The steering committee")


class MajorityRule(models.TextChoices):
    SIMPLE = "simple", _("More than half of the votes cast")
    ABSOLUTE = "absolute", _("More than half of the electorate")
    TWO_THIRDS = "two_thirds", _("At least two thirds of the votes cast")
    TWO_THIRDS_ELECTORATE = "two_thirds_electorate", _("At least two thirds of the electorate")
    THREE_QUARTERS = "three_quarters", _("At least three quarters of the votes cast")


# rule -> (threshold, strictly more than it, share of the electorate rather than of the votes cast)
MAJORITY_THRESHOLDS: dict[str, tuple[Fraction, bool, bool]] = {
    MajorityRule.SIMPLE: (Fraction(1, 2), True, False),
    MajorityRule.ABSOLUTE: (Fraction(1, 2), True, True),
    MajorityRule.TWO_THIRDS: (Fraction(2, 3), False, False),
    MajorityRule.TWO_THIRDS_ELECTORATE: (Fraction(2, 3), False, True),
    MajorityRule.THREE_QUARTERS: (Fraction(3, 4), False, False),
}


class Reasons(models.TextChoices):
    OPTIONAL = "optional", _("Reasons optional (always asked for an objection or a block)")
    REQUIRED = "required", _("Every vote gives a reason")


class DecisionSettings(models.Model):
    """A coalition's rules for its polls (one row, made when first changed)."""

    coalition = models.OneToOneField("coalitions.Coalition", on_delete=models.CASCADE, related_name="decision_settings")
    facilitator_may_vote = models.BooleanField(
        _("facilitators may vote"),
        default=False,
        help_text=_("Facilitators stay neutral and do not vote unless the coalition decides otherwise."),
    )

    def __str__(self) -> str:
        return f"decision settings of {self.coalition_id}"


POLL_FIELDS = (
    "title",
    "details",
    "kind",
    "electorate",
    "working_group",
    "quorum_percent",
    "majority_rule",
    "max_choices",
    "seats",
    "budget",
    "opens_at",
    "closes_at",
    "is_anonymous",
    "reasons",
)
OUTCOME_FIELDS = ("outcome_statement", "outcome_reasoning", "next_steps", "review_on")


class Poll(TimeStampedModel):
    coalition = models.ForeignKey("coalitions.Coalition", on_delete=models.CASCADE, related_name="polls")
    title = models.CharField(_("title"), max_length=200)
    details = models.TextField(_("proposal or question"), blank=True, max_length=10000)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    electorate = models.CharField(_("who votes"), max_length=20, choices=Electorate.choices, default=Electorate.PEOPLE)
    working_group = models.ForeignKey(
        "coalitions.WorkingGroup",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="polls",
        verbose_name=_("working group"),
    )
    quorum_percent = models.PositiveSmallIntegerField(
        # xgettext:no-python-format
        _("quorum (% of the electorate)"),
        default=0,
        validators=[MaxValueValidator(100)],
    )
    majority_rule = models.CharField(
        _("majority needed"), max_length=30, choices=MajorityRule.choices, default=MajorityRule.SIMPLE
    )
    max_choices = models.PositiveSmallIntegerField(
        _("choices allowed (approval)"), default=1, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    seats = models.PositiveSmallIntegerField(
        _("seats to fill (STV)"), default=1, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    budget = models.PositiveSmallIntegerField(
        _("points per voter (dot vote)"), default=10, validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    is_anonymous = models.BooleanField(_("anonymous ballots"), default=False)
    reasons = models.CharField(_("reasons"), max_length=10, choices=Reasons.choices, default=Reasons.OPTIONAL)
    amends = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="amendments", verbose_name=_("amends")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    # Filled when the poll closes: nothing of the count exists before.
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    electorate_size = models.PositiveIntegerField(null=True, blank=True)
    turnout = models.PositiveIntegerField(null=True, blank=True)
    quorum_met = models.BooleanField(null=True, blank=True)
    result = models.JSONField(null=True, blank=True)
    # The outcome the facilitator records after closing.
    outcome_statement = models.TextField(_("what was decided"), blank=True, max_length=10000)
    outcome_reasoning = models.TextField(_("why"), blank=True, max_length=10000)
    next_steps = models.TextField(_("next steps"), blank=True, max_length=10000)
    review_on = models.DateField(_("review on"), null=True, blank=True)
    outcome_recorded_at = models.DateTimeField(null=True, blank=True)
    actions = models.ManyToManyField(
        "joint_action.Action", blank=True, related_name="decisions", verbose_name=_("linked actions")
    )

    class Meta:
        ordering = ["-closes_at", "-pk"]
        indexes = [models.Index(fields=["coalition", "closed_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="poll_closes_after")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def quorum_share(self) -> Fraction:
        return Fraction(self.quorum_percent, 100)


class Option(models.Model):
    """A choice, candidate or time slot of a poll, in the order shown (the order ties are broken by)."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="options")
    label = models.CharField(_("label"), max_length=200)
    position = models.PositiveSmallIntegerField(default=0)
    starts_at = models.DateTimeField(_("starts at"), null=True, blank=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["poll", "position"], name="option_position_unique")]

    def __str__(self) -> str:
        return self.label


class Participation(models.Model):
    """That someone took part in a poll (never what they voted). ``voter_key`` is the person or, for a poll of
    one vote per organisation, the organisation: the unique constraint is what makes it one vote each."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="participations")
    membership = models.ForeignKey("coalitions.Membership", on_delete=models.CASCADE, related_name="participations")
    voter_key = models.CharField(max_length=40)
    voted_on = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["poll", "voter_key"], name="one_vote_per_voter")]

    def __str__(self) -> str:
        return f"{self.voter_key} in {self.poll_id}"


class Ballot(models.Model):
    """What was voted. In an anonymous poll ``participation`` and ``cast_at`` stay empty and the contents are
    shuffled among the poll's rows; in a named poll a change adds a ballot and keeps the earlier one as history."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="ballots")
    choice = models.JSONField()
    reason = models.TextField(blank=True, max_length=5000)
    participation = models.ForeignKey(
        Participation, on_delete=models.CASCADE, null=True, blank=True, related_name="ballots"
    )
    cast_at = models.DateTimeField(null=True, blank=True)
    is_current = models.BooleanField(default=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["participation"], condition=Q(is_current=True), name="one_current_ballot_per_participation"
            )
        ]

    def __str__(self) -> str:
        return f"ballot {self.id}"


class Recusal(models.Model):
    """A declared conflict of interest: the person does not vote in this poll, and everyone sees why."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="recusals")
    membership = models.ForeignKey("coalitions.Membership", on_delete=models.CASCADE, related_name="recusals")
    reason = models.CharField(_("conflict of interest"), max_length=500)
    declared_on = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["poll", "membership"], name="one_recusal_per_member")]

    def __str__(self) -> str:
        return f"recusal of {self.membership_id} in {self.poll_id}"
