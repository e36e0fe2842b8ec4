"""Every write of the api app: personal access tokens and DHIS2 code mappings, each audited."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition.api import tokens
from coalition.api.models import AccessToken, Dhis2Code
from coalition.coalitions.access import Access
from coalition.core import audit

MAX_DAYS = 366
MAX_LIVE_TOKENS = 20


@transaction.atomic
def do_create_token(actor: Any, *, name: str, scope: str, days: int, two_step: bool = False) -> tuple[AccessToken, str]:
    """Make a token for ``actor``; returns it and its secret, which is never stored nor shown again."""
    name = name.strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Give the token a name.")
    if scope not in AccessToken.Scope.values:
        errors["scope"] = _("Choose read or write.")
    if not 1 <= days <= MAX_DAYS:
        errors["days"] = _("A token lasts from 1 to %(max)s days.") % {"max": MAX_DAYS}
    live = AccessToken.objects.filter(user=actor, revoked_at__isnull=True, expires_at__gt=timezone.now())
    if live.count() >= MAX_LIVE_TOKENS:
        errors["name"] = _("You have %(max)s live tokens already: revoke one first.") % {"max": MAX_LIVE_TOKENS}
    if errors:
        raise ValidationError(errors)
    secret = tokens.new_secret()
    token = AccessToken.objects.create(
        user=actor,
        name=name[:100],
        prefix=secret[: len(tokens.PREFIX) + tokens.SHOWN],
        digest=tokens.digest(secret),
        scope=scope,
        two_step=two_step,
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    audit.record(actor, "token.created", token, after={"name": token.name, "scope": scope, "days": days})
    return token, secret


@transaction.atomic
def do_revoke_token(actor: Any, token: AccessToken) -> AccessToken:
    """Stop a token working at once (only its owner may)."""
    locked = AccessToken.objects.select_for_update().get(pk=token.pk)
    if locked.user_id != actor.pk:
        raise ValidationError(_("This is not your token."))
    if locked.revoked_at is None:
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        audit.record(actor, "token.revoked", locked, before={"revoked": False}, after={"revoked": True})
    return locked


CODE_PATTERN = re.compile(r"^[A-Za-z0-9_.-]{1,50}$")


@transaction.atomic
def do_set_dhis2_codes(access: Access, codes: dict[tuple[str, str], str]) -> int:
    """Set the DHIS2 identifiers of records of ``access``'s coalition: ``(kind, local key) → code``; an
    empty code removes the mapping. Codes are 1–50 letters, digits, ``_ . -``, unique per kind.
    Returns how many mappings changed."""
    coalition = access.coalition
    errors: dict[str, str] = {}
    wanted = {(kind, key): code.strip() for (kind, key), code in codes.items()}
    seen: dict[tuple[str, str], str] = {}
    for (kind, key), code in wanted.items():
        field_name = f"{kind}-{key}"
        if kind not in Dhis2Code.Kind.values:
            raise ValueError(kind)
        if code and not CODE_PATTERN.match(code):
            errors[field_name] = _("Use 1 to 50 letters, digits, “_”, “.” or “-”.")
        elif code and seen.setdefault((kind, code), field_name) != field_name:
            errors[field_name] = _("This identifier is already given to another record.")
    if errors:
        raise ValidationError(errors)
    current = {(c.kind, c.local_key): c for c in Dhis2Code.objects.select_for_update().filter(coalition=coalition)}
    changed: dict[str, Any] = {}
    for (kind, key), code in wanted.items():
        existing = current.get((kind, key))
        if existing is not None and existing.code != code:
            existing.delete()
        if code and (existing is None or existing.code != code):
            changed[f"{kind}:{key}"] = code
        elif not code and existing is not None:
            changed[f"{kind}:{key}"] = ""
    for name, code in changed.items():
        if code:
            kind, key = name.split(":", 1)
            clash = Dhis2Code.objects.filter(coalition=coalition, kind=kind, code=code).exclude(local_key=key)
            if clash.exists():
                raise ValidationError({f"{kind}-{key}": _("This identifier is already given to another record.")})
            Dhis2Code.objects.create(coalition=coalition, kind=kind, local_key=key, code=code)
    if changed:
        audit.record(access.user, "dhis2.codes_set", coalition, coalition=coalition, after=changed)
    return len(changed)
