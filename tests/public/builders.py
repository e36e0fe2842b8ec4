"""Public-page fixtures for tests, made through the actions of each app."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coalition.coalitions.models import Coalition
from coalition.public import actions
from coalition.public.models import PublicPage

ALL = ("purpose", "members", "indicators", "decisions")


def published(coalition: Coalition, actor: Any, sections: Sequence[str] = ALL, slug: str = "our-page") -> PublicPage:
    page = actions.do_save_public_page(actor, coalition, slug=slug, sections=list(sections))
    return actions.do_publish_public_page(actor, page)


def visit(page: PublicPage, client: Client | None = None) -> str:
    """The page as an anonymous visitor reads it (asserting it answered 200)."""
    response = (client or Client()).get(reverse("public_page:page", kwargs={"slug": page.slug}))
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)
