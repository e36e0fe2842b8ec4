"""The pooled fund: an append-only ledger, a register of resources members offer, calls for proposals, reviews,
member ballots, awards with their disbursement schedule and progress.

The ledger is append-only: a saved entry refuses to be saved again or deleted, and a correction is a reversing
entry pointing at the one it corrects. Each entry counts towards one ``Bucket`` (pledged, received, granted,
disbursed, in kind, converted) with a signed amount; every balance is the sum of its entries (kept as a running
total per group and bucket, ``LedgerTotal``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from coalition.core.models import TimeStampedModel

CENT = Decimal("0.01")


def to_cents(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


class Fund(TimeStampedModel):
    """A pooled fund of the coalition (or money held by a fiscal sponsor for it)."""

    coalition = models.ForeignKey("coalitions.Coalition", on_delete=models.CASCADE, related_name="funds")
    name = models.CharField(_("name"), max_length=200)
    currency = models.CharField(_("main currency"), max_length=3, help_text=_("ISO code, e.g. EUR, USD, KES."))
    description = models.TextField(_("description"), blank=True, max_length=5000)
    held_by = models.CharField(_("held by"), max_length=200, blank=True, help_text=_("The fiscal sponsor, if any."))

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["coalition", "name"], name="fund_name_unique")]

    def __str__(self) -> str:
        return self.name


FUND_FIELDS = ("name", "currency", "description", "held_by")


class EntryKind(models.TextChoices):
    PLEDGE = "pledge", _("Contribution pledged")
    RECEIPT = "receipt", _("Contribution received")
    IN_KIND = "in_kind", _("In-kind contribution")
    GRANT = "grant", _("Grant out (committed)")
    DISBURSEMENT = "disbursement", _("Disbursement (paid out)")
    CONVERSION = "conversion", _("Currency conversion")
    REVERSAL = "reversal", _("Reversal (correction)")


class Bucket(models.TextChoices):
    """What an entry's amount counts towards (a reversal counts towards its reversed entry's bucket)."""

    PLEDGED = "pledged", _("Pledged")
    RECEIVED = "received", _("Received")
    IN_KIND = "in_kind", _("In kind (estimated)")
    GRANTED = "granted", _("Granted")
    DISBURSED = "disbursed", _("Disbursed")
    CONVERTED = "converted", _("Converted")


KIND_BUCKET: dict[str, str] = {
    EntryKind.PLEDGE: Bucket.PLEDGED,
    EntryKind.RECEIPT: Bucket.RECEIVED,
    EntryKind.IN_KIND: Bucket.IN_KIND,
    EntryKind.GRANT: Bucket.GRANTED,
    EntryKind.DISBURSEMENT: Bucket.DISBURSED,
    EntryKind.CONVERSION: Bucket.CONVERTED,
}
INFLOW_KINDS = frozenset({EntryKind.PLEDGE, EntryKind.RECEIPT, EntryKind.IN_KIND})


class SourceType(models.TextChoices):
    MEMBER = "member", _("Member")
    DONOR = "donor", _("Donor")
    GOVERNMENT = "government", _("Government")
    PRIVATE = "private", _("Private sector")


class Restriction(models.TextChoices):
    UNRESTRICTED = "unrestricted", _("Unrestricted")
    COORDINATION = "coordination", _("Coordination and data")
    PRIORITY = "priority", _("A priority")


class AppendOnlyQuerySet(models.QuerySet["LedgerEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise TypeError("ledger entries are never changed: record a reversing entry")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("ledger entries are never deleted: record a reversing entry")


class LedgerEntry(models.Model):
    """One line of the fund's ledger. ``amount`` is signed within its ``bucket`` (a reversal negates the entry it
    reverses; a conversion is two legs, out of one currency and into another, with the rate and its source)."""

    coalition = models.ForeignKey("coalitions.Coalition", on_delete=models.CASCADE, related_name="+")
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(_("kind"), max_length=14, choices=EntryKind.choices)
    bucket = models.CharField(max_length=10, choices=Bucket.choices, editable=False)
    occurred_on = models.DateField(_("date"))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    # The amount in cents, set on save: sums run over whole numbers, exact on every database (SQLite sums
    # decimals as floating point).
    cents = models.BigIntegerField(editable=False)
    currency = models.CharField(_("currency"), max_length=3)
    restriction = models.CharField(
        _("restriction"), max_length=14, choices=Restriction.choices, default=Restriction.UNRESTRICTED
    )
    priority = models.ForeignKey(
        "planning.Priority",
        verbose_name=_("priority"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source_type = models.CharField(_("source type"), max_length=12, choices=SourceType.choices, blank=True)
    source = models.ForeignKey(
        "stakeholders.Stakeholder",
        verbose_name=_("member"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="fund_entries",
    )
    source_name = models.CharField(_("from / to"), max_length=200, blank=True)
    description = models.CharField(_("description"), max_length=500, blank=True)
    rate = models.DecimalField(_("rate"), max_digits=18, decimal_places=8, null=True, blank=True)
    rate_source = models.CharField(_("rate source"), max_length=200, blank=True)
    pair = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by", verbose_name=_("reverses")
    )
    award = models.ForeignKey("Award", null=True, blank=True, on_delete=models.PROTECT, related_name="entries")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["occurred_on", "id"]
        verbose_name_plural = _("ledger entries")
        indexes = [
            # balances at a date read the entries after it: a date range, covered (also the statement's order; today's
            # balances read the running totals)
            models.Index(
                fields=["coalition", "occurred_on", "fund", "restriction", "priority", "currency", "bucket", "cents"],
                name="ledger_by_date_cover",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(restriction="priority") | Q(priority__isnull=False), name="ledger_priority_restriction"
            ),
            models.CheckConstraint(condition=~Q(kind="reversal") | Q(reverses__isnull=False), name="ledger_reversal"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} {self.currency}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError("ledger entries are never changed: record a reversing entry")
        self.cents = to_cents(Decimal(self.amount))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("ledger entries are never deleted: record a reversing entry")


class LedgerTotal(models.Model):
    """The running total (in cents, and the number of entries) of one balance group and bucket: what the balance
    page reads, and what balances at a date start from. Kept by the
    action that records an entry, in the entry's own transaction (the ledger is append-only, so a total only ever
    has entries added to it); ``actions.do_rebuild_totals`` recomputes them from the entries."""

    coalition = models.ForeignKey("coalitions.Coalition", on_delete=models.CASCADE, related_name="+")
    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="+")
    restriction = models.CharField(max_length=14, choices=Restriction.choices)
    priority = models.ForeignKey("planning.Priority", null=True, on_delete=models.PROTECT, related_name="+")
    currency = models.CharField(max_length=3)
    bucket = models.CharField(max_length=10, choices=Bucket.choices)
    cents = models.BigIntegerField(default=0)
    entries = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["coalition", "fund", "restriction", "priority", "currency", "bucket"],
                condition=Q(priority__isnull=False),
                name="ledger_total_per_priority_group",
            ),
            models.UniqueConstraint(
                fields=["coalition", "fund", "restriction", "currency", "bucket"],
                condition=Q(priority__isnull=True),
                name="ledger_total_per_group",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bucket} {self.currency}: {self.cents}"


ENTRY_FIELDS = (
    "kind",
    "occurred_on",
    "amount",
    "currency",
    "restriction",
    "priority",
    "source_type",
    "source",
    "source_name",
    "description",
)


class ResourceKind(models.TextChoices):
    ROOM = "room", _("Room or venue")
    VEHICLE = "vehicle", _("Vehicle")
    STAFF_TIME = "staff_time", _("Staff time")
    EQUIPMENT = "equipment", _("Equipment")
    OTHER = "other", _("Other")


class Resource(TimeStampedModel):
    """An under-used resource a member offers to the coalition (a room, a vehicle, staff time…)."""

    coalition = models.ForeignKey("coalitions.Coalition", on_delete=models.CASCADE, related_name="+")
    offered_by = models.ForeignKey(
        "stakeholders.Stakeholder", verbose_name=_("offered by"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ResourceKind.choices)
    description = models.CharField(_("what is offered"), max_length=300)
    availability = models.CharField(_("when it is available"), max_length=200, blank=True)
    contact = models.CharField(_("how to ask"), max_length=200, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["kind", "description", "id"]

    def __str__(self) -> str:
        return self.description


RESOURCE_FIELDS = ("offered_by", "kind", "description", "availability", "contact")


class Phase(models.TextChoices):
    DRAFTING = "drafting", _("Drafting")
    OPEN = "open", _("Open for proposals")
    REVIEW = "review", _("Review")
    VOTING = "voting", _("Member choice")
    DECIDED = "decided", _("Decided")
    IMPLEMENTING = "implementing", _("Implementing")
    CLOSED = "closed", _("Closed")


PHASE_ORDER = [p.value for p in Phase]


class Joint(models.TextChoices):
    ALLOWED = "allowed", _("Alone or joint")
    FAVOURED = "favoured", _("Joint proposals favoured")
    REQUIRED = "required", _("Joint proposals required")


class ChoiceStyle(models.TextChoices):
    APPROVAL = "approval", _("Approval (choose up to N)")
    SCORE = "score", _("Score each proposal from 0 to 5")
    WITHIN_BUDGET = "within_budget", _("Within budget (pick a set that fits the money)")


CALL_FIELDS = (
    "title",
    "purpose",
    "fund",
    "restriction",
    "priority",
    "budget",
    "max_per_proposal",
    "joint",
    "matching_percent",
    "choice_style",
    "max_approvals",
    "with_review",
    "criteria",
    "part_funding",
    "opens_on",
    "review_on",
    "voting_on",
    "decision_on",
    "implementation_on",
    "closes_on",
)


# The selection rule a decided call records in ``result["rule"]``: its kind and parameters, worded when shown.
SUPPORT_WITHIN_BUDGET = "support_within_budget"


def selection_rule(*, part_funding: bool) -> dict[str, Any]:
    return {"kind": SUPPORT_WITHIN_BUDGET, "part_funding": part_funding}


def rule_sentence(stored: Any) -> str:
    """The recorded rule in the reader's language. Calls decided before the rule was recorded as data keep the
    English sentence they stored, shown as it is."""
    if isinstance(stored, str):
        return stored
    if not isinstance(stored, dict) or stored.get("kind") != SUPPORT_WITHIN_BUDGET:
        return ""
    if stored.get("part_funding"):
        return gettext(
            "By member support within the budget: proposals in order of support (ties: mean review score, smaller "
            "request, earlier submission), each funded in full if it still fits, skipped if it no longer does; the "
            "first that no longer fits is part-funded with what is left.",
        )
    return gettext(
        "By member support within the budget: proposals in order of support (ties: mean review score, smaller "
        "request, earlier submission), each funded in full if it still fits, skipped if it no longer does."
    )


class Call(TimeStampedModel):
    """A call for proposals on the fund, moving through its phases (each with its planned date)."""

    coalition = models.ForeignKey("coalitions.Coalition", on_delete=models.CASCADE, related_name="funding_calls")
    fund = models.ForeignKey(Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="calls")
    title = models.CharField(_("title"), max_length=200)
    purpose = models.TextField(_("what the call is for"), max_length=5000, blank=True)
    restriction = models.CharField(
        _("money drawn from"), max_length=14, choices=Restriction.choices, default=Restriction.UNRESTRICTED
    )
    priority = models.ForeignKey(
        "planning.Priority",
        verbose_name=_("priority"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    budget = models.DecimalField(
        _("budget"), validators=[MinValueValidator(Decimal("0.01"))], max_digits=14, decimal_places=2
    )
    max_per_proposal = models.DecimalField(
        _("maximum per proposal"),
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
        max_digits=14,
        decimal_places=2,
    )
    joint = models.CharField(_("joint proposals"), max_length=10, choices=Joint.choices, default=Joint.ALLOWED)
    matching_percent = models.PositiveSmallIntegerField(
        _("matching share (%)"),
        default=0,
        validators=[MaxValueValidator(100)],
        help_text=_("The share of a proposal's budget its members bring themselves."),
    )
    choice_style = models.CharField(
        _("how members choose"), max_length=14, choices=ChoiceStyle.choices, default=ChoiceStyle.WITHIN_BUDGET
    )
    max_approvals = models.PositiveSmallIntegerField(
        _("approvals per member"), default=3, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    with_review = models.BooleanField(_("proposals are reviewed"), default=False)
    criteria = models.TextField(_("published review criteria"), blank=True, max_length=5000)
    part_funding = models.BooleanField(_("the last proposal that does not fit may be part-funded"), default=False)
    phase = models.CharField(_("phase"), max_length=12, choices=Phase.choices, default=Phase.DRAFTING)
    opens_on = models.DateField(_("opens on"))
    review_on = models.DateField(_("review from"), null=True, blank=True)
    voting_on = models.DateField(_("member choice from"))
    decision_on = models.DateField(_("decision on"))
    implementation_on = models.DateField(_("implementation from"))
    closes_on = models.DateField(_("closes on"))
    # Filled at the decision: the computed result, and any departure from it with its reason.
    result = models.JSONField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    departure_reason = models.TextField(_("why the hub departs from the result"), blank=True, max_length=5000)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(restriction="priority") | Q(priority__isnull=False), name="call_priority_restriction"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def rule_sentence(self) -> str:
        """The rule the decision used, worded in the reader's language (empty before the decision)."""
        return rule_sentence((self.result or {}).get("rule"))


