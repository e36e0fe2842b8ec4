"""Every change to health checks and the sustainability plan goes through here, audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition.coalitions.access import Access
from coalition.cohesion import results
from coalition.cohesion.factors import BY_CODE
from coalition.cohesion.models import HealthAnswer, HealthCheck
from coalition.core import audit
from coalition.core.permissions import Perm


@transaction.atomic
def do_start_health_check(access: Access, *, title: str, held_on: dt.date | None = None) -> HealthCheck:
    """Open a health check for members to answer. One open check at a time."""
    access.require(Perm.RUN_HEALTH_CHECK)
    title = " ".join(title.split())
    if not title:
        raise ValidationError({"title": _("Give the check a title, such as “Spring check”.")})
    if len(title) > 200:
        raise ValidationError({"title": _("Keep the title under 200 characters.")})
    if HealthCheck.objects.filter(coalition=access.coalition, status=HealthCheck.Status.OPEN).exists():
        raise ValidationError(_("A health check is already open: close it before starting another."))
    check = HealthCheck.objects.create(
        coalition=access.coalition,
        title=title,
        started_by=access.user,
        held_on=held_on or timezone.localdate(),
    )
    audit.record(access.user, "health_check.started", check, coalition=access.coalition, after={"title": title})
    return check


@transaction.atomic
def do_answer_health_check(access: Access, check: HealthCheck, scores: Mapping[str, int | None]) -> int:
    """Save the caller's self-assessment (1 to 5 per factor; a factor left out keeps no score). Answers can
    be changed while the check is open. Returns how many factors were scored."""
    access.require(Perm.ANSWER_HEALTH_CHECK)
    if check.coalition_id != access.coalition.pk:
        raise PermissionDenied
    if not check.is_open:
        raise ValidationError(_("This health check is closed."))
    errors = {}
    for code, score in scores.items():
        if code not in BY_CODE:
            raise ValueError(f"unknown factor {code}")
        if score is not None and not 1 <= score <= 5:
            errors[code] = _("Choose a score from 1 to 5.")
    if errors:
        raise ValidationError(errors)
    HealthAnswer.objects.filter(health_check=check, membership=access.membership, factor__in=list(scores)).delete()
    given = [
        HealthAnswer(health_check=check, membership=access.membership, factor=code, score=score)
        for code, score in scores.items()
        if score is not None
    ]
    HealthAnswer.objects.bulk_create(given)
    audit.record(access.user, "health_check.answered", check, coalition=access.coalition, after={"factors": len(given)})
    return len(given)


@transaction.atomic
def do_close_health_check(access: Access, check: HealthCheck, *, today: dt.date | None = None) -> HealthCheck:
    """Close the check and freeze its results (means and evidence), so its trend never moves."""
    access.require(Perm.RUN_HEALTH_CHECK)
    if check.coalition_id != access.coalition.pk:
        raise PermissionDenied
    locked = HealthCheck.objects.select_for_update().get(pk=check.pk)
    if not locked.is_open:
        raise ValidationError(_("This health check is already closed."))
    locked.results = results.freeze(results.compute(locked, today=today or locked.held_on))
    locked.status = HealthCheck.Status.CLOSED
    locked.closed_at = timezone.now()
    locked.save()
    audit.record(access.user, "health_check.closed", locked, coalition=access.coalition, after={"status": "closed"})
    return locked
