"""Sending the outbox: each row is claimed before it is sent and marked sent right after, so a task run
twice, two workers side by side, or a worker killed mid-batch and restarted send each message once.

Each message is written in its recipient's language (``accounts.language``), as its outbox row already is.

Claiming: on PostgreSQL the candidate rows are locked with ``SELECT … FOR UPDATE SKIP LOCKED`` (another worker
takes the next ones); on SQLite, which has no row locks, a conditional ``UPDATE … WHERE status = 'pending'``
takes them (the write lock makes it atomic). A row claimed by a worker that died is claimable again after
``LEASE``. Failures go back to pending with a growing delay; the log names the row, never its text.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from coalition.accounts import language
from coalition.notifications import registry, tokens
from coalition.notifications.models import Notification

logger = logging.getLogger(__name__)

BATCH = 100
MAX_ATTEMPTS = 6
LEASE = dt.timedelta(minutes=15)
Status = Notification.Status


def backoff(attempts: int) -> dt.timedelta:
    """Delay before the next try after ``attempts`` failures: 2, 4, 8, 16, 32 … minutes, at most a day."""
    return min(dt.timedelta(minutes=2**attempts), dt.timedelta(days=1))


def _due(status: str, now: dt.datetime) -> Q:
    stale = Q(status=Status.SENDING, claimed_at__lt=now - LEASE, attempts__lt=MAX_ATTEMPTS)
    if status == Status.PENDING:
        return Q(status=Status.PENDING, next_attempt_at__lte=now) | stale
    return Q(status=status, created_at__lte=now)


def claim(status: str, now: dt.datetime, limit: int = BATCH, recipient_id: int | None = None) -> list[Notification]:
    """Take up to ``limit`` due rows in ``status`` for this worker (or stale claims of a dead one)."""
    token = uuid.uuid4().hex
    due = Notification.objects.filter(_due(status, now))
    if recipient_id is not None:
        due = due.filter(recipient_id=recipient_id)
    due = due.order_by("next_attempt_at", "id")
    with transaction.atomic():
        if connection.features.has_select_for_update_skip_locked:
            ids = list(due.select_for_update(skip_locked=True).values_list("id", flat=True)[:limit])
            taken = Notification.objects.filter(id__in=ids)
        else:
            ids = list(due.values_list("id", flat=True)[:limit])
            taken = Notification.objects.filter(Q(id__in=ids) & _due(status, now))  # conditional: re-checked
        taken.update(status=Status.SENDING, claim=token, claimed_at=now)
    return list(Notification.objects.filter(claim=token).select_related("recipient").order_by("id"))


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def _message(row: Notification, event_type: str, subject: str, body: str, conn: Any) -> EmailMessage:
    unsubscribe = tokens.unsubscribe_url(row.recipient_id, event_type)
    return EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[row.recipient.email],
        connection=conn,
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            # The same id on every try, so a receiving server can drop a repeat after a crash between
            # "sent" and "marked sent" (the only window in which a message could go twice).
            "Message-ID": f"<coalition-notification-{row.pk}-{event_type.strip('*') or 'digest'}@{_host()}>",
            "Auto-Submitted": "auto-generated",
        },
    )


def _mark_sent(rows: Sequence[Notification]) -> None:
    Notification.objects.filter(id__in=[r.pk for r in rows], status=Status.SENDING, claim=rows[0].claim).update(
        status=Status.SENT, sent_at=timezone.now(), claim=""
    )


def _mark_failed(rows: Sequence[Notification], error: Exception, retry_status: str, now: dt.datetime) -> None:
    for row in rows:
        attempts = row.attempts + 1
        give_up = attempts >= MAX_ATTEMPTS
        Notification.objects.filter(pk=row.pk, claim=row.claim).update(
            status=Status.FAILED if give_up else retry_status,
            attempts=F("attempts") + 1,
            next_attempt_at=now + backoff(attempts),
            claim="",
        )
        logger.warning(
            "notification %s (%s) to user %s failed, attempt %s%s: %s",
            row.pk,
            row.event_type,
            row.recipient_id,
            attempts,
            ", giving up" if give_up else "",
            type(error).__name__,
        )


def _body(row: Notification) -> str:
    link = settings.SITE_URL.rstrip("/") + row.url if row.url else ""
    return render_to_string("notifications/email.txt", {"row": row, "link": link}).strip() + "\n"


def deliver_pending(now: dt.datetime | None = None) -> int:
    """Send every due row, batch by batch; returns how many were sent."""
    sent = 0
    while True:
        moment = now or timezone.now()
        rows = claim(Status.PENDING, moment)
        if not rows:
            return sent
        conn = get_connection(fail_silently=False)
        languages = language.of_each({row.recipient_id for row in rows})
        for row in rows:
            try:
                with translation.override(languages[row.recipient_id]):
                    message = _message(row, row.event_type, row.subject, _body(row), conn)
                    files = registry.attachments_for(row.event_type, row.key, row.recipient_id)
                for filename, content, mimetype in files:
                    message.attach(filename, content, mimetype)
                message.send()
            except Exception as error:  # noqa: BLE001 - any backend failure is retried later
                _mark_failed([row], error, Status.PENDING, moment)
                continue
            _mark_sent([row])
            sent += 1


def send_digests(now: dt.datetime | None = None) -> int:
    """One email per person listing every row kept for the digest up to ``now``; returns emails sent."""
    moment = now or timezone.now()
    people = (
        Notification.objects.filter(_due(Status.DIGEST, moment))
        .values_list("recipient_id", flat=True)
        .distinct()
        .order_by("recipient_id")
    )
    conn = get_connection(fail_silently=False)
    emails = 0
    for recipient_id in list(people):
        rows = claim(Status.DIGEST, moment, limit=500, recipient_id=recipient_id)
        if not rows:
            continue
        with translation.override(language.of(rows[0].recipient)):
            subject = _("Your week in Coalition: %(count)s updates") % {"count": len(rows)}
            body = render_to_string(
                "notifications/digest.txt",
                {"rows": rows, "site": settings.SITE_URL.rstrip("/")},
            )
        try:
            _message(rows[0], tokens.ALL_TYPES, subject, body, conn).send()
        except Exception as error:  # noqa: BLE001 - kept for the next digest run
            _mark_failed(rows, error, Status.DIGEST, moment)
            continue
        _mark_sent(rows)
        emails += 1
    return emails