class PhaseChange(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="phase_changes")
    phase = models.CharField(max_length=12, choices=Phase.choices)
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.call_id} → {self.phase}"


class ProposalStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    FUNDED = "funded", _("Funded")
    PART_FUNDED = "part_funded", _("Part-funded")
    NOT_FUNDED = "not_funded", _("Not funded")


PROPOSAL_FIELDS = ("title", "summary", "own_contribution", "conflicts")


class Proposal(TimeStampedModel):
    """A proposal to a call, from one member organisation alone or with partners."""

    coalition = models.ForeignKey("coalitions.Coalition", on_delete=models.CASCADE, related_name="+")
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="proposals")
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("what you will do"), max_length=3000)
    lead = models.ForeignKey(
        "stakeholders.Stakeholder", verbose_name=_("lead member"), on_delete=models.PROTECT, related_name="+"
    )
    partners = models.ManyToManyField(
        "stakeholders.Stakeholder", verbose_name=_("partners"), blank=True, related_name="+"
    )
    requested = models.DecimalField(_("amount requested"), default=Decimal(0), max_digits=14, decimal_places=2)
    own_contribution = models.DecimalField(
        _("what the partners bring themselves"),
        default=Decimal(0),
        validators=[MinValueValidator(0)],
        max_digits=14,
        decimal_places=2,
    )
    indicators = models.ManyToManyField(
        "measurement.Indicator", verbose_name=_("indicators it will move"), blank=True, related_name="+"
    )
    conflicts = models.TextField(_("conflicts of interest"), blank=True, max_length=2000)
    status = models.CharField(max_length=12, choices=ProposalStatus.choices, default=ProposalStatus.SUBMITTED)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


