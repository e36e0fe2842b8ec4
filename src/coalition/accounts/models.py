"""Invitations (expiring, single-use links that add a person to a coalition with roles) and confirmed email
addresses."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coalition.core.models import TimeStampedModel
from coalition.core.permissions import Role


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


def default_expiry() -> datetime:
    return timezone.now() + settings.INVITATION_LIFETIME


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def usable(self) -> InvitationQuerySet:
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())


class Invitation(TimeStampedModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")

    coalition = models.ForeignKey("coalitions.Coalition", on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email"))
    roles = models.JSONField(_("roles"), default=list)
    organisation = models.ForeignKey(
        "stakeholders.Stakeholder", null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("organisation")
    )
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # Only a hash of the token is stored, so a database leak does not leak usable links.
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("expires"), default=default_expiry)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    # Bound (the default): only an account with this confirmed address, or a new account created with exactly this
    # address from the link, can accept. Unbound: anyone holding the link may join, under any address.
    bound_to_email = models.BooleanField(_("only for this address"), default=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.email} → {self.coalition}"

    @property
    def status(self) -> Invitation.Status:
        if self.accepted_at is not None:
            return self.Status.ACCEPTED
        if self.revoked_at is not None:
            return self.Status.REVOKED
        if self.expires_at <= timezone.now():
            return self.Status.EXPIRED
        return self.Status.PENDING

    @property
    def is_usable(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def role_labels(self) -> list[str]:
        return [str(Role(code).label) for code in self.roles if code in Role.values]


class VerifiedEmail(models.Model):
    """An address its account holder proved to receive mail at (a confirmation link, or a bound invitation's link).
    An address counts as confirmed only while it is still the account's email."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="verified_emails")
    email = models.EmailField(_("email"))
    verified_at = models.DateTimeField(_("confirmed"), default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "email"], name="accounts_verified_email_once")]

    def __str__(self) -> str:
        return self.email


class Profile(models.Model):
    """What a person chose for themselves. ``language`` blank: pages follow the browser, emails the default
    language."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, blank=True)

    def __str__(self) -> str:
        return f"{self.user_id}: {self.language or '-'}"
