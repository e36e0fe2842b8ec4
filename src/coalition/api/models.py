"""What the API keeps: personal access tokens (only their SHA-256 digest), the first answer to each
``Idempotency-Key`` and the codes that map our records to DHIS2 identifiers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccessToken(models.Model):
    """A personal access token. The secret is shown once, when made; only its SHA-256 digest is stored,
    so a stolen database does not give working tokens."""

    class Scope(models.TextChoices):
        READ = "read", _("Read only")
        WRITE = "write", _("Read and write")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_tokens")
    name = models.CharField(_("name"), max_length=100, help_text=_("What the token is for, e.g. “DHIS2 sync”."))
    prefix = models.CharField(max_length=16, help_text="The first characters of the secret, to recognise it.")
    digest = models.CharField(max_length=64, unique=True)
    scope = models.CharField(_("scope"), max_length=5, choices=Scope.choices, default=Scope.READ)
    two_step = models.BooleanField(default=False, help_text="Made in a session that had given its one-time code.")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def may_write(self) -> bool:
        return self.scope == self.Scope.WRITE


class IdempotentAnswer(models.Model):
    """The first answer to a write sent with an ``Idempotency-Key``: a replay by the same caller gets it again."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the method, path and body.")
    status = models.PositiveSmallIntegerField()
    body = models.BinaryField()
    content_type = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_once_per_user")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.key}: {self.status}"


class Dhis2Code(models.Model):
    """The DHIS2 identifier of one of our records, per coalition: an indicator is a data element, an
    organisation an org unit, an option combination (its ``key``; "" is the total) a category option combo."""

    class Kind(models.TextChoices):
        INDICATOR = "indicator", _("Indicator → data element")
        ORGANISATION = "organisation", _("Organisation → org unit")
        COMBINATION = "combination", _("Options → category option combo")

    coalition = models.ForeignKey("coalitions.Coalition", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    local_key = models.CharField(max_length=200, help_text="Indicator or stakeholder id, or an option-combination key.")
    code = models.CharField(_("DHIS2 identifier"), max_length=50)

    class Meta:
        ordering = ["kind", "local_key"]
        constraints = [
            models.UniqueConstraint(fields=["coalition", "kind", "local_key"], name="dhis2_code_once_per_record"),
            models.UniqueConstraint(fields=["coalition", "kind", "code"], name="dhis2_code_names_one_record"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.local_key} = {self.code}"
