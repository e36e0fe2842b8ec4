"""Background tasks (django-tasks): close one poll at its time, or every poll whose time has passed."""

from __future__ import annotations

from django_tasks import task

from coalition.decisions import actions
from coalition.decisions.models import Poll


@task()
def close_poll(poll_id: int) -> bool:
    """Close the poll if it is still open and its time has come (queued, deferred, when the poll opens)."""
    from django.utils import timezone

    poll = Poll.objects.filter(pk=poll_id, closed_at__isnull=True, closes_at__lte=timezone.now()).first()
    if poll is None:
        return False
    actions.do_close_poll(None, poll)
    return True


@task()
def close_due_polls() -> int:
    return actions.do_close_due_polls()
