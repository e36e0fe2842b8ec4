"""Every change to the public page goes through these functions; each one is audited.

Publishing and every change raise the page's ``version``, so the cached page is rebuilt on the next visit
(``render.page_html``); ``content_changed`` does the same when another app reports that something it shows on the
page was published or withdrawn (``core.extensions.public_content_changed``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from coalition.coalitions.models import Coalition
from coalition.core import audit, extensions
from coalition.public.models import PAGE_FIELDS, PublicPage

AUDITED_FIELDS = (*PAGE_FIELDS, "is_published")


def suggested_slug(coalition: Coalition) -> str:
    """A free address made of the coalition's name (``eastgate-after-school``, ``…-2`` when taken)."""
    base = slugify(coalition.name)[:50] or "coalition"
    slug, n = base, 1
    while PublicPage.objects.filter(slug=slug).exclude(coalition=coalition).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _check(page: PublicPage, sections: Sequence[str]) -> list[str]:
    offered = [s.key for s in extensions.public_sections()]
    unknown = [key for key in sections if key not in offered]
    if unknown:
        raise ValidationError({"sections": _("Unknown sections: %(keys)s.") % {"keys": ", ".join(unknown)}})
    if PublicPage.objects.filter(slug=page.slug).exclude(pk=page.pk).exists():
        raise ValidationError({"slug": _("Another coalition's page already has this address.")})
    return [key for key in offered if key in sections]  # page order, no repeats


@transaction.atomic
def do_save_public_page(
    actor: Any,
    coalition: Coalition,
    *,
    slug: str,
    introduction: str = "",
    sections: Sequence[str] = (),
    decisions_shown: int | None = None,
) -> PublicPage:
    """Create the coalition's page or change it: its address, introduction and the sections opted in to.
    Saving does not publish it; a published page shows the change at once."""
    page = PublicPage.objects.select_for_update().filter(coalition=coalition).first()
    before = audit.snapshot(page, AUDITED_FIELDS) if page is not None else None
    page = page or PublicPage(coalition=coalition)
    page.slug = slug.strip().lower()
    page.introduction = introduction.strip()
    page.sections = _check(page, sections)
    if decisions_shown is not None:
        page.decisions_shown = decisions_shown
    page.full_clean(validate_unique=False, validate_constraints=False)
    after = audit.snapshot(page, AUDITED_FIELDS)
    if after != before:
        page.version += 1
        page.save()
        verb = "public_page.changed" if before is not None else "public_page.created"
        audit.record(actor, verb, page, coalition=coalition, before=before, after=after)
    return page


def _set_published(actor: Any, page: PublicPage, published: bool, verb: str) -> PublicPage:
    locked = PublicPage.objects.select_for_update().get(pk=page.pk)
    if locked.is_published != published:
        locked.is_published = published
        if published:
            locked.published_at = timezone.now()
        locked.version += 1
        locked.save(update_fields=["is_published", "published_at", "version", "updated_at"])
        audit.record(
            actor,
            verb,
            locked,
            coalition=locked.coalition,
            before={"is_published": not published},
            after={"is_published": published},
        )
    return locked


@transaction.atomic
def do_publish_public_page(actor: Any, page: PublicPage) -> PublicPage:
    """Open the page to anyone with its address (no account needed)."""
    if not page.sections:
        raise ValidationError(_("Choose at least one section before publishing the page."))
    return _set_published(actor, page, True, "public_page.published")


@transaction.atomic
def do_unpublish_public_page(actor: Any, page: PublicPage) -> PublicPage:
    """Take the page down: its address answers "not found" again, and the feed with it."""
    return _set_published(actor, page, False, "public_page.unpublished")


def content_changed(coalition_id: int) -> None:
    """Another app published or withdrew something its section shows: rebuild the page on the next visit.
    Not audited here (the app's own action is); a coalition without a page changes nothing."""
    PublicPage.objects.filter(coalition_id=coalition_id).update(version=F("version") + 1)
