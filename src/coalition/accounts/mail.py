"""The one way account emails (confirmations, sign-up notices, invitations) are sent: written in the recipient's
language, sent once the action's transaction commits."""

from __future__ import annotations

from typing import Any

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation


def send_on_commit(
    subject_template: str, body_template: str, context: dict[str, Any], *, to: str, language: str
) -> None:
    """Render the two templates in ``language`` and send them to ``to`` after commit."""
    with translation.override(language):
        subject = render_to_string(subject_template, context).strip()
        body = render_to_string(body_template, context)
    transaction.on_commit(lambda: send_mail(subject, body, None, [to]))