class BudgetLine(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="lines")
    label = models.CharField(_("budget line"), max_length=200)
    amount = models.DecimalField(
        _("amount"), validators=[MinValueValidator(Decimal("0.01"))], max_digits=14, decimal_places=2
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.label


class Reviewer(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="reviewers")
    membership = models.ForeignKey("coalitions.Membership", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["call", "membership"], name="reviewer_once")]

    def __str__(self) -> str:
        return f"reviewer {self.membership_id} of {self.call_id}"


class Review(TimeStampedModel):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey("coalitions.Membership", on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(_("score (0 to 5)"), validators=[MaxValueValidator(5)])
    reasons = models.TextField(_("reasons"), max_length=3000)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["proposal", "reviewer"], name="one_review_per_reviewer")]

    def __str__(self) -> str:
        return f"review of {self.proposal_id}"


class Conflict(models.Model):
    """A declared conflict of interest: the person neither reviews nor votes on the proposal."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="declared_conflicts")
    membership = models.ForeignKey("coalitions.Membership", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("conflict of interest"), max_length=500)
    declared_on = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["proposal", "membership"], name="one_conflict_per_member")]

    def __str__(self) -> str:
        return f"conflict of {self.membership_id} on {self.proposal_id}"


class CallBallot(models.Model):
    """A member's choice in a call (named: members see aggregates). A change keeps the earlier ballot as history.
    ``choice`` is ``{"proposals": [ids]}`` (approval, within budget) or ``{"scores": {id: 0-5}}``."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="ballots")
    membership = models.ForeignKey("coalitions.Membership", on_delete=models.CASCADE, related_name="+")
    choice = models.JSONField()
    total = models.DecimalField(default=Decimal(0), max_digits=14, decimal_places=2)
    cast_at = models.DateTimeField()
    is_current = models.BooleanField(default=True)

    class Meta:
        ordering = ["cast_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "membership"], condition=Q(is_current=True), name="one_current_call_ballot"
            )
        ]

    def __str__(self) -> str:
        return f"ballot of {self.membership_id} in {self.call_id}"


