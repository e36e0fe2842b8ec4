"""A person's private calendar address: signed (membership, generation), valid without a session, and revoked by
moving to a new generation (``actions.do_revoke_feed``), which makes every older address fail."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

from coalition.coalitions.models import Membership
from coalition.meetings.models import FeedKey

SALT = "coalition.meetings.feed"


def generation(membership: Membership) -> int:
    return FeedKey.objects.filter(membership=membership).values_list("generation", flat=True).first() or 0


def make_token(membership: Membership) -> str:
    return signing.dumps({"m": membership.pk, "g": generation(membership)}, salt=SALT, compress=True)


def feed_url(membership: Membership) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("meetings_feed:calendar", kwargs={"token": make_token(membership)})


def read_token(token: str) -> Membership | None:
    """The active membership a genuine, current token names; None for a tampered, revoked or stale one."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("m"), int) or not isinstance(data.get("g"), int):
        return None
    membership = (
        Membership.objects.filter(pk=data["m"], is_active=True, user__is_active=True)
        .select_related("coalition", "user")
        .prefetch_related("roles")
        .first()
    )
    if membership is None or generation(membership) != data["g"]:
        return None
    return membership
