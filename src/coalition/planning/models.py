"""Co-design records: the rapid assessment and asset map, the problem tree, priorities ranked by dot
voting, and the versioned common agenda and charter with its signatures."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from coalition.core.models import TimeStampedModel

# --- Rapid assessment and asset map -------------------------------------------------------------


class Assessment(TimeStampedModel):
    """The one-day rapid assessment worksheet of a coalition (guide step 1, first 30 days)."""

    coalition = models.OneToOneField("coalitions.Coalition", on_delete=models.CASCADE, related_name="assessment")
    held_on = models.DateField(_("held on"), null=True, blank=True)
    key_findings = models.TextField(_("key findings"), blank=True)
    challenges = models.TextField(_("challenges"), blank=True)
    opportunities = models.TextField(_("opportunities"), blank=True)
    stakeholders = models.ManyToManyField(
        "stakeholders.Stakeholder",
        blank=True,
        related_name="assessments",
        verbose_name=_("stakeholders consulted"),
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    def __str__(self) -> str:
        return f"{self.coalition} assessment"


class Asset(TimeStampedModel):
    """Something in the community the coalition can build on: a library, a clinic, a hall, volunteers."""

    class Kind(models.TextChoices):
        LIBRARY = "library", _("Library")
        SCHOOL = "school", _("School")
        CLINIC = "clinic", _("Clinic or health centre")
        MEETING_SPACE = "meeting_space", _("Meeting space")
        VOLUNTEER_GROUP = "volunteer_group", _("Volunteer group")
        PARK = "park", _("Park or sports ground")
        FAITH_BUILDING = "faith_building", _("Faith building")
        COMMUNITY_CENTRE = "community_centre", _("Community centre")
        TRANSPORT = "transport", _("Transport")
        FUNDING = "funding", _("Funding source")
        OTHER = "other", _("Other")

    coalition = models.ForeignKey("coalitions.Coalition", on_delete=models.CASCADE, related_name="assets")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    owner = models.ForeignKey(
        "stakeholders.Stakeholder",
        verbose_name=_("owner or keeper"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="planning_assets",
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    who_may_use = models.CharField(
        _("who may use it"), max_length=300, blank=True, help_text=_("For example: any member, residents, by booking.")
    )
    notes = models.TextField(_("notes"), blank=True)
    is_archived = models.BooleanField(_("archived"), default=False)

    class Meta:
        ordering = ["kind", "place", "name"]
        indexes = [models.Index(fields=["coalition", "kind"])]

    def __str__(self) -> str:
        return self.name


# --- Problem tree ---------------------------------------------------------------------------------


class ProblemNode(TimeStampedModel):
    """One box of the problem tree: the core problem, or a cause (below) or an effect (above) of it.

    Causes hang under the core problem or under another cause; effects likewise on the other side.
    Merged and removed nodes are archived, never deleted.
    """

    class Kind(models.TextChoices):
        CORE = "core", _("Core problem")
        CAUSE = "cause", _("Cause")
        EFFECT = "effect", _("Effect")

    coalition = models.ForeignKey("coalitions.Coalition", on_delete=models.CASCADE, related_name="problem_nodes")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("under")
    )
    text = models.CharField(_("statement"), max_length=300)
    evidence = models.TextField(_("evidence"), blank=True, help_text=_("What shows this is true: data, a quote."))
    evidence_url = models.URLField(_("evidence link"), blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_from", editable=False
    )
    is_archived = models.BooleanField(_("archived"), default=False)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["coalition"],
                condition=Q(kind="core", is_archived=False),
                name="one_core_problem_per_coalition",
            ),
            models.CheckConstraint(
                condition=Q(kind="core", parent__isnull=True) | (~Q(kind="core") & Q(parent__isnull=False)),
                name="problem_node_parent_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.text


# --- Priorities and dot voting --------------------------------------------------------------------


class Priority(TimeStampedModel):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        CHOSEN = "chosen", _("Chosen")
        SET_ASIDE = "set_aside", _("Set aside")

    coalition = models.ForeignKey("coalitions.Coalition", on_delete=models.CASCADE, related_name="priorities")
    title = models.CharField(_("priority"), max_length=200)
    description = models.TextField(_("why it matters"), blank=True)
    problem_node = models.ForeignKey(
        ProblemNode,
        verbose_name=_("addresses"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="priorities",
        help_text=_("The cause in the problem tree this priority tackles."),
    )
    proposed_by = models.ForeignKey(
        "coalitions.Membership", null=True, on_delete=models.SET_NULL, related_name="proposed_priorities"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PROPOSED)
    indicators = models.ManyToManyField(
        "measurement.Indicator",
        blank=True,
        related_name="priorities",
        verbose_name=_("shared indicators"),
        help_text=_("How the coalition will know this priority is moving."),
    )

    class Meta:
        ordering = ["title"]
        verbose_name_plural = _("priorities")
        constraints = [models.UniqueConstraint(fields=["coalition", "title"], name="priority_title_unique")]

    def __str__(self) -> str:
        return self.title


class DotVote(TimeStampedModel):
    """A round of dot voting: each eligible member spends up to ``budget`` dots across the ballot."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    coalition = models.ForeignKey("coalitions.Coalition", on_delete=models.CASCADE, related_name="dot_votes")
    title = models.CharField(_("title"), max_length=200)
    budget = models.PositiveSmallIntegerField(_("dots per member"))
    codesign_group_only = models.BooleanField(
        _("only the co-design group votes"),
        default=False,
        help_text=_("Otherwise every member who may vote on priorities takes part."),
    )
    priorities = models.ManyToManyField(Priority, related_name="dot_votes", verbose_name=_("priorities on the ballot"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_by = models.ForeignKey(
        "coalitions.Membership", null=True, on_delete=models.SET_NULL, related_name="opened_dot_votes"
    )
    closes_at = models.DateTimeField(
        _("closes at"), null=True, blank=True, help_text=_("Optional. No dots are taken after this time.")
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    result = models.JSONField(_("result"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(budget__gte=1) & Q(budget__lte=50), name="dot_vote_budget_range"),
            models.UniqueConstraint(
                fields=["coalition"], condition=Q(status="open"), name="one_open_dot_vote_per_coalition"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def takes_ballots(self, now: dt.datetime) -> bool:
        """Open, and its closing time (if any) not reached."""
        return self.status == self.Status.OPEN and (self.closes_at is None or now < self.closes_at)


class Ballot(models.Model):
    """One voter's dots in one vote. ``dots_spent`` never exceeds ``budget`` (checked by the database)."""

    vote = models.ForeignKey(DotVote, on_delete=models.CASCADE, related_name="ballots")
    voter = models.ForeignKey("coalitions.Membership", on_delete=models.PROTECT, related_name="ballots")
    budget = models.PositiveSmallIntegerField()
    dots_spent = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["vote", "voter"], name="one_ballot_per_voter"),
            models.CheckConstraint(condition=Q(dots_spent__lte=F("budget")), name="ballot_within_budget"),
        ]

    def __str__(self) -> str:
        return f"{self.voter} in {self.vote}"


class BallotDot(models.Model):
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="dots")
    priority = models.ForeignKey(Priority, on_delete=models.PROTECT, related_name="ballot_dots")
    dots = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ballot", "priority"], name="one_row_per_ballot_priority"),
            models.CheckConstraint(condition=Q(dots__gte=1), name="ballot_dot_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.dots} × {self.priority}"


# --- Common agenda and charter --------------------------------------------------------------------


class AgendaVersion(TimeStampedModel):
    """A version of the common agenda and charter. At most one draft per coalition; a published
    version is frozen (``frozen`` keeps the names of priorities, indicators and coordinator as they were)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    coalition = models.ForeignKey("coalitions.Coalition", on_delete=models.CASCADE, related_name="agenda_versions")
    number = models.PositiveIntegerField(_("version"), null=True, blank=True, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    problem_statement = models.TextField(_("shared problem statement"), blank=True)
    vision = models.TextField(_("vision"), blank=True)
    priorities = models.ManyToManyField(
        Priority, blank=True, related_name="agenda_versions", verbose_name=_("priorities")
    )
    indicators = models.ManyToManyField(
        "measurement.Indicator", blank=True, related_name="agenda_versions", verbose_name=_("shared indicators")
    )
    coordinator = models.ForeignKey(
        "coalitions.Membership",
        verbose_name=_("named coordinator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="coordinated_agendas",
    )
    decision_rules = models.TextField(_("decision rules"), blank=True)
    meeting_rhythm = models.CharField(_("meeting rhythm"), max_length=200, blank=True)
    charter_text = models.TextField(_("charter / by-laws"), blank=True)
    participation_expectations = models.TextField(_("minimum participation expected of members"), blank=True)
    change_note = models.CharField(_("what changed"), max_length=300, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        "coalitions.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    frozen = models.JSONField(null=True, blank=True, editable=False)
    lock_version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-number", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["coalition"], condition=Q(status="draft"), name="one_agenda_draft_per_coalition"
            ),
            models.UniqueConstraint(fields=["coalition", "number"], name="agenda_version_number_unique"),
            models.CheckConstraint(
                condition=Q(status="draft", number__isnull=True) | Q(status="published", number__isnull=False),
                name="published_agenda_has_number",
            ),
        ]

    def __str__(self) -> str:
        return f"v{self.number}" if self.number else str(_("draft"))


class Signature(models.Model):
    """A member's signature of one published agenda and charter version."""

    version = models.ForeignKey(AgendaVersion, on_delete=models.PROTECT, related_name="signatures")
    membership = models.ForeignKey("coalitions.Membership", on_delete=models.PROTECT, related_name="signatures")
    signed_at = models.DateTimeField(_("signed at"), auto_now_add=True)

    class Meta:
        ordering = ["signed_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["version", "membership"], name="sign_a_version_once")]

    def __str__(self) -> str:
        return f"{self.membership} signed {self.version}"