class AwardStatus(models.TextChoices):
    IMPLEMENTING = "implementing", _("Implementing")
    COMPLETED = "completed", _("Completed")
    STOPPED = "stopped", _("Stopped")


class Award(TimeStampedModel):
    coalition = models.ForeignKey("coalitions.Coalition", on_delete=models.CASCADE, related_name="+")
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="awards")
    proposal = models.OneToOneField(Proposal, on_delete=models.CASCADE, related_name="award")
    amount = models.DecimalField(_("amount awarded"), max_digits=14, decimal_places=2)
    currency = models.CharField(max_length=3)
    reason = models.TextField(_("why"), blank=True, max_length=3000)
    status = models.CharField(_("status"), max_length=12, choices=AwardStatus.choices, default=AwardStatus.IMPLEMENTING)
    spent = models.DecimalField(_("spent so far"), default=Decimal(0), max_digits=14, decimal_places=2)
    action = models.ForeignKey(
        "joint_action.Action",
        verbose_name=_("joint action"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["call", "id"]

    def __str__(self) -> str:
        return f"{self.proposal} ({self.amount} {self.currency})"


class Instalment(models.Model):
    """One step of an award's disbursement schedule; ``paid_entry`` is its disbursement in the ledger."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="instalments")
    due_on = models.DateField(_("due on"))
    amount = models.DecimalField(
        _("amount"), validators=[MinValueValidator(Decimal("0.01"))], max_digits=14, decimal_places=2
    )
    paid_entry = models.OneToOneField(
        LedgerEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="instalment"
    )

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"{self.amount} due {self.due_on}"


class Milestone(models.Model):
    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=200)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.title


class ProgressReport(models.Model):
    """A short report on an award's progress (append-only history; the award keeps the latest figures)."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="reports")
    status = models.CharField(max_length=12, choices=AwardStatus.choices)
    spent = models.DecimalField(_("spent so far"), validators=[MinValueValidator(0)], max_digits=14, decimal_places=2)
    note = models.TextField(_("what happened"), blank=True, max_length=3000)
    reported_at = models.DateTimeField()
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["reported_at", "id"]

    def __str__(self) -> str:
        return f"report on {self.award_id}"


class LineSpend(models.Model):
    """What a progress report says was spent so far on one of the proposal's budget lines (optional: a report may
    give the total only)."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="line_spends")
    line = models.ForeignKey(BudgetLine, on_delete=models.CASCADE, related_name="+")
    spent = models.DecimalField(_("spent so far"), validators=[MinValueValidator(0)], max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["line__position", "line_id"]
        constraints = [models.UniqueConstraint(fields=["report", "line"], name="one_spend_per_report_line")]

    def __str__(self) -> str:
        return f"{self.spent} on {self.line_id}"
