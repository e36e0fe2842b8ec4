"""Building the public page and its Atom feed, and caching both.

A built page is cached under a key made of everything it depends on, read from the database on each visit (as
the measurement dashboard does, docs/adr/0003): the page's ``version`` (raised when the hub changes or publishes
the page and when another app reports a published change, ``core.extensions.public_content_changed``), each
shown section's ``stamp``, the language and the date. Nothing is invalidated by hand and a change is visible on
the next visit, in every process; ``CACHE_SECONDS`` only bounds how long an unvisited page stays in memory.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import feedgenerator, timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from coalition.core.extensions import PublicSection, PublicUpdate
from coalition.public.models import PublicPage
from coalition.public.sections import enabled_sections

CACHE_SECONDS = 24 * 3600
FEED_ENTRIES = 50


@dataclass(frozen=True)
class BuiltSection:
    key: str
    label: str
    html: SafeString


def published_page(slug: str) -> PublicPage | None:
    return PublicPage.objects.select_related("coalition").filter(slug=slug, is_published=True).first()


def cache_key(page: PublicPage, kind: str) -> str:
    """Everything the page (``kind``: ``page`` or ``feed``) depends on; changes whenever what it shows does."""
    sections = enabled_sections(page)
    stamps = repr([(s.key, s.stamp(page.coalition) if s.stamp else None) for s in sections])
    digest = hashlib.sha256(stamps.encode()).hexdigest()[:24]
    return (
        f"public-page:{page.pk}:{page.version}:{kind}:{translation.get_language()}:"
        f"{timezone.localdate().isoformat()}:{digest}"
    )


def build_sections(page: PublicPage) -> list[BuiltSection]:
    """The opted-in sections that have something to show, rendered."""
    built = []
    for section in enabled_sections(page):
        html = section.render(page.coalition)
        if html.strip():
            built.append(BuiltSection(section.key, str(section.label), mark_safe(html)))  # noqa: S308 - rendered by templates
    return built


def page_html(page: PublicPage) -> str:
    """The page's HTML, from the cache when nothing it shows changed."""
    key = cache_key(page, "page")
    html = cache.get(key)
    if html is None:
        context = {
            "page": page,
            "coalition": page.coalition,
            "sections": build_sections(page),
            "feed_url": reverse("public_page:feed", kwargs={"slug": page.slug}),
            "built_at": timezone.now(),
        }
        html = render_to_string("public/page.html", context)
        cache.set(key, html, CACHE_SECONDS)
    return str(html)


def updates(page: PublicPage) -> list[tuple[PublicSection, PublicUpdate]]:
    """Every dated update of the shown sections, newest first, at most ``FEED_ENTRIES``."""
    found = [
        (section, update)
        for section in enabled_sections(page)
        if section.updates is not None
        for update in section.updates(page.coalition)
        if update.published is not None
    ]
    if page.published_at is not None:
        found.append((_PAGE_SECTION, PublicUpdate("published", _("Public page published"), page.published_at)))
    found.sort(key=lambda pair: (pair[1].published, pair[0].key, pair[1].key), reverse=True)
    return found[:FEED_ENTRIES]


_PAGE_SECTION = PublicSection("page", "", lambda _coalition: "")


def feed_xml(page: PublicPage, absolute: Any) -> str:
    """The Atom feed of the page's updates; ``absolute(path)`` makes a full URL (ids and links must be)."""
    key = cache_key(page, "feed") + ":" + hashlib.sha256(absolute("/").encode()).hexdigest()[:12]
    xml = cache.get(key)
    if xml is None:
        page_url = absolute(reverse("public_page:page", kwargs={"slug": page.slug}))
        found = updates(page)
        feed = feedgenerator.Atom1Feed(
            title=page.coalition.name,
            link=page_url,
            description=page.introduction,
            subtitle=page.introduction or None,
            language=translation.get_language(),
            feed_url=absolute(reverse("public_page:feed", kwargs={"slug": page.slug})),
            feed_guid=page_url,
        )
        for section, update in found:
            anchor = f"#section-{section.key}" if section.key != "page" else ""
            feed.add_item(
                title=update.title,
                link=page_url + anchor,
                description=update.summary,
                unique_id=f"{page_url}#{section.key}:{update.key}",
                pubdate=update.published,
                updateddate=update.published,
            )
        xml = feed.writeString("utf-8")
        cache.set(key, xml, CACHE_SECONDS)
    return str(xml)
