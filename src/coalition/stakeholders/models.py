"""The stakeholder map: organisations and people in the local system, how much they matter to the
effort (power, interest), what they bring (stake, power, knowledge) and how engaged they are."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from coalition.core.models import TimeStampedModel

RATING_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


class Sector(models.TextChoices):
    GOVERNMENT = "government", _("Government")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    COMMUNITY_BASED = "community_based", _("Community-based organisation")
    PRIVATE = "private", _("Private sector")
    ACADEMIA = "academia", _("Academia")
    DONOR = "donor", _("Donor")
    FAITH = "faith", _("Faith group")
    COMMUNITY_LEADER = "community_leader", _("Informal / community leader")
    RESIDENT = "resident", _("Resident")


class Level(models.TextChoices):
    NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood")
    LOCAL = "local", _("Local / municipal")
    SUBNATIONAL = "subnational", _("Sub-national")
    NATIONAL = "national", _("National")
    INTERNATIONAL = "international", _("International")


# What describes a stakeholder, written once, in the order the form and the files show it. The form, the actions
# (what is edited and audited), the list columns and the import/export columns are derived from these.
PROFILE_FIELDS = (
    "name",
    "kind",
    "sector",
    "level",
    "place",
    "power",
    "interest",
    "brings_stake",
    "brings_power",
    "brings_knowledge",
    "lived_experience",
    "marginalised_group",
    "engagement",
)
FLAG_FIELDS = ("brings_stake", "brings_power", "brings_knowledge", "lived_experience", "marginalised_group")
CONTACT_DETAIL_FIELDS = ("email", "phone", "website", "notes")
STAKEHOLDER_FIELDS = (*PROFILE_FIELDS, *CONTACT_DETAIL_FIELDS)


class Stakeholder(TimeStampedModel):
    class Kind(models.TextChoices):
        ORGANISATION = "organisation", _("Organisation")
        INDIVIDUAL = "individual", _("Individual")

    class Engagement(models.TextChoices):
        IDENTIFIED = "identified", _("Identified")
        CONTACTED = "contacted", _("Contacted")
        CONSULTED = "consulted", _("Consulted")
        MEMBER = "member", _("Member")
        DECLINED = "declined", _("Declined")

    coalition = models.ForeignKey("coalitions.Coalition", on_delete=models.CASCADE, related_name="stakeholders")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.ORGANISATION)
    sector = models.CharField(_("sector"), max_length=30, choices=Sector.choices)
    level = models.CharField(_("geographic level"), max_length=20, choices=Level.choices, default=Level.LOCAL)
    place = models.CharField(_("place"), max_length=200, blank=True)
    power = models.PositiveSmallIntegerField(
        _("power / influence"), default=3, validators=RATING_VALIDATORS, help_text=_("1 (little) to 5 (decisive)")
    )
    interest = models.PositiveSmallIntegerField(
        _("interest"), default=3, validators=RATING_VALIDATORS, help_text=_("1 (indifferent) to 5 (deeply engaged)")
    )
    brings_stake = models.BooleanField(_("brings stake"), default=False, help_text=_("Directly affected by the issue."))
    brings_power = models.BooleanField(
        _("brings power"), default=False, help_text=_("Can change rules, money or services.")
    )
    brings_knowledge = models.BooleanField(
        _("brings knowledge"), default=False, help_text=_("Expertise, data or lived insight about the issue.")
    )
    lived_experience = models.BooleanField(_("lived experience"), default=False)
    marginalised_group = models.BooleanField(_("represents a marginalised group"), default=False)
    engagement = models.CharField(
        _("engagement status"), max_length=20, choices=Engagement.choices, default=Engagement.IDENTIFIED
    )
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    website = models.URLField(_("website"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_archived = models.BooleanField(_("archived"), default=False)
    # The day the organisation agreed to be named on the coalition's public page (empty: not listed). Consent,
    # not description: set only by ``do_record_public_listing``, never by the form or an import.
    listing_agreed_on = models.DateField(_("agreed to be listed publicly on"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                "coalition",
                name="stakeholder_name_unique_per_coalition",
                violation_error_message=_("This coalition's map already has a stakeholder with this name."),
            ),
        ]
        indexes = [
            models.Index(fields=["coalition", "sector"]),
            models.Index(fields=["coalition", "engagement"]),
            # The list page: one coalition's current stakeholders in name order, a page at a time.
            models.Index(fields=["coalition", "is_archived", "name"], name="stakeholder_list_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class ContactPerson(TimeStampedModel):
    """A person inside an organisation stakeholder whom the coalition deals with."""

    stakeholder = models.ForeignKey(Stakeholder, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Interview(TimeStampedModel):
    """Notes of a conversation with a stakeholder (facilitators' guide, module 2: survey stakeholders)."""

    stakeholder = models.ForeignKey(Stakeholder, on_delete=models.CASCADE, related_name="interviews")
    held_on = models.DateField(_("held on"))
    interviewer = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("interviewer")
    )
    summary = models.TextField(_("summary"))

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.stakeholder} {self.held_on}"
